package topology

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/netconform/netconform/macos"
)

// fethSUT is the SUT view of a fethLab: the Mac itself, seen through the lab's
// interfaces. Routes and neighbours are limited to those interfaces, so that
// evidence never carries the Mac's own networks.
type fethSUT fethLab

// Do runs fn: there is no namespace to enter, the SUT is this host.
func (s *fethSUT) Do(fn func() error) error { return fn() }

// Start starts cmd on the host.
func (s *fethSUT) Start(cmd *exec.Cmd) error { return cmd.Start() }

// Shell runs script with /bin/sh -c and env, on the host.
func (s *fethSUT) Shell(ctx context.Context, script string, env []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	cmd.Env = env
	return cmd.CombinedOutput()
}

func (s *fethSUT) Interface(link string) string {
	if l, ok := s.links[link]; ok {
		return l.sut
	}
	return ""
}

func (s *fethSUT) sutIfs() []string {
	var out []string
	for _, l := range s.links {
		out = append(out, l.sut)
	}
	return out
}

func (s *fethSUT) Addresses(link string) ([]Address, error) {
	l, ok := s.links[link]
	if !ok {
		return nil, fmt.Errorf("no link %q in lab %s", link, s.lab.Name)
	}
	text, err := s.env.host.Ifconfig(context.Background(), l.sut)
	if err != nil {
		return nil, fmt.Errorf("addresses of %s: %w", l.sut, err)
	}
	ifs, perr := macos.ParseIfconfig(text)
	i, ok := macos.FindInterface(ifs, l.sut)
	if !ok {
		return nil, fmt.Errorf("ifconfig %s: no such interface in its output (%v)", l.sut, perr)
	}
	return ifconfigAddresses(i), nil
}

// ifconfigAddresses converts ifconfig's address lines. "autoconf" is
// xnu's IN6_IFF_AUTOCONF (SLAAC), printed by ifconfig.tproj's af_inet6.c.
func ifconfigAddresses(i macos.Interface) []Address {
	// Prefix holds the address itself with its length, as on Linux (the
	// checks read the address back from it), not the masked network.
	var out []Address
	for _, a := range i.Inet6 {
		if a.PrefixLen < 0 || a.PrefixLen > 128 || !a.Addr.Is6() {
			continue
		}
		out = append(out, Address{Prefix: netip.PrefixFrom(a.Addr.WithZone(""), a.PrefixLen),
			Tentative: a.Has("tentative"), Deprecated: a.Has("deprecated"), Autoconf: a.Has("autoconf"),
			ValidLft: ifconfigLifetime(a.VLTime), PreferredLft: ifconfigLifetime(a.PLTime)})
	}
	for _, a := range i.Inet {
		bits := 32
		if a.Prefix.IsValid() {
			bits = a.Prefix.Bits()
		}
		out = append(out, Address{Prefix: netip.PrefixFrom(a.Addr, bits)})
	}
	return out
}

// ifconfigLifetime reads one of `ifconfig -L`'s remaining lifetimes
// (network_cmds ifconfig.tproj af_inet6.c, in6_status: "pltime N vltime N",
// sec2str printing plain seconds, "infty" for infinite, "0" once passed). The
// pair is printed only when one of them is finite, so an address without it
// has no known lifetime here: nil.
func ifconfigLifetime(s string) *uint32 {
	if s == "infty" {
		return lft(ForeverLft)
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return nil
	}
	return lft(uint32(v))
}

// Routes lists the IPv6 routes through the lab's interfaces.
func (s *fethSUT) Routes() ([]RouteEntry, error) {
	msgs, err := s.env.host.DumpRoutes()
	if err != nil {
		return nil, fmt.Errorf("routing table: %w", err)
	}
	names, err := s.env.host.Names()
	if err != nil {
		return nil, err
	}
	return labRoutes(macos.Routes(msgs, names), s.sutIfs()), nil
}

func labRoutes(rs []macos.Route, ifs []string) []RouteEntry {
	var out []RouteEntry
	for _, r := range rs {
		if r.Dst.Addr().Is6() && slices.Contains(ifs, r.IfName) {
			out = append(out, routeEntryOf(r))
		}
	}
	return out
}

// RouteGet asks the kernel's table (RTM_GET) which route serves dst. With a
// source, the lookup is scoped to the interface owning it, as xnu scopes a
// socket's lookups to its source's interface.
func (s *fethSUT) RouteGet(dst, src netip.Addr) (RouteEntry, error) {
	host := s.env.host
	scope := 0
	if src.IsValid() && !src.IsUnspecified() {
		_, idx, ok := host.OwnerOf(src.WithZone(""))
		if !ok {
			return RouteEntry{}, fmt.Errorf("route get %s from %s: no interface holds %s", dst, src, src)
		}
		scope = idx
	}
	dstIndex := 0
	if z := dst.Zone(); z != "" {
		if n, err := strconv.Atoi(z); err == nil {
			dstIndex = n
		} else if n, err := host.Index(z); err == nil {
			dstIndex = n
		}
	}
	reply, err := host.GetRoute(getRouteRequest(dst, dstIndex, scope, host.EmbedsScope()))
	if errors.Is(err, errNoRoute) {
		e := routeGetEntry(dst, src, macos.RouteMessage{}, nil)
		e.Error = errNoRoute.Error()
		return e, nil
	}
	if err != nil {
		return RouteEntry{}, fmt.Errorf("route get %s from %s: %w", dst, src, err)
	}
	names, err := host.Names()
	if err != nil {
		return RouteEntry{}, err
	}
	return routeGetEntry(dst, src, reply, names), nil
}

