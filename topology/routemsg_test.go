package topology

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/netconform/netconform/macos"
)

func sa(s string, scope int) sockaddr6 {
	return sockaddr6{IP: netip.MustParseAddr(s).As16(), ScopeID: scope}
}

func TestAddRouteRequest(t *testing.T) {
	const base = macos.RTF_UP | macos.RTF_GATEWAY | macos.RTF_STATIC | macos.RTF_IFSCOPE
	for _, tc := range []struct {
		name      string
		route     Route
		embed     bool
		wantErr   error
		wantFlags uint32
		wantDst   sockaddr6
		wantGW    sockaddr6
		wantMask  *sockaddr6
	}{
		{
			name:  "default via a link-local router, scope embedded as route(8) does",
			route: Route{Dst: netip.MustParsePrefix("::/0"), Gateway: netip.MustParseAddr("fe80::a"), Link: "l0"},
			embed: true, wantFlags: base, wantDst: sa("::", 0), wantGW: sa("fe80:1a::a", 26), wantMask: &sockaddr6{},
		},
		{
			name:      "prefix, kernel without embedded scopes",
			route:     Route{Dst: netip.MustParsePrefix("2001:db8:ffff:1::/50"), Gateway: netip.MustParseAddr("fe80::b"), Link: "l0"},
			wantFlags: base, wantDst: sa("2001:db8:ffff::", 0), wantGW: sa("fe80::b", 26), wantMask: ptr(sa("ffff:ffff:ffff:c000::", 0)),
		},
		{
			name:  "host route via a global gateway: no scope on it, no netmask",
			route: Route{Dst: netip.MustParsePrefix("2001:db8::1/128"), Gateway: netip.MustParseAddr("2001:db8:a::1"), Link: "l0"},
			embed: true, wantFlags: base | macos.RTF_HOST, wantDst: sa("2001:db8::1", 0), wantGW: sa("2001:db8:a::1", 0),
		},
		{
			name:    "source-specific: not expressible",
			route:   Route{Dst: netip.MustParsePrefix("::/0"), Src: netip.MustParsePrefix("2001:db8:a::/64"), Gateway: netip.MustParseAddr("fe80::a")},
			wantErr: errSourceRoute,
		},
		{
			name:    "IPv4",
			route:   Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: netip.MustParseAddr("192.0.2.1")},
			wantErr: errors.New("any"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			req, err := addRouteRequest(tc.route, 26, tc.embed)
			if tc.wantErr != nil {
				if err == nil || (errors.Is(tc.wantErr, errSourceRoute) && !errors.Is(err, errSourceRoute)) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.Type != rtmAdd || req.Flags != tc.wantFlags || req.Index != 26 || req.Dst != tc.wantDst || *req.Gateway != tc.wantGW {
				t.Errorf("got %+v gw %+v", req, *req.Gateway)
			}
			if (req.Netmask == nil) != (tc.wantMask == nil) || (req.Netmask != nil && *req.Netmask != *tc.wantMask) {
				t.Errorf("netmask %+v, want %+v", req.Netmask, tc.wantMask)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestGetRouteRequest(t *testing.T) {
	for _, tc := range []struct {
		name            string
		dst             string
		dstIndex, scope int
		wantFlags       uint32
		wantIndex       int
		wantDst         sockaddr6
	}{
		{"unscoped", "2001:db8:ffff::1", 0, 0, macos.RTF_UP | macos.RTF_HOST, 0, sa("2001:db8:ffff::1", 0)},
		{"scoped to the source's interface", "2001:db8:ffff::1", 0, 26, macos.RTF_UP | macos.RTF_HOST | macos.RTF_IFSCOPE, 26, sa("2001:db8:ffff::1", 0)},
		{"link-local destination", "fe80::a", 26, 0, macos.RTF_UP | macos.RTF_HOST, 0, sa("fe80:1a::a", 26)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			req := getRouteRequest(netip.MustParseAddr(tc.dst), tc.dstIndex, tc.scope, true)
			if req.Type != rtmGet || req.Flags != tc.wantFlags || req.Index != tc.wantIndex || req.Dst != tc.wantDst || !req.WantIf || req.Gateway != nil {
				t.Errorf("got %+v", req)
			}
		})
	}
}

func TestRouteGetEntry(t *testing.T) {
	names := map[int]string{26: "feth4000"}
	reply := func(flags uint32) macos.RouteMessage {
		m := macos.RouteMessage{Type: rtmGet, Flags: flags, Index: 26}
		m.Addrs[macos.RTAX_DST] = macos.RouteAddr{IP: netip.IPv6Unspecified()}
		m.Addrs[macos.RTAX_GATEWAY] = macos.RouteAddr{IP: netip.MustParseAddr("fe80::a"), ZoneID: 26}
		m.Addrs[macos.RTAX_IFP] = macos.RouteAddr{Link: &macos.RouteLink{Index: 26, Name: "feth4000"}}
		return m
	}
	dst, src := netip.MustParseAddr("2001:db8:ffff::1"), netip.MustParseAddr("2001:db8:a::1")
	for _, tc := range []struct {
		name string
		msg  macos.RouteMessage
		want string
	}{
		{"scoped default", reply(macos.RTF_UP | macos.RTF_GATEWAY | macos.RTF_IFSCOPE), "2001:db8:ffff::1/128 from 2001:db8:a::1/128 via fe80::a dev feth4000 proto UGI"},
		{"reject", reply(macos.RTF_UP | macos.RTF_REJECT), "2001:db8:ffff::1/128 from 2001:db8:a::1/128 via fe80::a dev feth4000 proto UR (unreachable)"},
		{"empty reply", macos.RouteMessage{}, "2001:db8:ffff::1/128 from 2001:db8:a::1/128 (no route in the reply)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			if got := routeGetEntry(dst, src, tc.msg, names).String(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestNDPMAC(t *testing.T) {
	for in, want := range map[string]string{
		"66:65:74:68:0:1": "66:65:74:68:00:01", "2:0:0:0:a:1": "02:00:00:00:0a:01",
		"(incomplete)": "(incomplete)", "1:2:3": "1:2:3", "1:2:3:4:5:zz": "1:2:3:4:5:zz",
	} {
		if got := ndpMAC(in); got != want {
			t.Errorf("ndpMAC(%q) = %q, want %q", in, got, want)
		}
	}
}
