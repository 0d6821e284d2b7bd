package ipv6

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/topology"
)

func srcObs(order string, src string, expected string, wire ...Hop) SourceObservation {
	a := netip.MustParseAddr(src)
	return SourceObservation{RAOrder: strings.Split(order, ","), Source: a, Prefix: netip.PrefixFrom(a, 64).Masked(),
		Expected: []string{expected}, Sent: 3, Wire: wire, TableAgrees: true}
}

func hop(router string, frames int) Hop {
	return Hop{Router: router, Link: "l0", MAC: "02:00:00:00:0a:01", Frames: frames}
}

func TestJudgeSources(t *testing.T) {
	tests := []struct {
		name    string
		obs     []SourceObservation
		want    check.Verdict
		reasons []string
	}{
		{"each source to its router", []SourceObservation{
			srcObs("a,b", "2001:db8:a::1", "a", hop("a", 3)), srcObs("a,b", "2001:db8:b::1", "b", hop("b", 3)),
			srcObs("b,a", "2001:db8:a::1", "a", hop("a", 3)), srcObs("b,a", "2001:db8:b::1", "b", hop("b", 3)),
		}, check.Pass, []string{"4 observations over 2 RA orders"}},
		{"stock Linux: the first-learned router for everything", []SourceObservation{
			srcObs("a,b", "2001:db8:a::1", "a", hop("a", 3)), srcObs("a,b", "2001:db8:b::1", "b", hop("a", 3)),
		}, check.Fail, []string{"RA order a,b, source 2001:db8:b::1: 3 of 3 datagrams from 2001:db8:b::1 (in 2001:db8:b::/64, advertised by router b) went to router a"}},
		{"one datagram of three astray is a fail", []SourceObservation{
			srcObs("a,b", "2001:db8:b::1", "b", hop("b", 2), hop("a", 1)),
		}, check.Fail, []string{"1 of 3 datagrams"}},
		{"a MAC no router uses", []SourceObservation{
			srcObs("a,b", "2001:db8:a::1", "a", Hop{Link: "l0", MAC: "02:99:00:00:00:01", Frames: 3}),
		}, check.Fail, []string{"unknown MAC 02:99:00:00:00:01"}},
		{"nothing on the wire: cannot decide", []SourceObservation{
			{RAOrder: []string{"a"}, Source: netip.MustParseAddr("2001:db8:a::1"), Expected: []string{"a"}, Sent: 3, SendErrors: []string{"datagram 1: EINVAL"}},
		}, check.Error, []string{"none of the 3 datagrams reached the wire", "EINVAL"}},
		{"wrong beats silent", []SourceObservation{
			srcObs("a,b", "2001:db8:b::1", "b", hop("a", 3)), {RAOrder: []string{"a", "b"}, Source: netip.MustParseAddr("2001:db8:a::1"), Expected: []string{"a"}, Sent: 3},
		}, check.Fail, nil},
		{"nothing tested", nil, check.Error, []string{"nothing was tested"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, reason := JudgeSources(tt.obs)
			if v != tt.want {
				t.Fatalf("verdict %s, want %s (%s)", v, tt.want, reason)
			}
			for _, r := range tt.reasons {
				if !strings.Contains(reason, r) {
					t.Errorf("reason %q lacks %q", reason, r)
				}
			}
		})
	}
}

func TestJudgeNamesTableDisagreement(t *testing.T) {
	o := srcObs("a,b", "2001:db8:a::1", "a", hop("a", 3))
	o.TableAgrees = false
	o.Table = topology.RouteEntry{Dst: netip.MustParsePrefix("2001:db8:ffff::1/128"), Gateway: netip.MustParseAddr("fe80::b"), Interface: "sut0"}
	v, reason := JudgeSources([]SourceObservation{o})
	if v != check.Pass || !strings.Contains(reason, "the routing table disagrees with the wire") || !strings.Contains(reason, "via fe80::b dev sut0") {
		t.Errorf("%s: %s", v, reason)
	}
}

func TestJudgeRule55(t *testing.T) {
	ok := Rule55Observation{RAOrder: []string{"a", "b"}, Destination: netip.MustParseAddr("2001:db8:a:ffff::1"),
		Source: netip.MustParseAddr("2001:db8:a::1"), SourceRouters: []string{"a"}, Sent: 3, Wire: []Hop{hop("a", 3)}, TableAgrees: true}
	bad := ok
	bad.Destination = netip.MustParseAddr("2001:db8:b:ffff::1")
	bad.Source, bad.SourceRouters = netip.MustParseAddr("2001:db8:b::1"), []string{"b"}
	if v, r := JudgeRule55([]Rule55Observation{ok}); v != check.Pass {
		t.Errorf("agreeing source and router: %s (%s)", v, r)
	}
	v, r := JudgeRule55([]Rule55Observation{ok, bad})
	if v != check.Fail || !strings.Contains(r, "destination 2001:db8:b:ffff::1: the kernel chose source 2001:db8:b::1 (advertised by router b) but sent to router a") {
		t.Errorf("disagreeing source and router: %s (%s)", v, r)
	}
}
