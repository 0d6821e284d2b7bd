package ipv6

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/topology"
)

func srcObs(order string, src string, expected string, wire ...Hop) SourceObservation {
	a := netip.MustParseAddr(src)
	return SourceObservation{RAOrder: strings.Split(order, ","), Source: a, Prefix: netip.PrefixFrom(a, 64).Masked(),
		Expected: []string{expected}, Sent: 3, Wire: wire, TableAgrees: true}
}

// refused is srcObs for a source whose calls the SUT refused.
func refused(src, expected string, r Refusal, wire ...Hop) SourceObservation {
	o := srcObs("a,b", src, expected, wire...)
	o.Interface = "sut0"
	o.Refusals = []Refusal{r}
	o.SendErrors = []string{r.String()}
	return o
}

func unheard(o SourceObservation, links ...string) SourceObservation {
	o.SilentLinks = links
	return o
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
		{"connect refused: the stack's answer", []SourceObservation{
			refused("2001:db8:b::1", "b", Refusal{Call: "connect", Errno: "EACCES", Message: "permission denied"}),
		}, check.Fail, []string{"the stack refused to send from an address it holds",
			"RA order a,b, source 2001:db8:b::1 (in 2001:db8:b::/64, advertised by router b on sut0): connect: EACCES (permission denied)"}},
		{"some writes refused, the rest on the right router", []SourceObservation{
			refused("2001:db8:b::1", "b", Refusal{Call: "write", Datagram: 2, Errno: "EPERM", Message: "operation not permitted"}, hop("b", 2)),
		}, check.Fail, []string{"datagram 2: write: EPERM (operation not permitted)"}},
		{"accepted and never sent: the stack lost them", []SourceObservation{
			srcObs("a,b", "2001:db8:a::1", "a"),
		}, check.Fail, []string{"did not send them", "3 of the 3 datagrams the stack accepted never reached the wire"}},
		{"one of three lost", []SourceObservation{
			srcObs("a,b", "2001:db8:a::1", "a", hop("a", 2)),
		}, check.Fail, []string{"1 of the 3 datagrams the stack accepted never reached the wire"}},
		{"missing on a link the capture never heard: cannot decide", []SourceObservation{
			unheard(srcObs("a,b", "2001:db8:a::1", "a"), "l1"),
		}, check.Error, []string{"cannot decide", "the capture saw no frame at all from the SUT on l1"}},
		{"wrong beats unsure", []SourceObservation{
			srcObs("a,b", "2001:db8:b::1", "b", hop("a", 3)), unheard(srcObs("a,b", "2001:db8:a::1", "a"), "l0"),
		}, check.Fail, []string{"went to router a"}},
		{"refused and wrong: both named", []SourceObservation{
			srcObs("a,b", "2001:db8:a::1", "a", hop("b", 3)),
			refused("2001:db8:b::1", "b", Refusal{Call: "bind", Errno: "EADDRNOTAVAIL", Message: "cannot assign requested address"}),
		}, check.Fail, []string{"went to router b", "bind: EADDRNOTAVAIL"}},
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

func TestAccepted(t *testing.T) {
	for _, tt := range []struct {
		refusals []Refusal
		want     int
	}{
		{nil, 3},
		{[]Refusal{{Call: "write", Datagram: 1}}, 2},
		{[]Refusal{{Call: "write", Datagram: 1}, {Call: "write", Datagram: 3}}, 1},
		{[]Refusal{{Call: "connect"}}, 0},
	} {
		if got := accepted(3, tt.refusals); got != tt.want {
			t.Errorf("accepted(3, %v) = %d, want %d", tt.refusals, got, tt.want)
		}
	}
}

func TestJudgeRule55Refused(t *testing.T) {
	o := Rule55Observation{RAOrder: []string{"a", "b"}, Destination: netip.MustParseAddr("2001:db8:b:ffff::1"), Sent: 3,
		Refusals: []Refusal{{Call: "connect", Errno: "EHOSTUNREACH", Message: "no route to host"}}}
	v, r := JudgeRule55([]Rule55Observation{o})
	if v != check.Fail || !strings.Contains(r, "destination 2001:db8:b:ffff::1: connect: EHOSTUNREACH (no route to host)") {
		t.Errorf("%s: %s", v, r)
	}
}

func TestRefusalOf(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		ok   bool
		want Refusal
	}{
		{"connect refused", &net.OpError{Op: "dial", Net: "udp6", Err: os.NewSyscallError("connect", syscall.EACCES)}, true,
			Refusal{Call: "connect", Errno: "EACCES", Message: "permission denied"}},
		{"write refused", &net.OpError{Op: "write", Net: "udp6", Err: os.NewSyscallError("write", syscall.EPERM)}, true,
			Refusal{Call: "write", Errno: "EPERM", Message: "operation not permitted"}},
		{"bare errno takes the given call", syscall.EHOSTUNREACH, true,
			Refusal{Call: "connect", Errno: "EHOSTUNREACH", Message: "no route to host"}},
		{"no errno: the harness's own trouble", errors.New("enter namespace: no such file"), false, Refusal{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := refusalOf("connect", tt.err)
			if ok != tt.ok || got != tt.want {
				t.Errorf("refusalOf = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestJudgeMarksWrongHops: the judge marks, in the observations, each hop
// it found wrong and why (the report shows the marks and judges nothing),
// a source whose prefix no router advertised included.
func TestJudgeMarksWrongHops(t *testing.T) {
	noAdvertiser := srcObs("a,b", "2001:db8:c::1", "a", hop("a", 3))
	noAdvertiser.Expected = nil
	tests := []struct {
		name  string
		obs   SourceObservation
		wrong []bool
		why   []string
	}{
		{"right router", srcObs("a,b", "2001:db8:a::1", "a", hop("a", 3)), []bool{false}, []string{""}},
		{"one right, one wrong", srcObs("a,b", "2001:db8:b::1", "b", hop("b", 2), hop("a", 1)), []bool{false, true},
			[]string{"", "router a did not advertise the prefix of source 2001:db8:b::1 (2001:db8:b::/64); router b did"}},
		{"a MAC no router uses", srcObs("a,b", "2001:db8:a::1", "a", Hop{Link: "l0", MAC: "02:99:00:00:00:01", Frames: 3}), []bool{true},
			[]string{"no router of the lab has MAC 02:99:00:00:00:01"}},
		{"a source whose prefix no router advertised", noAdvertiser, []bool{true},
			[]string{"no router advertised the prefix of source 2001:db8:c::1 (2001:db8:c::/64)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := []SourceObservation{tt.obs}
			JudgeSources(obs)
			for i, h := range obs[0].Wire {
				if h.Wrong != tt.wrong[i] || h.Why != tt.why[i] {
					t.Errorf("hop %d (%s): wrong %v why %q; want %v %q", i, h, h.Wrong, h.Why, tt.wrong[i], tt.why[i])
				}
			}
		})
	}
	r55 := Rule55Observation{RAOrder: []string{"a", "b"}, Destination: netip.MustParseAddr("2001:db8:b:ffff::1"),
		Source: netip.MustParseAddr("2001:db8:b::1"), SourceRouters: []string{"b"}, Sent: 3, Wire: []Hop{hop("a", 3)}, TableAgrees: true}
	obs := []Rule55Observation{r55}
	JudgeRule55(obs)
	if h := obs[0].Wire[0]; !h.Wrong || h.Why != "router a did not advertise the prefix of source 2001:db8:b::1, which the kernel chose; router b did" {
		t.Errorf("rule 5.5 hop: wrong %v why %q", h.Wrong, h.Why)
	}
}
