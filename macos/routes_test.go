package macos

import (
	"net"
	"net/netip"
	"testing"
)

func ip(s string) RouteAddr { return RouteAddr{IP: netip.MustParseAddr(s)} }

func link(index int, name string, mac string) RouteAddr {
	l := &RouteLink{Index: index, Name: name}
	if mac != "" {
		l.Addr, _ = net.ParseMAC(mac)
	}
	return RouteAddr{Link: l}
}

func msg(flags uint32, index int, addrs map[int]RouteAddr) RouteMessage {
	m := RouteMessage{Type: 0x14, Flags: flags, Index: index} // RTM_GET2
	for i, a := range addrs {
		m.Addrs[i] = a
	}
	return m
}

func TestRoutes(t *testing.T) {
	ifNames := map[int]string{1: "lo0", 21: "feth0", 23: "feth2"}
	fe80a := RouteAddr{IP: netip.MustParseAddr("fe80::a"), ZoneID: 21}
	msgs := []RouteMessage{
		// Unscoped default via the primary interface's router: UGcg.
		msg(RTF_UP|RTF_GATEWAY|RTF_PRCLONING|RTF_GLOBAL, 21, map[int]RouteAddr{RTAX_DST: ip("::"), RTAX_GATEWAY: fe80a, RTAX_NETMASK: {}}),
		// Interface-scoped default on feth2: UGcIg.
		msg(RTF_UP|RTF_GATEWAY|RTF_PRCLONING|RTF_IFSCOPE|RTF_GLOBAL, 23, map[int]RouteAddr{
			RTAX_DST: ip("::"), RTAX_GATEWAY: {IP: netip.MustParseAddr("fe80::c"), ZoneID: 23}}),
		// Connected prefix: gateway is link#21.
		msg(RTF_UP|RTF_CLONING, 21, map[int]RouteAddr{RTAX_DST: ip("2001:db8:a::"), RTAX_GATEWAY: link(21, "", ""),
			RTAX_NETMASK: ip("ffff:ffff:ffff:ffff::")}),
		// Neighbour entry with a MAC, host route, scoped: UHLWIi.
		msg(RTF_UP|RTF_HOST|RTF_LLINFO|RTF_WASCLONED|RTF_IFSCOPE|RTF_IFREF, 21, map[int]RouteAddr{
			RTAX_DST: {IP: netip.MustParseAddr("fe80::a"), ZoneID: 21}, RTAX_GATEWAY: link(21, "feth0", "02:00:00:00:00:0a")}),
		// IPv4 /24 with an IFP sockaddr naming the interface.
		msg(RTF_UP|RTF_GATEWAY|RTF_STATIC, 23, map[int]RouteAddr{RTAX_DST: ip("10.1.2.0"), RTAX_GATEWAY: ip("10.1.2.1"),
			RTAX_NETMASK: ip("255.255.255.0"), RTAX_IFP: link(23, "feth2", "")}),
		// Skipped: no destination; non-contiguous mask.
		msg(RTF_UP, 1, map[int]RouteAddr{RTAX_GATEWAY: ip("::1")}),
		msg(RTF_UP, 1, map[int]RouteAddr{RTAX_DST: ip("10.0.0.0"), RTAX_NETMASK: ip("255.0.255.0")}),
	}
	rs := Routes(msgs, ifNames)
	want := []struct {
		dst, gw, ifname, flags string
		ifscope, def           bool
		gwLink                 int
	}{
		{"::/0", "fe80::a%feth0", "feth0", "UGcg", false, true, 0},
		{"::/0", "fe80::c%feth2", "feth2", "UGcIg", true, true, 0},
		{"2001:db8:a::/64", "", "feth0", "UC", false, false, 21},
		{"fe80::a/128", "", "feth0", "UHLWIi", true, false, 21},
		{"10.1.2.0/24", "10.1.2.1", "feth2", "UGS", false, false, 0},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d routes: %+v", len(rs), rs)
	}
	for i, w := range want {
		r := rs[i]
		gw := ""
		if r.Gateway.IsValid() {
			gw = r.Gateway.String()
		}
		gwLink := 0
		if r.GatewayLink != nil {
			gwLink = r.GatewayLink.Index
		}
		if r.Dst.String() != w.dst || gw != w.gw || r.IfName != w.ifname || r.FlagString != w.flags ||
			r.IfScope != w.ifscope || r.IsDefault() != w.def || gwLink != w.gwLink {
			t.Errorf("route %d: %+v (gw %q)", i, r, gw)
		}
	}
	if rs[3].GatewayLink.Addr.String() != "02:00:00:00:00:0a" {
		t.Errorf("neighbour MAC %v", rs[3].GatewayLink.Addr)
	}
	// Without names the zone is the index.
	if r := Routes(msgs[:1], nil); r[0].Gateway.Zone() != "21" || r[0].IfName != "" {
		t.Errorf("unnamed: %+v", r[0])
	}
	if len(Routes(nil, nil)) != 0 {
		t.Error("routes from nothing")
	}
}

func TestRouteFlagString(t *testing.T) {
	for _, tc := range []struct {
		flags uint32
		want  string
	}{
		{0, ""},
		{RTF_UP | RTF_HOST | RTF_LLINFO | RTF_LOCAL, "UHL"}, // RTF_LOCAL has no letter in netstat
		{RTF_UP | RTF_MULTICAST | RTF_CLONING | RTF_IFSCOPE, "UmCI"},
		{RTF_UP | RTF_GATEWAY | RTF_STATIC | RTF_PRCLONING | RTF_IFSCOPE | RTF_GLOBAL | RTF_ROUTER, "UGScIrg"},
	} {
		if got := RouteFlagString(tc.flags); got != tc.want {
			t.Errorf("%#x: %q, want %q", tc.flags, got, tc.want)
		}
	}
}

func TestMaskLen(t *testing.T) {
	for _, tc := range []struct {
		mask []byte
		n    int
		ok   bool
	}{
		{[]byte{255, 255, 255, 0}, 24, true}, {[]byte{255, 255, 254, 0}, 23, true}, {[]byte{0, 0}, 0, true},
		{[]byte{255, 0, 255, 0}, 0, false}, {[]byte{0xf0, 0x0f}, 0, false}, {[]byte{0xf4}, 0, false},
	} {
		n, ok := maskLen(tc.mask)
		if n != tc.n || ok != tc.ok {
			t.Errorf("% x: %d %v", tc.mask, n, ok)
		}
	}
}
