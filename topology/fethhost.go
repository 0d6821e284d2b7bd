package topology

import (
	"context"
	"net"
	"net/netip"

	"github.com/netconform/netconform/macos"
)

// fethHost is everything the darwin driver asks of the Mac. The real one
// (fethhost_darwin.go) runs ifconfig, ndp and sysctl, issues the IPv6 ioctls,
// opens /dev/bpf and talks PF_ROUTE; the lab logic on top of it (fethlab.go)
// has no build tag and is tested on Linux against a fake.
type fethHost interface {
	// Exists reports whether an interface of that name exists.
	Exists(name string) bool
	// CreatePair creates sut and wire, peers them and brings both up; on
	// failure it destroys what it created. A create answered EBUSY wraps
	// macos.ErrNameBusy.
	CreatePair(ctx context.Context, sut, wire string) error
	Destroy(ctx context.Context, name string) error
	// SetMAC sets the link-layer address (`ifconfig fethN ether`, macOS's usual
	// spelling of lladdr:
	// SIOCSIFLLADDR, which if_fake.c's feth_ioctl passes to ifnet_set_lladdr).
	SetMAC(ctx context.Context, name string, mac net.HardwareAddr) error
	// Ifconfig returns `ifconfig -L -v <name>` output.
	Ifconfig(ctx context.Context, name string) (string, error)
	// StartIPv6 attaches IPv6, clears ND6_IFF_DAD and starts the link-local
	// address (macos.StartIPv6). already reports that IPv6 was attached
	// before (SIOCPROTOATTACH_IN6 answered EEXIST), which is no failure.
	StartIPv6(name string) (already bool, err error)
	// StartAutoconf sets IFEF_ACCEPT_RTADV (SIOCAUTOCONF_START).
	StartAutoconf(name string) error
	AddIPv4(ctx context.Context, name string, p netip.Prefix) error
	// OpenRaw opens the frame endpoint (/dev/bpf) bound to name.
	OpenRaw(name string) (RawConn, error)
	Index(name string) (int, error)
	// Names maps interface indexes to names.
	Names() (map[int]string, error)
	// OwnerOf names the interface holding address a.
	OwnerOf(a netip.Addr) (name string, index int, ok bool)
	// EmbedsScope reports net.inet6.ip6.in6_embedded_scope.
	EmbedsScope() bool
	AddRoute(req routeRequest) error
	// GetRoute returns the kernel's reply, or errNoRoute.
	GetRoute(req routeRequest) (macos.RouteMessage, error)
	// DumpRoutes reads the IPv6 routing table (NET_RT_DUMP2).
	DumpRoutes() ([]macos.RouteMessage, error)
	// NDP returns `ndp -an` output.
	NDP(ctx context.Context) (string, error)
	ReadSysctl(ctx context.Context, name string) (string, error)
	WriteSysctl(ctx context.Context, name, value string) error
	// BootID identifies this boot (kern.bootsessionuuid): interfaces listed
	// by a state file of another boot are gone.
	BootID() string
	// Alive reports whether pid runs (a zombie does not).
	Alive(pid int) bool
}
