package ipv6

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// flow is a judged flow of 3 datagrams that all reached the wire as hops.
func flow(src, expectPrefix string, routers []string, hops ...observation.Hop) *observation.FlowEvent {
	f := &observation.FlowEvent{Purpose: "p", Judged: true, Source: src, Destination: "2001:db8:ffff::1", Sent: 3, Accepted: 3,
		Wire: hops, ExpectedRouters: routers, ExpectedSourcePrefix: expectPrefix, ExpectedSourceWhy: "rule 3", TableAgrees: true}
	return f
}

func ohop(router string, frames int) observation.Hop {
	return observation.Hop{Router: router, Link: "l0", MAC: "02:00:00:00:0a:01", Frames: frames}
}

func lab(name string, events ...observation.TimelineEvent) observation.RATimeline {
	return observation.RATimeline{Lab: name, Routers: []observation.TimelineRouter{{Name: "a"}}, Events: events}
}

func fe(f *observation.FlowEvent) observation.TimelineEvent {
	return observation.TimelineEvent{Flow: f}
}

func TestJudgeTimelines(t *testing.T) {
	unseen := observation.TimelineEvent{Step: "deprecate", Effect: &observation.EffectEvent{Awaited: []string{"x deprecated"}, Missing: []string{"x deprecated"}}}
	silent := flow("2001:db8:a::1", "", []string{"a"})
	silent.SilentLinks = []string{"l0"}
	refused := flow("", "", []string{"a"})
	refused.SendErrors, refused.Accepted = []string{"connect: EACCES (permission denied)"}, 0
	unjudged := flow("2001:db8:a::1", "2001:db8:c::/64", []string{"b"}, ohop("a", 3))
	unjudged.Judged = false
	obsOnly := lab("stale", fe(flow("2001:db8:a::1", "2001:db8:c::/64", []string{"b"}, ohop("a", 3))))
	obsOnly.ObservationOnly = true
	tests := []struct {
		name    string
		tls     []observation.RATimeline
		want    check.Verdict
		reasons []string
		outcome string // of the first flow
	}{
		{"as expected", []observation.RATimeline{lab("one", fe(flow("2001:db8:b::1", "2001:db8:b::/64", []string{"a"}, ohop("a", 3)))),
			lab("two", fe(flow("2001:db8:b::1", "", []string{"a"}, ohop("a", 3))))},
			check.Pass, []string{"2 flows over 2 labs"}, "as expected"},
		{"wrong router", []observation.RATimeline{lab("one", fe(flow("2001:db8:a::1", "", []string{"b"}, ohop("a", 3))))},
			check.Fail, []string{"W: one, new unbound flow to 2001:db8:ffff::1 (source 2001:db8:a::1): 3 of 3 datagrams went to router a on l0 (3 frames), not to router b (p)"},
			"wrong router: router a on l0 (3 frames)"},
		{"wrong source", []observation.RATimeline{lab("one", fe(flow("2001:db8:a::1", "2001:db8:b::/64", []string{"a"}, ohop("a", 3))))},
			check.Fail, []string{"S: one, new unbound flow to 2001:db8:ffff::1 (source 2001:db8:a::1): the kernel chose source 2001:db8:a::1, not one in 2001:db8:b::/64 (rule 3; p)"},
			"wrong source"},
		{"refused", []observation.RATimeline{lab("one", fe(refused))},
			check.Fail, []string{"R: one, new unbound flow to 2001:db8:ffff::1 (p): connect: EACCES"}, "refused: connect: EACCES"},
		{"lost where the capture heard the SUT", []observation.RATimeline{lab("one", fe(flow("2001:db8:a::1", "", []string{"a"}, ohop("a", 1))))},
			check.Fail, []string{"L: one", "2 of the 3 datagrams the stack accepted never reached the wire"}, "2 of the 3"},
		{"lost where the capture never heard the SUT", []observation.RATimeline{lab("one", fe(silent))},
			check.Error, []string{"cannot decide", "saw no frame at all from the SUT on l0"}, "undecidable"},
		{"unjudged flows and observation-only labs make no verdict", []observation.RATimeline{lab("one", fe(unjudged)), obsOnly},
			check.Error, []string{"nothing was tested"}, ""},
		{"an effect never shown is named, whatever the verdict", []observation.RATimeline{lab("one", unseen, fe(flow("2001:db8:b::1", "", []string{"a"}, ohop("a", 3))))},
			check.Pass, []string{`the SUT's tables never showed (within settle_timeout): one, step "deprecate": x deprecated`}, "as expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, reason := judgeTimelines(tt.tls, headlines{wrong: "W", refused: "R", lost: "L", source: "S"}, "%d flows over %d labs")
			if v != tt.want {
				t.Fatalf("verdict %s, want %s: %s", v, tt.want, reason)
			}
			for _, r := range tt.reasons {
				if !strings.Contains(reason, r) {
					t.Errorf("reason lacks %q: %s", r, reason)
				}
			}
			var first *observation.FlowEvent
			for _, e := range tt.tls[0].Events {
				if e.Flow != nil {
					first = e.Flow
					break
				}
			}
			if !strings.Contains(first.Outcome, tt.outcome) || (tt.outcome == "" && first.Outcome != "") {
				t.Errorf("outcome %q, want %q", first.Outcome, tt.outcome)
			}
		})
	}
}

func TestLearnedFromRA(t *testing.T) {
	for _, tt := range []struct {
		proto string
		want  bool
	}{{"ra", true}, {"static", false}, {"kernel", false}, {"boot", false}, {"", false}, {"42", false},
		// macOS netstat letters: RA-learned defaults have no S.
		{"UGc", true}, {"UGScI", false}, {"UGSc", false}} {
		if got := learnedFromRA(topology.RouteEntry{Proto: tt.proto}); got != tt.want {
			t.Errorf("%q: %v, want %v", tt.proto, got, tt.want)
		}
	}
}

func TestNear(t *testing.T) {
	for p, want := range map[netip.Prefix]string{prefixA: "2001:db8:a:ffff::1", prefixB: "2001:db8:b:ffff::1", prefixC: "2001:db8:c:ffff::1"} {
		got := near(p)
		if got.String() != want || p.Contains(got) {
			t.Errorf("near(%s) = %s, want %s, off-link", p, got, want)
		}
	}
}
