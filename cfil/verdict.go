package cfil

import "sync"

// verdicts is the filter's decision logic and its counters, apart from any
// netlink socket so that every mode is tested without a kernel.
type verdicts struct {
	mode Mode

	mu    sync.Mutex
	flows map[string]bool // flows already given a packet
	// held are the packets (ids) of the flows HoldFirstPerFlow holds now,
	// in arrival order.
	held  map[string][]uint32
	stats FilterStats
	// from counts the UDP and TCP packets seen by source port.
	from map[uint16]int
}

func newVerdicts(mode Mode) *verdicts {
	return &verdicts{mode: mode, flows: map[string]bool{}, held: map[string][]uint32{}, from: map[uint16]int{}}
}

// holdStep is what HoldFirstPerFlow does with a packet.
type holdStep int

const (
	// holdStarted: the packet opens a new flow, held from now on.
	holdStarted holdStep = iota
	// holdQueued: its flow is held; it waits behind the packets before it.
	holdQueued
	// holdPassed: its flow was released; it is accepted at once.
	holdPassed
)

// hold records packet id of flow under HoldFirstPerFlow.
func (v *verdicts) hold(flow string, id uint32) holdStep {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.stats.Seen++
	if ids, held := v.held[flow]; held {
		v.held[flow] = append(ids, id)
		v.stats.Held++
		return holdQueued
	}
	if v.flows[flow] {
		v.stats.Accepted++
		return holdPassed
	}
	v.flows[flow] = true
	v.held[flow] = []uint32{id}
	v.stats.Held++
	return holdStarted
}

// release ends the hold of flow: its packets, in arrival order, to accept.
func (v *verdicts) release(flow string) []uint32 {
	v.mu.Lock()
	defer v.mu.Unlock()
	ids := v.held[flow]
	delete(v.held, flow)
	v.stats.Accepted += len(ids)
	return ids
}

// sawFrom records a packet's source port (UDP, TCP).
func (v *verdicts) sawFrom(port uint16) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.from[port]++
}

// seenFrom is how many packets came from the given source ports.
func (v *verdicts) seenFrom(ports []uint16) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, p := range ports {
		n += v.from[p]
	}
	return n
}

// decide records a packet of flow and reports whether to accept it.
func (v *verdicts) decide(flow string) (accept bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	first := v.stats.Seen == 0
	newFlow := !v.flows[flow]
	v.flows[flow] = true
	v.stats.Seen++
	switch v.mode {
	case DropFirstPerFlow:
		accept = !newFlow
	case DropFirst:
		accept = !first
	default:
		accept = true
	}
	if accept {
		v.stats.Accepted++
	} else {
		v.stats.Dropped++
		v.stats.DroppedFlows = append(v.stats.DroppedFlows, flow)
	}
	return accept
}

// snapshot copies the counters.
func (v *verdicts) snapshot() FilterStats {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.stats
	s.DroppedFlows = append([]string(nil), v.stats.DroppedFlows...)
	return s
}
