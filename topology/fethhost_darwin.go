package topology

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/macos"
)

// darwinHost is the real fethHost: ifconfig(8), ndp(8) and sysctl(8) for what
// has no public system call interface, the macos package's ioctls and /dev/bpf
// endpoint, and a PF_ROUTE socket. Everything that changes the Mac first
// checks that the interface is a feth.
type darwinHost struct {
	feths macos.Feths

	embedOnce sync.Once
	embed     bool
}

func (h *darwinHost) run(ctx context.Context, name string, args ...string) (string, error) {
	out, err := macos.ExecRunner(ctx, name, args...)
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

func (h *darwinHost) Exists(name string) bool {
	_, err := net.InterfaceByName(name)
	return err == nil
}

func (h *darwinHost) CreatePair(ctx context.Context, sut, wire string) error {
	return h.feths.CreatePair(ctx, sut, wire)
}

func (h *darwinHost) Destroy(ctx context.Context, name string) error {
	return h.feths.Destroy(ctx, name)
}

func (h *darwinHost) SetMAC(ctx context.Context, name string, mac net.HardwareAddr) error {
	if _, err := macos.FethUnit(name); err != nil {
		return err
	}
	_, err := h.run(ctx, macos.IfconfigPath, name, "ether", mac.String())
	return err
}

func (h *darwinHost) Ifconfig(ctx context.Context, name string) (string, error) {
	// -L adds each IPv6 address's remaining lifetimes (pltime, vltime).
	return h.run(ctx, macos.IfconfigPath, "-L", "-v", name)
}

func (h *darwinHost) StartIPv6(name string) (bool, error) {
	if _, err := macos.FethUnit(name); err != nil {
		return false, err
	}
	return macos.StartIPv6(name)
}

func (h *darwinHost) StartAutoconf(name string) error {
	if _, err := macos.FethUnit(name); err != nil {
		return err
	}
	return macos.StartAutoconf(name)
}

func (h *darwinHost) AddIPv4(ctx context.Context, name string, p netip.Prefix) error {
	if _, err := macos.FethUnit(name); err != nil {
		return err
	}
	mask := net.IP(net.CIDRMask(p.Bits(), 32)).String()
	_, err := h.run(ctx, macos.IfconfigPath, name, "inet", p.Addr().String(), "netmask", mask, "alias")
	return err
}

func (h *darwinHost) OpenRaw(name string) (RawConn, error) { return macos.OpenBPF(name, 0) }

func (h *darwinHost) Index(name string) (int, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return 0, err
	}
	return ifi.Index, nil
}

func (h *darwinHost) Names() (map[int]string, error) { return macos.InterfaceNames() }

func (h *darwinHost) OwnerOf(a netip.Addr) (string, int, bool) {
	ifs, err := net.Interfaces()
	if err != nil {
		return "", 0, false
	}
	for _, ifi := range ifs {
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, ad := range addrs {
			if ipn, ok := ad.(*net.IPNet); ok {
				if b, ok := netip.AddrFromSlice(ipn.IP); ok && b.Unmap() == a.Unmap() {
					return ifi.Name, ifi.Index, true
				}
			}
		}
	}
	return "", 0, false
}

// EmbedsScope reads net.inet6.ip6.in6_embedded_scope once (bsd/netinet6/
// scope6.c, 1 unless a boot argument says otherwise).
func (h *darwinHost) EmbedsScope() bool {
	h.embedOnce.Do(func() {
		v, err := unix.SysctlUint32("net.inet6.ip6.in6_embedded_scope")
		h.embed = err != nil || v != 0
	})
	return h.embed
}

func (h *darwinHost) AddRoute(req routeRequest) error {
	_, err := routeRequestDo(req)
	return err
}

func (h *darwinHost) GetRoute(req routeRequest) (macos.RouteMessage, error) {
	return routeRequestDo(req)
}

func (h *darwinHost) DumpRoutes() ([]macos.RouteMessage, error) {
	return macos.FetchRouteMessages(unix.AF_INET6)
}

func (h *darwinHost) NDP(ctx context.Context) (string, error) {
	return h.run(ctx, "/usr/sbin/ndp", "-an")
}

func (h *darwinHost) ReadSysctl(ctx context.Context, name string) (string, error) {
	out, err := h.run(ctx, "/usr/sbin/sysctl", "-n", name)
	return strings.TrimSpace(out), err
}

func (h *darwinHost) WriteSysctl(ctx context.Context, name, value string) error {
	_, err := h.run(ctx, "/usr/sbin/sysctl", "-w", name+"="+value)
	return err
}

func (h *darwinHost) BootID() string {
	id, _ := unix.Sysctl("kern.bootsessionuuid")
	return id
}

// Alive: kill(pid, 0) tells whether the process exists (EPERM: it does, and
// is someone else's); a zombie (SZOMB, bsd/sys/proc.h) holds nothing.
func (h *darwinHost) Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := unix.Kill(pid, 0); errors.Is(err, unix.ESRCH) {
		return false
	}
	const szomb = 5
	if kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid); err == nil && kp.Proc.P_stat == szomb {
		return false
	}
	return true
}
