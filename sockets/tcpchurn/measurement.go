package tcpchurn

import (
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

// Measurement is the probe's JSON document, completed by Run with what only
// the parent sees (a kill by signal, the wall time, stderr) and by the
// caller with the memory limit the probe ran under, if any.
type Measurement struct {
	Config Config `json:"config"`
	OS     string `json:"os"`
	Arch   string `json:"arch"`
	Kernel string `json:"kernel,omitempty"`

	// Iterations is the number of connections whose every call succeeded.
	Iterations int `json:"iterations"`
	// Failures counts failed calls (the loop stops at the first).
	Failures int `json:"failures"`
	// FirstFailure is the first failed call: socket, connect, accept,
	// setsockopt, close (or listen, bind, poll for the probe's own setup).
	FirstFailure *churn.Failure `json:"first_failure,omitempty"`
	// Unexpected is what the harness did not expect and cannot judge (a
	// connect to a peer that should drop SYNs completed at once).
	Unexpected string `json:"unexpected,omitempty"`

	// Elapsed is the loop's duration without sampling; Rate is
	// Iterations/Elapsed, in connections per second.
	Elapsed  check.Duration `json:"elapsed"`
	Sampling check.Duration `json:"sampling"`
	Rate     float64        `json:"rate"`

	// Samples of the kernel's accounting every SampleEvery connections,
	// plus one before the loop and one at its end. Besides the raw counters
	// (see churn.Sample) each carries tcp.control_blocks, tcp.time_wait and
	// tcp.held (ControlBlocks explains them).
	Samples []churn.Sample `json:"samples"`

	// ControlBlocks is the count of TCP control blocks before, along and
	// after the loop; nil when the probe had no source to read.
	ControlBlocks *ControlBlocks `json:"control_blocks,omitempty"`

	// RST (pattern rst over loopback) is what the accepting ends read.
	RST *RSTCount `json:"rst,omitempty"`
	// Ports (pattern rst toward a peer) are the local ports of the
	// connections closed abortively, in order: the peer's records are
	// matched against them. Written is what they wrote before.
	Ports   []int `json:"ports,omitempty"`
	Written int64 `json:"written_bytes,omitempty"`

	// Set by Run (see churn.Measurement).
	Killed bool           `json:"killed,omitempty"`
	Signal string         `json:"signal,omitempty"`
	Wall   check.Duration `json:"wall,omitempty"`
	Stderr string         `json:"stderr,omitempty"`
	// Limit is set by the caller when the probe ran under a memory limit.
	Limit *churn.Limit `json:"limit,omitempty"`
}

// Counter names the probe adds to every sample.
const (
	CounterTotal    = "tcp.control_blocks"
	CounterTimeWait = "tcp.time_wait"
	CounterHeld     = "tcp.held"
)

// Count is the kernel's TCP control-block count at one moment.
type Count struct {
	// Elapsed is the time since the last close (drain samples) or since
	// the loop began (the others).
	Elapsed check.Duration `json:"elapsed"`
	// Total is what the source counts; TimeWait how many connections are
	// in TIME_WAIT; Held the control blocks that are neither TIME_WAIT nor
	// free: what a leak raises.
	Total    int64 `json:"total"`
	TimeWait int64 `json:"time_wait"`
	Held     int64 `json:"held"`
}

// ControlBlocks follows the count through a run.
type ControlBlocks struct {
	// Source says what Total counts and over what scope; TimeWait how
	// TIME_WAIT is set aside (both in words, for the reason and the
	// report).
	Source   string `json:"source"`
	TimeWait string `json:"time_wait"`
	// Machine is true when the count covers the whole machine (macOS)
	// rather than the SUT's own network namespace (Linux).
	Machine bool `json:"machine"`

	Start Count `json:"start"`
	// Peak is the highest Held along the loop.
	Peak Count `json:"peak"`
	// End is right after the last close.
	End Count `json:"end"`
	// Drain are the samples taken after the last close, until Held was
	// back within Slack of the start or Config.Drain ran out.
	Drain []Count `json:"drain"`
	// After is the drain sample with the lowest Held: what stayed. The
	// lowest, not the last, so that other processes opening sockets on a
	// machine-wide count (macOS) are not taken for a leak.
	After Count `json:"after"`
	// Drained is true when Held came back within Slack of the start;
	// DrainTime is how long that took (or the whole drain).
	Drained   bool           `json:"drained"`
	DrainTime check.Duration `json:"drain_time"`
	// Left is After.Held - Start.Held; PerThousand is Left per thousand
	// connections.
	Left        int64   `json:"left"`
	PerThousand float64 `json:"per_thousand"`
	// Errors are sources that could not be read, once each.
	Errors []string `json:"errors,omitempty"`
}

// RSTCount is what the peers of N abortive closes saw.
type RSTCount struct {
	Connections int `json:"connections"`
	// Reset: the peer's read returned ECONNRESET (loopback) or the peer saw
	// the RST on the wire (lab link).
	Reset int `json:"reset"`
	// FIN: the peer read end of file (loopback) or saw a FIN (lab link):
	// the close was graceful, not abortive.
	FIN int `json:"fin"`
	// Nothing: nothing arrived before the wait ran out.
	Nothing int `json:"nothing"`
	// Other: another errno; OtherWhat names the first.
	Other     int    `json:"other"`
	OtherWhat string `json:"other_what,omitempty"`
	// Written is what the connections wrote before their abortive close,
	// until each send would block (flow control, as in the report).
	Written int64 `json:"written_bytes"`
}

// Lost is how many connections' RST the peer did not see.
func (r RSTCount) Lost() int { return r.Connections - r.Reset }

// Settle computes Left and PerThousand from Start, After and the connections
// made (at least one).
func (cb *ControlBlocks) Settle(connections int) {
	cb.Left = cb.After.Held - cb.Start.Held
	if connections < 1 {
		connections = 1
	}
	cb.PerThousand = float64(cb.Left) * 1000 / float64(connections)
}
