package topology

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/netconform/netconform/macos"
)

// PF_ROUTE requests of the darwin driver, as plain data so that building them
// is tested on Linux; routemsg_darwin.go turns them into
// golang.org/x/net/route messages.

// Routing message types from bsd/net/route.h.
const (
	rtmAdd = 0x1
	rtmGet = 0x4
)

// errSourceRoute: xnu's routing table is keyed by destination (and interface
// scope) only; bsd/net/route.c has no source key, so a route "from P" has no
// darwin form.
var errSourceRoute = errors.New("source-specific routes (Route.Src) cannot be expressed on darwin: xnu's routing table has no source key; declare the lab without Src or run it on Linux")

// errNoRoute is what a lookup without a match (ESRCH) becomes.
var errNoRoute = errors.New("no route to host")

// sockaddr6 is a sockaddr_in6 of a routing message.
type sockaddr6 struct {
	IP      [16]byte
	ScopeID int
}

// routeRequest is one message to write on a routing socket.
type routeRequest struct {
	Type    int
	Flags   uint32
	Index   int // rtm_index: with RTF_IFSCOPE, the interface the route or lookup is scoped to
	Dst     sockaddr6
	Gateway *sockaddr6
	Netmask *sockaddr6
	// WantIf asks the kernel to add RTA_IFP and RTA_IFA to an RTM_GET reply
	// (rtsock.c, route_output: an empty RTA_IFP in the request does it).
	WantIf bool
}

// needsScope is KAME's IN6_IS_SCOPE_EMBED: link-local unicast, and link- and
// interface-local multicast.
func needsScope(a netip.Addr) bool {
	return a.Is6() && (a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast())
}

// scopedSockaddr builds the sockaddr for a. A scoped address gets the
// interface index in sin6_scope_id and, when the kernel embeds scopes (xnu's
// default: net.inet6.ip6.in6_embedded_scope=1, bsd/netinet6/scope6.c), also in
// bytes 2-3 of the address, as route(8) does.
func scopedSockaddr(a netip.Addr, ifindex int, embed bool) sockaddr6 {
	s := sockaddr6{IP: a.WithZone("").As16()}
	if needsScope(a) && ifindex > 0 {
		s.ScopeID = ifindex
		if embed {
			s.IP[2], s.IP[3] = byte(ifindex>>8), byte(ifindex)
		}
	}
	return s
}

func netmask6(bits int) sockaddr6 {
	var s sockaddr6
	for i := 0; i < bits; i++ {
		s.IP[i/8] |= 0x80 >> (i % 8)
	}
	return s
}

// addRouteRequest is RTM_ADD for a lab route. Every lab route is scoped to
// the lab interface (RTF_IFSCOPE): an unscoped route, a default above all,
// would compete with the Mac's own and could take its traffic. A scoped route
// serves lookups scoped to that interface, which is what a socket bound to
// one of the interface's addresses does (darwin.md, "How xnu chooses a next
// hop").
func addRouteRequest(r Route, ifindex int, embed bool) (routeRequest, error) {
	if r.Src.IsValid() {
		return routeRequest{}, fmt.Errorf("route to %s from %s: %w", r.Dst, r.Src, errSourceRoute)
	}
	if !r.Dst.Addr().Is6() || !r.Gateway.Is6() || r.Gateway.Is4In6() {
		return routeRequest{}, fmt.Errorf("route to %s via %s: the darwin driver installs IPv6 routes only", r.Dst, r.Gateway)
	}
	if ifindex <= 0 {
		return routeRequest{}, fmt.Errorf("route to %s: no interface index", r.Dst)
	}
	req := routeRequest{
		Type:  rtmAdd,
		Flags: macos.RTF_UP | macos.RTF_GATEWAY | macos.RTF_STATIC | macos.RTF_IFSCOPE,
		Index: ifindex,
		Dst:   scopedSockaddr(r.Dst.Masked().Addr(), ifindex, embed),
	}
	gw := scopedSockaddr(r.Gateway, ifindex, embed)
	req.Gateway = &gw
	if r.Dst.Bits() == 128 {
		req.Flags |= macos.RTF_HOST
	} else {
		m := netmask6(r.Dst.Bits())
		req.Netmask = &m
	}
	return req, nil
}

// getRouteRequest is RTM_GET for dst. scope > 0 scopes the lookup to that
// interface (RTF_IFSCOPE with rtm_index, rtsock.c route_output), which is
// what xnu does for a socket whose source address belongs to it. dstIndex is
// the interface of a link-local dst.
func getRouteRequest(dst netip.Addr, dstIndex, scope int, embed bool) routeRequest {
	req := routeRequest{Type: rtmGet, Flags: macos.RTF_UP | macos.RTF_HOST, Dst: scopedSockaddr(dst, dstIndex, embed), WantIf: true}
	if scope > 0 {
		req.Flags |= macos.RTF_IFSCOPE
		req.Index = scope
	}
	return req
}

// routeEntryOf converts a darwin route. Proto carries netstat's flag letters
// (there is no protocol field in xnu's table): "UGScI" says static, scoped.
// Zones are dropped from the gateway so that it compares equal to the lab's
// declared router addresses, as on Linux; Interface says which link.
func routeEntryOf(r macos.Route) RouteEntry {
	return RouteEntry{Dst: r.Dst, Gateway: r.Gateway.WithZone(""), Interface: r.IfName, Proto: r.FlagString}
}

// routeGetEntry turns an RTM_GET reply into the answer for a lookup of dst
// from src: like Linux's `ip route get`, Dst and Src are what was asked.
func routeGetEntry(dst, src netip.Addr, reply macos.RouteMessage, ifNames map[int]string) RouteEntry {
	e := RouteEntry{Dst: netip.PrefixFrom(dst.WithZone(""), dst.BitLen())}
	if src.IsValid() && !src.IsUnspecified() {
		e.Src = netip.PrefixFrom(src.WithZone(""), src.BitLen())
	}
	rs := macos.Routes([]macos.RouteMessage{reply}, ifNames)
	if len(rs) == 0 {
		e.Error = "no route in the reply"
		return e
	}
	r := rs[0]
	e.Gateway, e.Interface, e.Proto = r.Gateway.WithZone(""), r.IfName, r.FlagString
	switch {
	case r.Flags&macos.RTF_BLACKHOLE != 0:
		e.Error = "blackhole"
	case r.Flags&macos.RTF_REJECT != 0:
		e.Error = "unreachable"
	}
	return e
}
