//go:build darwin

package macos

import (
	"net"
	"net/netip"

	"golang.org/x/net/route"
	"golang.org/x/sys/unix"
)

// FetchRouteMessages reads the routing table with NET_RT_DUMP2 (rt_msghdr2, which carries the flags and
// scope this package needs) for family (unix.AF_INET6 or unix.AF_INET; 0 for all).
func FetchRouteMessages(family int) ([]RouteMessage, error) {
	b, err := route.FetchRIB(family, route.RIBType(unix.NET_RT_DUMP2), 0)
	if err != nil {
		return nil, err
	}
	msgs, err := route.ParseRIB(route.RIBType(unix.NET_RT_DUMP2), b)
	if err != nil {
		return nil, err
	}
	return FromRouteMessages(msgs), nil
}

// FromRouteMessages copies golang.org/x/net/route messages into RouteMessage; non-route messages are
// dropped.
func FromRouteMessages(msgs []route.Message) []RouteMessage {
	var out []RouteMessage
	for _, m := range msgs {
		rm, ok := m.(*route.RouteMessage)
		if !ok || rm.Err != nil {
			continue
		}
		r := RouteMessage{Type: rm.Type, Flags: uint32(rm.Flags), Index: rm.Index}
		for i, a := range rm.Addrs {
			if i >= RTAX_MAX {
				break
			}
			switch a := a.(type) {
			case *route.Inet4Addr:
				r.Addrs[i] = RouteAddr{IP: netip.AddrFrom4(a.IP)}
			case *route.Inet6Addr:
				r.Addrs[i] = RouteAddr{IP: netip.AddrFrom16(a.IP), ZoneID: a.ZoneID}
			case *route.LinkAddr:
				r.Addrs[i] = RouteAddr{Link: &RouteLink{Index: a.Index, Name: a.Name, Addr: net.HardwareAddr(a.Addr)}}
			}
		}
		out = append(out, r)
	}
	return out
}

// InterfaceNames maps interface indexes to names for Routes.
func InterfaceNames() (map[int]string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	m := make(map[int]string, len(ifs))
	for _, i := range ifs {
		m[i.Index] = i.Name
	}
	return m, nil
}
