package cfil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netconform/netconform/observation"
)

// QueueCounters is one row of /proc/net/netfilter/nfnetlink_queue: a queue
// bound by a user-space program in the namespace (net/netfilter/nfnetlink_queue.c,
// seq_show).
type QueueCounters = observation.QueueCounters

// parseQueues reads /proc/net/netfilter/nfnetlink_queue. The kernel prints 9
// columns, the last a constant 1; a row with fewer than 8 numbers is returned
// as a problem rather than guessed at.
func parseQueues(text string) (rows []QueueCounters, problems []string) {
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 8 {
			problems = append(problems, fmt.Sprintf("nfnetlink_queue: unreadable row %q", line))
			continue
		}
		var n [8]uint64
		ok := true
		for i := range n {
			v, err := strconv.ParseUint(f[i], 10, 32)
			if err != nil {
				ok = false
				break
			}
			n[i] = v
		}
		if !ok || n[0] > 0xffff || n[3] > 0xff {
			problems = append(problems, fmt.Sprintf("nfnetlink_queue: unreadable row %q", line))
			continue
		}
		rows = append(rows, QueueCounters{
			Queue: uint16(n[0]), PortID: uint32(n[1]), Waiting: uint32(n[2]), CopyMode: uint8(n[3]),
			CopyRange: uint32(n[4]), Dropped: uint32(n[5]), UserDropped: uint32(n[6]), IDSequence: uint32(n[7]),
		})
	}
	return rows, problems
}

// queued returns how many packets queue q took between two samples, and
// whether the queue was bound in either. A queue rebound in between restarts
// its id sequence: the after value is then the count.
func queued(before, after []QueueCounters, q uint16) (n uint32, present bool) {
	b := onQueue(before, q, func(c *QueueCounters) uint16 { return c.Queue })
	a := onQueue(after, q, func(c *QueueCounters) uint16 { return c.Queue })
	switch {
	case a == nil:
		return 0, b != nil
	case b == nil || b.PortID != a.PortID || a.IDSequence < b.IDSequence:
		return a.IDSequence, true
	}
	return a.IDSequence - b.IDSequence, true
}

// onQueue returns the last element of xs on queue q (queue numbers are unique
// within one state), or nil.
func onQueue[T any](xs []T, q uint16, queue func(*T) uint16) *T {
	var found *T
	for i := range xs {
		if queue(&xs[i]) == q {
			found = &xs[i]
		}
	}
	return found
}
