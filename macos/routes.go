package macos

import (
	"math/bits"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Routing-table entries from NET_RT_DUMP2 messages (struct rt_msghdr2 and its sockaddrs, bsd/net/route.h),
// decoded by ParseRouteMessages (routemsg.go) into RouteMessage, which has no build tag: the decoding and the
// conversion are tested on Linux with dump bytes.

// RTF_* flags from bsd/net/route.h (xnu-11417.121.6).
const (
	RTF_UP        = 0x1
	RTF_GATEWAY   = 0x2
	RTF_HOST      = 0x4
	RTF_REJECT    = 0x8
	RTF_DYNAMIC   = 0x10
	RTF_MODIFIED  = 0x20
	RTF_DONE      = 0x40
	RTF_CLONING   = 0x100
	RTF_XRESOLVE  = 0x200
	RTF_LLINFO    = 0x400
	RTF_STATIC    = 0x800
	RTF_BLACKHOLE = 0x1000
	RTF_PROTO2    = 0x4000
	RTF_PROTO1    = 0x8000
	RTF_PRCLONING = 0x10000
	RTF_WASCLONED = 0x20000
	RTF_PROTO3    = 0x40000
	RTF_LOCAL     = 0x200000
	RTF_BROADCAST = 0x400000
	RTF_MULTICAST = 0x800000
	RTF_IFSCOPE   = 0x1000000
	RTF_IFREF     = 0x4000000
	RTF_PROXY     = 0x8000000
	RTF_ROUTER    = 0x10000000
	RTF_GLOBAL    = 0x40000000
)

// RTAX_* indexes of the sockaddrs following a routing message header.
const (
	RTAX_DST     = 0
	RTAX_GATEWAY = 1
	RTAX_NETMASK = 2
	RTAX_GENMASK = 3
	RTAX_IFP     = 4
	RTAX_IFA     = 5
	RTAX_AUTHOR  = 6
	RTAX_BRD     = 7
	RTAX_MAX     = 8
)

// routeFlagLetters is netstat's table (network_cmds netstat.tproj/route.c), in its order, so that
// RouteFlagString gives the letters netstat would print before cutting them to 10.
var routeFlagLetters = []struct {
	mask   uint32
	letter byte
}{
	{RTF_UP, 'U'}, {RTF_GATEWAY, 'G'}, {RTF_HOST, 'H'}, {RTF_REJECT, 'R'}, {RTF_DYNAMIC, 'D'},
	{RTF_MODIFIED, 'M'}, {RTF_MULTICAST, 'm'}, {RTF_DONE, 'd'}, {RTF_CLONING, 'C'}, {RTF_XRESOLVE, 'X'},
	{RTF_LLINFO, 'L'}, {RTF_STATIC, 'S'}, {RTF_PROTO1, '1'}, {RTF_PROTO2, '2'}, {RTF_WASCLONED, 'W'},
	{RTF_PRCLONING, 'c'}, {RTF_PROTO3, '3'}, {RTF_BLACKHOLE, 'B'}, {RTF_BROADCAST, 'b'}, {RTF_IFSCOPE, 'I'},
	{RTF_IFREF, 'i'}, {RTF_PROXY, 'Y'}, {RTF_ROUTER, 'r'}, {RTF_GLOBAL, 'g'},
}

// RouteFlagString renders flags with netstat's letters, e.g. "UGScIg" for a scoped default route.
func RouteFlagString(flags uint32) string {
	var b strings.Builder
	for _, f := range routeFlagLetters {
		if flags&f.mask != 0 {
			b.WriteByte(f.letter)
		}
	}
	return b.String()
}

// RouteAddr is one sockaddr of a routing message: an IP address, a link address, or nothing.
type RouteAddr struct {
	IP     netip.Addr // without zone; see ZoneID
	ZoneID int        // interface index of a scoped IPv6 address (KAME embeds it in the address)
	Link   *RouteLink
}

// RouteLink is a sockaddr_dl.
type RouteLink struct {
	Index int
	Name  string
	Addr  net.HardwareAddr
}

// RouteMessage holds what Routes needs of one routing message (ParseRouteMessages). Addrs is indexed by
// RTAX_*.
type RouteMessage struct {
	Type  int
	Flags uint32
	Index int // rtm_index: the outgoing interface, and the scope when RTF_IFSCOPE is set
	Addrs [RTAX_MAX]RouteAddr
	// Use is rtm_use, the packets sent on the route (dumps); never an error code.
	Use int
	// Errno is rtm_errno of an rt_msghdr (a reply to a request); RTM_GET2 dump entries have none.
	Errno int
	// PID and Seq identify the request a reply answers (rt_msghdr only).
	PID, Seq int
	// Refcnt is rtm_refcnt of a dump entry (rt_msghdr2 only).
	Refcnt int
}

// Route is one routing-table entry.
type Route struct {
	Dst         netip.Prefix
	Gateway     netip.Addr // with zone name when the gateway is link-local and the name is known
	GatewayLink *RouteLink // for connected routes (gateway "link#N") and neighbour entries
	IfIndex     int
	IfName      string
	Flags       uint32
	FlagString  string // netstat letters, uncut
	IfScope     bool   // RTF_IFSCOPE: only used by lookups scoped to IfIndex ('I')
}

// IsDefault reports a default route (::/0 or 0.0.0.0/0).
func (r Route) IsDefault() bool { return r.Dst.IsValid() && r.Dst.Bits() == 0 }

// Routes converts routing messages into routes. ifNames maps interface indexes to names (net.Interfaces
// gives it); it may be nil. Messages without a usable destination are skipped.
func Routes(msgs []RouteMessage, ifNames map[int]string) []Route {
	var rs []Route
	for _, m := range msgs {
		dst := m.Addrs[RTAX_DST]
		if !dst.IP.IsValid() {
			continue
		}
		r := Route{Flags: m.Flags, FlagString: RouteFlagString(m.Flags), IfIndex: m.Index, IfScope: m.Flags&RTF_IFSCOPE != 0}
		r.Dst = routePrefix(dst, m.Addrs[RTAX_NETMASK], m.Flags, ifNames)
		if !r.Dst.IsValid() {
			continue
		}
		switch gw := m.Addrs[RTAX_GATEWAY]; {
		case gw.IP.IsValid():
			r.Gateway = withZone(gw.IP, gw.ZoneID, ifNames)
		case gw.Link != nil:
			l := *gw.Link
			r.GatewayLink = &l
			if r.IfIndex == 0 {
				r.IfIndex = l.Index
			}
		}
		if ifp := m.Addrs[RTAX_IFP].Link; ifp != nil && ifp.Name != "" {
			r.IfName = ifp.Name
		}
		if r.IfName == "" {
			r.IfName = ifNames[r.IfIndex]
		}
		rs = append(rs, r)
	}
	return rs
}

// routePrefix builds the destination prefix. The zone of a link-local destination is not part of a
// netip.Prefix; the interface is in Route.IfIndex.
func routePrefix(dst, mask RouteAddr, flags uint32, ifNames map[int]string) netip.Prefix {
	ip := dst.IP
	full := ip.BitLen()
	if flags&RTF_HOST != 0 {
		return netip.PrefixFrom(ip, full)
	}
	ones := full
	switch {
	case mask.IP.IsValid():
		n, ok := maskLen(mask.IP.AsSlice())
		if !ok {
			return netip.Prefix{}
		}
		ones = min(n, full)
	case ip.IsUnspecified():
		// The default route's netmask sockaddr is empty (sa_len 0), which parses to no address.
		ones = 0
	}
	p, err := ip.Prefix(ones)
	if err != nil {
		return netip.Prefix{}
	}
	return p
}

// maskLen counts the leading ones of a contiguous mask.
func maskLen(b []byte) (int, bool) {
	n, seenZero := 0, false
	for _, c := range b {
		if seenZero && c != 0 {
			return 0, false
		}
		ones := bits.LeadingZeros8(^c)
		if ones < 8 {
			if c<<ones != 0 {
				return 0, false
			}
			seenZero = true
		}
		n += ones
	}
	return n, true
}

func withZone(ip netip.Addr, zone int, ifNames map[int]string) netip.Addr {
	if zone == 0 || !ip.Is6() {
		return ip
	}
	if name := ifNames[zone]; name != "" {
		return ip.WithZone(name)
	}
	return ip.WithZone(strconv.Itoa(zone))
}
