package observation

import "net/netip"

// FirstDatagram is what one first-datagram case saw (ViewFirstDatagram):
// K fresh sockets sending numbered datagrams, and what became of each.
// sockets/mapped.Observation is this type.
type FirstDatagram struct {
	Case        string      `json:"case"`
	Family      string      `json:"family"`
	Bound       bool        `json:"bound"`
	Connected   bool        `json:"connected"`
	Call        string      `json:"call"`
	Destination Destination `json:"destination"`
	// Sockets is K; Timeout each datagram's receive window.
	Sockets int      `json:"sockets"`
	Timeout Duration `json:"timeout"`
	// ByNumber is the delivery rate of the 1st, 2nd... datagram.
	ByNumber []NumberRate `json:"by_number"`
	// SocketRecords holds every socket and datagram.
	SocketRecords []SocketRecord `json:"socket_records"`
	// PeerARPReplies is how often the emulated peer answered the SUT's ARP.
	PeerARPReplies int `json:"peer_arp_replies"`
	// CFIL is the content-filter evidence over the check's window.
	CFIL *Attribution `json:"cfil,omitempty"`
}

// FilteredFirstDatagram is what the first-datagram cases saw through a
// user-space filter the check put on the path (ViewFilteredFirstDatagram).
// sockets/mapped.FilteredObservation is this type.
type FilteredFirstDatagram struct {
	Filter UserFilter `json:"filter"`
	// Cases are the cases run through the filter, each with its own
	// content-filter attribution.
	Cases []FirstDatagram `json:"cases"`
}

// UserFilter is the user-space filter a check ran and what it decided
// (sockets/mapped.FilterRecord).
type UserFilter struct {
	Queue uint16 `json:"queue"`
	// Hook is the chain, with its table when not filter ("mangle POSTROUTING").
	Hook  string     `json:"hook"`
	Match []string   `json:"match"`
	Mode  FilterMode `json:"mode"`
	Rules []string   `json:"rules,omitempty"`
	// System, instead of the fields above, names the machine's own content
	// filter the datagrams went through (macOS: "the machine's own content
	// filter: net.cfil.active_count 1").
	System string `json:"system,omitempty"`
	// None says why no content filter was on the path.
	None string `json:"none,omitempty"`
	FilterStats
}

// Destination is where a case's datagrams go.
type Destination string

const (
	// DestinationSelf: the socket's own address; the socket itself receives.
	DestinationSelf Destination = "self"
	// DestinationPeer: the emulated IPv4 host on the link; arrival is seen
	// on the wire.
	DestinationPeer Destination = "peer"
	// DestinationLoopback: ::ffff:127.0.0.1, a socket bound to 127.0.0.1
	// in the SUT receives.
	DestinationLoopback Destination = "loopback"
)

// Outcome is what became of one datagram, judged from both sides: what the
// socket call said and what arrived.
type Outcome string

const (
	// OutcomeDelivered: the call succeeded and the datagram arrived in time.
	OutcomeDelivered Outcome = "delivered"
	// OutcomeSilentDrop: the call succeeded and nothing arrived, neither in
	// the receive window nor in the extra window after it (which ends
	// early when a later datagram of the same socket arrives: OvertakenBy):
	// the seed's signature.
	OutcomeSilentDrop Outcome = "silent drop"
	// OutcomeErrno: the call failed (Errno names it); the stack at least
	// said so.
	OutcomeErrno Outcome = "errno"
	// OutcomeLate: the call succeeded, the datagram arrived after its
	// receive window but within the extra window after it.
	OutcomeLate Outcome = "late"
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
	Latency Duration `json:"latency,omitempty"`
	// Source is where the datagram came from as the receiver saw it: the
	// wire's IPv4 source (peer) or recvfrom's address (self).
	Source netip.AddrPort `json:"source,omitzero"`
	// OvertakenBy, on a silent drop, is the number of a later datagram of
	// the same socket that arrived while this one never did. A flow's
	// datagrams keep their order on the way (a content filter that holds
	// a flow's first datagram holds the ones behind it too), so this one
	// was not held but lost: the wait for it ended at that arrival. 0: it
	// was waited for until its extra window ended.
	OvertakenBy int `json:"overtaken_by,omitempty"`
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
	// Overtaken counts the silent drops a later datagram of the same
	// socket overtook (DatagramResult.OvertakenBy): lost, not held.
	Overtaken int `json:"overtaken,omitempty"`
	// ErrnoNames counts the failures by "call ERRNO" ("sendto EINVAL").
	ErrnoNames map[string]int `json:"errno_names,omitempty"`
}

// Lost is how many of the n-th datagrams did not arrive in time.
func (r NumberRate) Lost() int { return r.Sent - r.Delivered }
