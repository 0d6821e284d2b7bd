package macos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
)

// feth (fake Ethernet) pairs are driven through ifconfig(8): the peering request (SIOCSDRVSPEC with a
// private struct if_fake_request) is not in the public SDK, and ifconfig is what xnu's own tests rely on.
// This file only builds and runs commands, so it carries no build tag and is tested with a fake runner.

// CommandRunner runs a program and returns its combined output. ExecRunner is the real one.
type CommandRunner func(ctx context.Context, name string, args ...string) ([]byte, error)

// ExecRunner runs the program with os/exec.
func ExecRunner(ctx context.Context, name string, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}

// IfconfigPath is where macOS keeps ifconfig.
const IfconfigPath = "/sbin/ifconfig"

// FethUnit returns N for a name "fethN".
func FethUnit(name string) (int, error) {
	digits, ok := strings.CutPrefix(name, "feth")
	if !ok || digits == "" || len(name) >= ifNameSize {
		return 0, fmt.Errorf("macos: %q is not a feth interface name", name)
	}
	if len(digits) > 1 && digits[0] == '0' {
		return 0, fmt.Errorf("macos: %q has a leading zero in its unit", name)
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n > 0xffff {
		return 0, fmt.Errorf("macos: %q has no valid unit number", name)
	}
	return n, nil
}

// FethMAC is the address the feth driver gives unit n: 66:65:74:68 ("feth") then the unit as two
// big-endian bytes.
func FethMAC(unit int) net.HardwareAddr {
	return net.HardwareAddr{0x66, 0x65, 0x74, 0x68, byte(unit >> 8), byte(unit)}
}

// Feths drives feth interfaces with ifconfig.
type Feths struct {
	Run      CommandRunner // nil means ExecRunner
	Ifconfig string        // "" means IfconfigPath
}

func (f Feths) ifconfig(ctx context.Context, args ...string) error {
	run, path := f.Run, f.Ifconfig
	if run == nil {
		run = ExecRunner
	}
	if path == "" {
		path = IfconfigPath
	}
	out, err := run(ctx, path, args...)
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", path, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (f Feths) onFeth(ctx context.Context, name string, args ...string) error {
	if _, err := FethUnit(name); err != nil {
		return err
	}
	return f.ifconfig(ctx, append([]string{name}, args...)...)
}

// ErrNameBusy means `ifconfig fethN create` was answered EBUSY: an interface of that name was destroyed
// and is still detaching. xnu unlinks a destroyed interface at once but keeps its name and unique id "in
// use" (DLIF_INUSE) until the detacher thread has run ifnet_detach_final (bsd/net/dlil.c); meanwhile
// dlil_if_acquire (bsd/net/dlil_ctl.c, reached from feth_clone_create's ifnet_allocate_extended) answers
// EBUSY for the same name or unique id, and feth's unique id is its name (bsd/net/if_fake.c,
// feth_clone_create). if_clone_create (bsd/net/if.c) moves to another unit on EBUSY only when no unit was
// given, and ifconfig always gives one. Another name is free at once; xnu's own tests/net_test_lib.c
// (ifnet_create_common) instead retries the same name every 10 ms, up to 600 times.
var ErrNameBusy = errors.New("interface name busy: an interface of that name is still detaching (EBUSY)")

// busyTexts are strerror(EBUSY) as ifconfig prints it: ifclone.c (network_cmds ifconfig.tproj,
// ifclonecreate) does err(1, "SIOCIFCREATE2"), giving "ifconfig: SIOCIFCREATE2: Resource busy" with
// Apple's libc; "Device busy" is FreeBSD's wording of the same errno.
var busyTexts = []string{"Resource busy", "Device busy"}

// Create runs `ifconfig fethN create`. An EBUSY answer wraps ErrNameBusy.
func (f Feths) Create(ctx context.Context, name string) error {
	err := f.onFeth(ctx, name, "create")
	if err == nil {
		return nil
	}
	for _, t := range busyTexts {
		if strings.Contains(err.Error(), t) {
			return fmt.Errorf("%w: %v", ErrNameBusy, err)
		}
	}
	return err
}

// Peer runs `ifconfig fethN peer fethM`. Both must be feth and unpeered (else EBUSY).
func (f Feths) Peer(ctx context.Context, name, peer string) error {
	if _, err := FethUnit(peer); err != nil {
		return err
	}
	if name == peer {
		return fmt.Errorf("macos: cannot peer %s with itself", name)
	}
	return f.onFeth(ctx, name, "peer", peer)
}

// Up runs `ifconfig fethN up`. BPF writes on a down interface fail with ENETDOWN.
func (f Feths) Up(ctx context.Context, name string) error { return f.onFeth(ctx, name, "up") }

// Destroy runs `ifconfig fethN destroy`.
func (f Feths) Destroy(ctx context.Context, name string) error { return f.onFeth(ctx, name, "destroy") }

// CreatePair creates a and b, peers a with b and brings both up. On failure it destroys what it created.
func (f Feths) CreatePair(ctx context.Context, a, b string) (err error) {
	var created []string
	defer func() {
		if err != nil {
			for _, n := range created {
				_ = f.Destroy(context.WithoutCancel(ctx), n)
			}
		}
	}()
	for _, n := range []string{a, b} {
		if err = f.Create(ctx, n); err != nil {
			return err
		}
		created = append(created, n)
	}
	if err = f.Peer(ctx, a, b); err != nil {
		return err
	}
	for _, n := range []string{a, b} {
		if err = f.Up(ctx, n); err != nil {
			return err
		}
	}
	return nil
}
