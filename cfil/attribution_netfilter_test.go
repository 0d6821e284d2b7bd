package cfil

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestLinuxAttribution(t *testing.T) {
	rulesBefore, rulesAfter := linuxFixtureState(t, "before").Rules, linuxFixtureState(t, "after").Rules
	queue3 := func(seq uint32) []QueueCounters {
		return []QueueCounters{{Queue: 3, PortID: 77, CopyMode: 2, CopyRange: 128, IDSequence: seq}}
	}
	ours := func(seen, dropped int, flows ...string) []FilterState {
		return []FilterState{{Queue: 3, Hook: "OUTPUT", Mode: DropFirstPerFlow,
			FilterStats: FilterStats{Seen: seen, Accepted: seen - dropped, Dropped: dropped, DroppedFlows: flows}}}
	}
	tests := []struct {
		name          string
		before, after State
		onPath        bool
		want          string
	}{
		{"nothing", State{OS: "linux"}, State{OS: "linux"}, false,
			"no content filter on the path (no NFQUEUE rule, queue counters unchanged)"},
		{"rules that matched nothing", State{OS: "linux", Rules: rulesBefore, Queues: queue3(5)},
			State{OS: "linux", Rules: rulesBefore, Queues: queue3(5)}, false,
			"not on the path: 4 queueing rule(s) present but none matched"},
		{"our filter", State{OS: "linux", Rules: rulesBefore, Queues: queue3(5), Filters: ours(1, 1, "udp 192.0.2.1:1 -> 192.0.2.1:2")},
			State{OS: "linux", Rules: rulesAfter, Queues: queue3(8), Filters: ours(4, 2, "udp 192.0.2.1:1 -> 192.0.2.1:2", "udp 192.0.2.1:3 -> 192.0.2.1:2")}, true,
			"a user-space filter (NFQUEUE 3, OUTPUT, drop-first-per-flow) saw 3 packets and dropped 1 (udp 192.0.2.1:3 -> 192.0.2.1:2)"},
		{"someone else's filter", State{OS: "linux", Rules: rulesBefore, Queues: queue3(5)},
			State{OS: "linux", Rules: rulesAfter, Queues: queue3(8)}, true,
			"a user-space filter outside this process (NFQUEUE 3, netlink port 77) was given 3 packets"},
		{"rule with nobody on the queue", State{OS: "linux", Rules: rulesBefore}, State{OS: "linux", Rules: rulesAfter}, true,
			"an NFQUEUE rule for queue 3 matched 3 packets but no program holds the queue"},
		{"queue moved, rules unreadable", State{OS: "linux", Queues: queue3(5), Errors: []string{"iptables-save not installed: iptables rules not read"}},
			State{OS: "linux", Queues: queue3(6)}, true,
			"was given 1 packets; the kernel dropped 0 (queue full) and 0 (delivery failed), its own verdicts are unknown; evidence incomplete: iptables-save not installed"},
		{"nothing seen, evidence incomplete", State{OS: "linux", Errors: []string{"nft not installed: native nftables queue rules not read"}}, State{OS: "linux"}, false,
			"no content filter on the path (no NFQUEUE rule, queue counters unchanged); evidence incomplete: nft not installed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Window(context.Background(), tt.before, tt.after, time.Now(), time.Now())
			if a.FilterOnPath != tt.onPath || !strings.Contains(a.Summary, tt.want) {
				t.Errorf("on path %v, summary\n%q\nwant %v,\n%q", a.FilterOnPath, a.Summary, tt.onPath, tt.want)
			}
			if a.LogLines != nil || a.ReinjectFailure != "" {
				t.Errorf("Linux attribution has macOS fields: %+v", a)
			}
		})
	}
}

func TestWindowUnknownOS(t *testing.T) {
	a := Window(context.Background(), State{OS: "plan9"}, State{OS: "plan9"}, time.Now(), time.Now())
	if a.FilterOnPath || len(a.Errors) != 1 || !strings.Contains(a.Errors[0], "plan9") {
		t.Errorf("%+v", a)
	}
}
