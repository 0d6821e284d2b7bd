package observation

import "encoding/json"

// ViewMappedMatrix: the IPv4-mapped first-datagram matrix
// (sockets.mapped-sendto.matrix): every way of sending a mapped datagram
// (bind address and port, the call, IPV6_V6ONLY, the destination), each a
// case on K fresh sockets, drawn as a table with one row per bind and one
// column per call.
const ViewMappedMatrix = "mapped-sendto-matrix"

func init() { Register(ViewMappedMatrix) }

// MappedMatrix is the observation of sockets.mapped-sendto.matrix.
type MappedMatrix struct {
	// Matrix is which matrix ran: "default" or "full"
	// (params.sockets.mapped_matrix).
	Matrix string `json:"matrix"`
	// Sockets is K; Timeout each datagram's receive window, in seconds.
	Sockets int     `json:"sockets"`
	Timeout float64 `json:"timeout"`
	// Rows are the bind rows and Calls the call columns, in table order;
	// Destinations the destinations a cell may hold, in order.
	Rows         []MatrixRow `json:"rows"`
	Calls        []string    `json:"calls"`
	Destinations []string    `json:"destinations"`
	// Filter is the content filter every case went through, or why none.
	Filter MatrixFilter `json:"filter"`
	// Coverage is "on-path", "none" or "unknown": what the content-filter
	// evidence over the whole matrix says (cfil.Coverage).
	Coverage string `json:"coverage"`
	// Cases are every case of the matrix, skipped ones included, in the
	// order they ran.
	Cases []MatrixCase `json:"cases"`
	// CFIL is the content-filter attribution over the whole matrix (the
	// JSON of cfil.Attribution: states before and after, the kernel's CFIL
	// lines, the conclusion).
	CFIL json.RawMessage `json:"cfil,omitempty"`
	// PeerARPReplies is how often the emulated peer answered the SUT's ARP.
	PeerARPReplies int `json:"peer_arp_replies"`
	// Start and End bound the datagrams of all cases (RFC 3339): the cases'
	// receive windows overlap (the 1st datagrams of every case, one wait,
	// then the 2nd), so they share one window.
	Start string `json:"start"`
	End   string `json:"end"`
}

// MatrixRow is one bind row: the address and port the sockets are bound
// to, and IPV6_V6ONLY.
type MatrixRow struct {
	// Key names the row in case names: "mapped/0", "mapped-any/fixed",
	// "unbound", "any/0+v6only".
	Key string `json:"key"`
	// Bind is the address given to bind(): "::ffff:192.0.2.1",
	// "::ffff:0.0.0.0", "::", or "" (not bound).
	Bind string `json:"bind"`
	// Port is "0", "fixed" or "" (not bound).
	Port   string `json:"port"`
	V6Only bool   `json:"v6only"`
	// Label says it for a person.
	Label string `json:"label"`
}

// MatrixFilter is the content filter on the matrix's path.
type MatrixFilter struct {
	// Kind is "user-space" (netconform's NFQUEUE filter, Linux), "system"
	// (the machine's own content filter, macOS) or "none".
	Kind string `json:"kind"`
	// Sentence says what it was and did (or why there was none).
	Sentence string   `json:"sentence"`
	Queue    int      `json:"queue,omitempty"`
	Hook     string   `json:"hook,omitempty"`
	Mode     string   `json:"mode,omitempty"`
	Rules    []string `json:"rules,omitempty"`
	Seen     int      `json:"seen"`
	Dropped  int      `json:"dropped"`
}

// MatrixCase is one case: K fresh sockets set up as its row says, sending
// with its call to its destination.
type MatrixCase struct {
	// Name is "<row key> <call> <destination>": "mapped/0 sendto self".
	Name        string `json:"name"`
	Row         string `json:"row"`
	Call        string `json:"call"`
	Destination string `json:"destination"`
	// Expect is "delivery" (every datagram must arrive) or "refusal"
	// (IPV6_V6ONLY on: every datagram must be refused with an errno).
	Expect string `json:"expect"`
	// Verdict is the case's own: pass, fail, skip (cannot run here, Reason
	// says why) or error.
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
	// Rates is the delivery of the 1st, 2nd... datagram over the K sockets.
	Rates []MatrixRate `json:"rates,omitempty"`
	// Sockets holds every socket and datagram.
	Sockets []MatrixSocket `json:"sockets,omitempty"`
	// FilterSeen is how many of the case's packets (those from its
	// sockets' ports) the check's own user-space filter was given (Linux).
	FilterSeen int `json:"filter_seen"`
	// CFILLines are the kernel's CFIL log lines about the case's sockets
	// (macOS): those naming one of their local ports, with the lines that
	// follow each ("CFIL: sosend() failed 22").
	CFILLines []string `json:"cfil_lines,omitempty"`
}

// MatrixRate is the delivery of the n-th datagram across a case's sockets:
// the same record as a first-datagram check's (ErrnoNames "sendmsg EINVAL").
type MatrixRate = NumberRate

// MatrixSocket is one fresh socket of a case.
type MatrixSocket struct {
	Index int `json:"index"`
	// Local is getsockname after bind (or after the first send).
	Local     string           `json:"local,omitempty"`
	To        string           `json:"to,omitempty"`
	Datagrams []MatrixDatagram `json:"datagrams"`
}

// MatrixDatagram is one datagram's story.
type MatrixDatagram struct {
	Number int `json:"number"`
	// Call is the call that sent it or the set-up call that failed.
	Call string `json:"call"`
	// Return is the call's return value: bytes sent (sendmsg_x: datagrams
	// sent), or -1.
	Return int    `json:"return"`
	Errno  string `json:"errno,omitempty"`
	// Outcome: "delivered", "silent drop", "errno" or "late".
	Outcome string `json:"outcome"`
	// Latency is from the call's return to the arrival, in seconds.
	Latency float64 `json:"latency,omitempty"`
	Source  string  `json:"source,omitempty"`
	// OvertakenBy: DatagramResult.OvertakenBy.
	OvertakenBy int `json:"overtaken_by,omitempty"`
}
