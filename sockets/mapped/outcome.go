package mapped

import (
	"net/netip"
	"sort"

	"github.com/netconform/netconform/check"
)

// Outcome is what became of one datagram, judged from both sides: what the
// socket call said and what arrived.
type Outcome string

const (
	// Delivered: the call succeeded and the datagram arrived in time.
	Delivered Outcome = "delivered"
	// SilentDrop: the call succeeded and nothing arrived before the check
	// ended: the seed's signature.
	SilentDrop Outcome = "silent drop"
	// Errno: the call failed (Errno names it); the stack at least said so.
	Errno Outcome = "errno"
	// Late: the call succeeded, the datagram arrived after its receive
	// window but before the check ended.
	Late Outcome = "late"
)

// DatagramResult is one datagram's story.
type DatagramResult struct {
	// Number is the datagram's position on its socket: 1 = the first.
	Number  int    `json:"number"`
	Payload string `json:"payload"`
	// Call is the call that failed or sent: "sendto", "send", or the set-up
	// call ("socket", "setsockopt", "bind", "connect") that failed before
	// any datagram could be sent.
	Call string `json:"call"`
	// Return is the call's return value: bytes sent, or -1.
	Return int `json:"return"`
	// Errno is the failed call's error, by name (EINVAL).
	Errno   string  `json:"errno,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Latency is from the call's return to the arrival (delivered, late).
	Latency check.Duration `json:"latency,omitempty"`
	// Source is where the datagram came from as the receiver saw it: the
	// wire's IPv4 source (peer) or recvfrom's address (self).
	Source netip.AddrPort `json:"source,omitzero"`
}

// SocketRecord is one fresh socket and its datagrams.
type SocketRecord struct {
	Index int `json:"index"`
	// Local is the socket's address after bind (or after the first send,
	// for an unbound socket): getsockname.
	Local netip.AddrPort `json:"local,omitzero"`
	// To is the destination of its datagrams.
	To        netip.AddrPort   `json:"to,omitzero"`
	Datagrams []DatagramResult `json:"datagrams"`
}

// NumberRate is the delivery of the n-th datagram across all sockets.
type NumberRate struct {
	Number      int `json:"number"`
	Sent        int `json:"sent"`
	Delivered   int `json:"delivered"`
	SilentDrops int `json:"silent_drops"`
	Errnos      int `json:"errnos"`
	Late        int `json:"late"`
	// ErrnoNames counts the failures by "call ERRNO" ("sendto EINVAL").
	ErrnoNames map[string]int `json:"errno_names,omitempty"`
}

// Lost is how many of the n-th datagrams did not arrive in time.
func (r NumberRate) Lost() int { return r.Sent - r.Delivered }

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
