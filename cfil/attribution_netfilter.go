package cfil

import (
	"fmt"
	"slices"
	"strings"
)

// linuxAttribution concludes from two Linux states. It is tag-free: the
// states may come from a fixture or from a run on another machine.
func linuxAttribution(before, after State) Attribution {
	a := Attribution{Before: before, After: after}
	hits := ruleHits(before.Rules, after.Rules)

	// Queues that moved or that a matching rule feeds.
	queues := map[uint16]bool{}
	for _, q := range append(append([]QueueCounters{}, before.Queues...), after.Queues...) {
		queues[q.Queue] = true
	}
	moved := map[uint16]uint32{}
	for q := range queues {
		if n, _ := queued(before.Queues, after.Queues, q); n > 0 {
			moved[q] = n
		}
	}
	a.FilterOnPath = len(hits) > 0 || len(moved) > 0

	var parts []string
	switch {
	case !a.FilterOnPath && len(after.Rules) == 0 && len(before.Rules) == 0:
		parts = append(parts, "no content filter on the path (no NFQUEUE rule, queue counters unchanged)")
	case !a.FilterOnPath:
		parts = append(parts, fmt.Sprintf("not on the path: %d queueing rule(s) present but none matched the SUT's traffic in the window and queue counters are unchanged", len(after.Rules)))
	default:
		parts = append(parts, onPathSentence(before, after, hits, moved))
	}
	if errs := append(append([]string{}, before.Errors...), after.Errors...); len(errs) > 0 {
		parts = append(parts, "evidence incomplete: "+errs[0])
	}
	a.Summary = strings.Join(parts, "; ")
	return a
}

// onPathSentence says which filter took the SUT's packets and what became of
// them: our own filter's verdicts when this process runs it, the kernel's
// counters otherwise.
func onPathSentence(before, after State, hits map[string]int64, moved map[uint16]uint32) string {
	hitQueues := map[uint16]int64{}
	for rule, n := range hits {
		if q, ok := ruleQueue(rule); ok && n > hitQueues[q] {
			// iptables-save and nft show an iptables-nft rule twice: keep the max.
			hitQueues[q] = n
		}
	}
	var qs []uint16
	for q := range hitQueues {
		qs = append(qs, q)
	}
	for q := range moved {
		if _, ok := hitQueues[q]; !ok {
			qs = append(qs, q)
		}
	}
	slices.Sort(qs)
	var out []string
	for _, q := range qs {
		if f, ok := filterDelta(before.Filters, after.Filters, q); ok {
			hook := f.Hook
			if f.Table != "" {
				hook = f.Table + " " + hook
			}
			s := fmt.Sprintf("a user-space filter (NFQUEUE %d, %s, %s) saw %d packets and dropped %d", q, hook, f.Mode, f.Seen, f.Dropped)
			if len(f.DroppedFlows) > 0 {
				s += " (" + strings.Join(f.DroppedFlows, ", ") + ")"
			}
			if f.Held > 0 {
				s += fmt.Sprintf(", holding %d back before accepting them", f.Held)
			}
			out = append(out, s)
			continue
		}
		row := findQueue(after.Queues, q)
		switch {
		case row == nil && hitQueues[q] > 0:
			out = append(out, fmt.Sprintf("an NFQUEUE rule for queue %d matched %d packets but no program holds the queue: the kernel dropped them", q, hitQueues[q]))
		case row == nil:
			out = append(out, fmt.Sprintf("queue %d took packets, then was unbound", q))
		default:
			out = append(out, fmt.Sprintf("a user-space filter outside this process (NFQUEUE %d, netlink port %d) was given %d packets; the kernel dropped %d (queue full) and %d (delivery failed), its own verdicts are unknown",
				q, row.PortID, moved[q], row.Dropped, row.UserDropped))
		}
	}
	return strings.Join(out, "; ")
}

// filterDelta is what our filter on queue q did between two states.
func filterDelta(before, after []FilterState, q uint16) (FilterState, bool) {
	b := onQueue(before, q, func(f *FilterState) uint16 { return f.Queue })
	a := onQueue(after, q, func(f *FilterState) uint16 { return f.Queue })
	if a == nil {
		return FilterState{}, false
	}
	d := *a
	if b != nil && b.Hook == a.Hook && b.Table == a.Table && b.Mode == a.Mode && b.Seen <= a.Seen {
		d.Seen -= b.Seen
		d.Accepted -= b.Accepted
		d.Dropped -= b.Dropped
		d.Held -= b.Held
		if len(b.DroppedFlows) <= len(a.DroppedFlows) {
			d.DroppedFlows = a.DroppedFlows[len(b.DroppedFlows):]
		}
	}
	return d, true
}

func findQueue(qs []QueueCounters, q uint16) *QueueCounters {
	for i := range qs {
		if qs[i].Queue == q {
			return &qs[i]
		}
	}
	return nil
}