// ScopedRouteGetter is a SUT whose routing table can be asked for a lookup
// scoped to one interface: the darwin driver's, where a check's socket is
// bound to the lab's interface (IPV6_BOUND_IF) and an unscoped lookup would
// read the Mac's own table instead of the lab's.
type ScopedRouteGetter interface {
	// RouteGetOn asks which route serves dst for a lookup scoped to the SUT
	// interface ifname, as a socket bound to that interface sees it.
	RouteGetOn(dst netip.Addr, ifname string) (RouteEntry, error)
}

var _ ScopedRouteGetter = (*fethSUT)(nil)

// scopeUnbound: on macOS the SUT is the host, and an unbound socket's lookup
// would take the Mac's primary (unscoped) default route, out of the user's
// real network; IPV6_BOUND_IF keeps it on the lab's interface
// (scope_darwin.go).
func (s *fethSUT) scopeUnbound(ifname string) func(network, address string, c syscall.RawConn) error {
	return scopeToInterface(ifname)
}

// RouteGetOn sends RTM_GET with RTF_IFSCOPE and rtm_index = ifname's index
// (rtsock.c, route_output: "If RTF_IFSCOPE flag is set, then rtm_index
// specifies the scope"), the lookup ip6_output makes for a socket bound to
// that interface. The lab's default routes exist only in that scope:
// defrouter_select installs a router's default route scoped to its
// interface unless the interface is nd6_defifp (nd6_rtr.c,
// defrouter_addreq's scoped argument), which only SIOCSDEFIFACE_IN6 sets. Only
// the lab's interfaces may be named: the Mac's own are not the SUT's table.
func (s *fethSUT) RouteGetOn(dst netip.Addr, ifname string) (RouteEntry, error) {
	if !slices.Contains(s.sutIfs(), ifname) {
		return RouteEntry{}, fmt.Errorf("route get %s scoped to %s: not an interface of lab %s", dst, ifname, s.lab.Name)
	}
	host := s.env.host
	scope, err := host.Index(ifname)
	if err != nil {
		return RouteEntry{}, fmt.Errorf("route get %s scoped to %s: %w", dst, ifname, err)
	}
	dstIndex := 0
	if needsScope(dst) {
		dstIndex = scope
	}
	reply, err := host.GetRoute(getRouteRequest(dst, dstIndex, scope, host.EmbedsScope()))
	if errors.Is(err, errNoRoute) {
		e := routeGetEntry(dst, netip.Addr{}, macos.RouteMessage{}, nil)
		e.Error = errNoRoute.Error()
		return e, nil
	}
	if err != nil {
		return RouteEntry{}, fmt.Errorf("route get %s scoped to %s: %w", dst, ifname, err)
	}
	names, err := host.Names()
	if err != nil {
		return RouteEntry{}, err
	}
	return routeGetEntry(dst, netip.Addr{}, reply, names), nil
}

// Neighbors lists the neighbour cache entries of the lab's interfaces
// (`ndp -an`; IPv4 ARP entries are not read on darwin).
func (s *fethSUT) Neighbors() ([]Neighbor, error) {
	text, err := s.env.host.NDP(context.Background())
	if err != nil {
		return nil, fmt.Errorf("ndp -an: %w", err)
	}
	ns, perr := macos.ParseNDPNeighbors(text)
	if len(ns) == 0 && perr != nil {
		return nil, perr
	}
	return labNeighbors(ns, s.sutIfs()), nil
}

// ndpStates spells ndp's one-letter states (network_cmds ndp.c) as the Linux
// names the reports use.
var ndpStates = map[string]string{
	"N": "NOSTATE", "I": "INCOMPLETE", "R": "REACHABLE", "S": "STALE", "D": "DELAY", "P": "PROBE", "W": "WAITDELETE",
}

func labNeighbors(ns []macos.NDPNeighbor, ifs []string) []Neighbor {
	var out []Neighbor
	for _, n := range ns {
		if !slices.Contains(ifs, n.Interface) || !n.Addr.IsValid() {
			continue
		}
		st := ndpStates[n.State]
		switch {
		case n.Expire == "permanent":
			st = "PERMANENT"
		case st == "":
			st = n.State
		}
		out = append(out, Neighbor{Addr: n.Addr.WithZone(""), MAC: ndpMAC(n.LinkLayer), Interface: n.Interface, State: st, Router: n.IsRouter()})
	}
	return out
}

// ndpMAC normalises ndp's MAC ("66:65:74:68:0:1", leading zeros dropped) to
// net.HardwareAddr's form; anything else ("(incomplete)") is returned as is.
func ndpMAC(s string) string {
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return s
	}
	mac := make(net.HardwareAddr, 6)
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 16, 8)
		if err != nil || p == "" {
			return s
		}
		mac[i] = byte(v)
	}
	return mac.String()
}
