package doctor

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"

	"github.com/netconform/netconform/macos"
	"github.com/netconform/netconform/topology"
)

// realDarwinOps is the Mac: the same calls the darwin lab driver makes
// (topology/fethhost_darwin.go), through the macos package.
type realDarwinOps struct{ feths macos.Feths }

func (o realDarwinOps) Privileged() error { return topology.CheckPrivileges() }

func (o realDarwinOps) Exists(name string) bool {
	_, err := net.InterfaceByName(name)
	return err == nil
}

func (o realDarwinOps) ReadSysctl(ctx context.Context, name string) (string, error) {
	out, errOut, err := o.Run(ctx, "/usr/sbin/sysctl", "-n", name)
	if err != nil {
		return "", commandError("sysctl -n "+name, err, errOut)
	}
	return strings.TrimSpace(out), nil
}

func (o realDarwinOps) WriteSysctl(ctx context.Context, name, value string) error {
	_, errOut, err := o.Run(ctx, "/usr/sbin/sysctl", "-w", name+"="+value)
	if err != nil {
		return commandError("sysctl -w "+name+"="+value, err, errOut)
	}
	return nil
}

func (o realDarwinOps) CreateFeth(ctx context.Context, name string) error {
	return o.feths.Create(ctx, name)
}

func (o realDarwinOps) PeerFeth(ctx context.Context, a, b string) error {
	return o.feths.Peer(ctx, a, b)
}
func (o realDarwinOps) Up(ctx context.Context, name string) error { return o.feths.Up(ctx, name) }
func (o realDarwinOps) DestroyFeth(ctx context.Context, name string) error {
	return o.feths.Destroy(ctx, name)
}

func (o realDarwinOps) OpenBPF(name string) (frameWriter, error) { return macos.OpenBPF(name, 0) }

func (o realDarwinOps) AttachIPv6(name string) error     { return macos.AttachIPv6(name) }
func (o realDarwinOps) DisableDAD(name string) error     { return macos.DisableDAD(name) }
func (o realDarwinOps) StartLinkLocal(name string) error { return macos.StartLinkLocal(name) }
func (o realDarwinOps) StartAutoconf(name string) error  { return macos.StartAutoconf(name) }

func (o realDarwinOps) Addrs(name string) ([]netip.Prefix, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return nil, err
	}
	var out []netip.Prefix
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.To4() != nil {
			continue
		}
		ip, ok := netip.AddrFromSlice(ipn.IP)
		if !ok {
			continue
		}
		bits, _ := ipn.Mask.Size()
		out = append(out, netip.PrefixFrom(ip, bits))
	}
	return out, nil
}

func (o realDarwinOps) Run(ctx context.Context, name string, args ...string) (string, string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", "", err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// C locale: the texts matched (strerror, zprint's hints) are English.
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	err = cmd.Run()
	return stdout.String(), stderr.String(), err
}

func (o realDarwinOps) State(runID string) (scratchRecorder, error) {
	return topology.ThisScratchState(runID)
}

func (o realDarwinOps) PID() int { return os.Getpid() }
