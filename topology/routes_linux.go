package topology

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// netlink v1.3.1 cannot express an IPv6 source-specific route: its Route.Src
// is the preferred source, not the "from" prefix. These raw requests set
// rtm_src_len and RTA_SRC themselves. They open their netlink socket in the
// calling thread's namespace: call them inside SUT.Do.

// addRoute installs r (with Src, a source-specific route) via ifindex.
func addRoute(r Route, ifindex int) error {
	req := nl.NewNetlinkRequest(unix.RTM_NEWROUTE, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	msg := nl.NewRtMsg()
	msg.Family = unix.AF_INET6
	msg.Protocol = unix.RTPROT_STATIC
	msg.Dst_len = uint8(r.Dst.Bits())
	if r.Src.IsValid() {
		msg.Src_len = uint8(r.Src.Bits())
	}
	req.AddData(msg)
	if r.Dst.Bits() > 0 {
		a := r.Dst.Masked().Addr().As16()
		req.AddData(nl.NewRtAttr(unix.RTA_DST, a[:]))
	}
	if r.Src.IsValid() {
		a := r.Src.Masked().Addr().As16()
		req.AddData(nl.NewRtAttr(unix.RTA_SRC, a[:]))
	}
	gw := r.Gateway.As16()
	req.AddData(nl.NewRtAttr(unix.RTA_GATEWAY, gw[:]))
	oif := make([]byte, 4)
	binary.NativeEndian.PutUint32(oif, uint32(ifindex))
	req.AddData(nl.NewRtAttr(unix.RTA_OIF, oif))
	if _, err := req.Execute(unix.NETLINK_ROUTE, 0); err != nil {
		return fmt.Errorf("add route %s: %w", describeRoute(r), err)
	}
	return nil
}

func describeRoute(r Route) string {
	s := r.Dst.String()
	if r.Src.IsValid() {
		s += " from " + r.Src.String()
	}
	return s + " via " + r.Gateway.String()
}

// dumpRoutes lists the IPv6 routes of the main table, with the source prefix
// of source-specific routes. ifname maps an ifindex to a name.
func dumpRoutes(ifname func(int) string) ([]RouteEntry, error) {
	var msgs [][]byte
	var err error
	for attempt := 0; attempt < 5; attempt++ { // a dump racing an address change is marked interrupted: retry
		req := nl.NewNetlinkRequest(unix.RTM_GETROUTE, unix.NLM_F_DUMP)
		req.AddData(&nl.RtMsg{RtMsg: unix.RtMsg{Family: unix.AF_INET6}})
		msgs, err = req.Execute(unix.NETLINK_ROUTE, unix.RTM_NEWROUTE)
		if !errors.Is(err, nl.ErrDumpInterrupted) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dump routes: %w", err)
	}
	var out []RouteEntry
	for _, m := range msgs {
		e, table, ok, err := parseRouteMsg(m, ifname)
		if err != nil {
			return nil, err
		}
		if ok && table == unix.RT_TABLE_MAIN {
			out = append(out, e)
		}
	}
	return out, nil
}

var protoNames = map[uint8]string{
	unix.RTPROT_KERNEL: "kernel", unix.RTPROT_BOOT: "boot", unix.RTPROT_STATIC: "static",
	unix.RTPROT_RA: "ra",
}

func parseRouteMsg(m []byte, ifname func(int) string) (RouteEntry, uint32, bool, error) {
	if len(m) < unix.SizeofRtMsg {
		return RouteEntry{}, 0, false, fmt.Errorf("short route message (%d bytes)", len(m))
	}
	msg := nl.DeserializeRtMsg(m)
	if msg.Type != unix.RTN_UNICAST {
		return RouteEntry{}, 0, false, nil // local, multicast, unreachable entries are not routes a packet leaves by
	}
	attrs, err := nl.ParseRouteAttr(m[msg.Len():])
	if err != nil {
		return RouteEntry{}, 0, false, fmt.Errorf("parse route attributes: %w", err)
	}
	e := RouteEntry{Proto: protoNames[msg.Protocol]}
	if e.Proto == "" {
		e.Proto = fmt.Sprint(msg.Protocol)
	}
	table := uint32(msg.Table)
	dst := netip.IPv6Unspecified()
	var src netip.Addr
	for _, a := range attrs {
		switch a.Attr.Type {
		case unix.RTA_DST:
			dst, _ = netip.AddrFromSlice(a.Value)
		case unix.RTA_SRC:
			src, _ = netip.AddrFromSlice(a.Value)
		case unix.RTA_GATEWAY:
			e.Gateway, _ = netip.AddrFromSlice(a.Value)
		case unix.RTA_PREFSRC:
			e.PrefSrc, _ = netip.AddrFromSlice(a.Value)
		case unix.RTA_OIF:
			if len(a.Value) >= 4 {
				e.Interface = ifname(int(binary.NativeEndian.Uint32(a.Value)))
			}
		case unix.RTA_PRIORITY:
			if len(a.Value) >= 4 {
				e.Metric = int(binary.NativeEndian.Uint32(a.Value))
			}
		case unix.RTA_TABLE:
			if len(a.Value) >= 4 {
				table = binary.NativeEndian.Uint32(a.Value)
			}
		case unix.RTA_PREF:
			if len(a.Value) >= 1 {
				e.Pref = map[uint8]string{0: "medium", 1: "high", 3: "low"}[a.Value[0]]
			}
		}
	}
	e.Dst = netip.PrefixFrom(dst, int(msg.Dst_len))
	if msg.Src_len > 0 && src.IsValid() {
		e.Src = netip.PrefixFrom(src, int(msg.Src_len))
	}
	return e, table, true, nil
}
