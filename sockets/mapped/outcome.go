package mapped

import (
	"sort"

	"github.com/netconform/netconform/observation"
)

// Outcome is what became of one datagram, judged from both sides: what the
// socket call said and what arrived. The shapes of the observations are in
// package observation, which the reports read too.
type Outcome = observation.Outcome

const (
	// Delivered: the call succeeded and the datagram arrived in time.
	Delivered = observation.OutcomeDelivered
	// SilentDrop: the call succeeded and nothing arrived, in its window or
	// in the extra one after it: the seed's signature.
	SilentDrop = observation.OutcomeSilentDrop
	// Errno: the call failed (Errno names it); the stack at least said so.
	Errno = observation.OutcomeErrno
	// Late: the call succeeded, the datagram arrived after its receive
	// window but within the extra one after it.
	Late = observation.OutcomeLate
)

// DatagramResult is one datagram's story.
type DatagramResult = observation.DatagramResult

// SocketRecord is one fresh socket and its datagrams.
type SocketRecord = observation.SocketRecord

// NumberRate is the delivery of the n-th datagram across all sockets.
type NumberRate = observation.NumberRate

// Rates tallies the datagrams by number.
func Rates(socks []SocketRecord) []NumberRate {
	by := map[int]*NumberRate{}
	for _, s := range socks {
		for _, d := range s.Datagrams {
			r := by[d.Number]
			if r == nil {
				r = &NumberRate{Number: d.Number}
				by[d.Number] = r
			}
			r.Sent++
			switch d.Outcome {
			case Delivered:
				r.Delivered++
			case SilentDrop:
				r.SilentDrops++
				if d.OvertakenBy > 0 {
					r.Overtaken++
				}
			case Late:
				r.Late++
			case Errno:
				r.Errnos++
				if r.ErrnoNames == nil {
					r.ErrnoNames = map[string]int{}
				}
				r.ErrnoNames[d.Call+" "+d.Errno]++
			}
		}
	}
	out := make([]NumberRate, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}
