package tcpchurn

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

// Judge gives the verdict on a churn measurement (patterns connect,
// close-connecting, abort): fail when a call failed (its errno named), when
// the probe was killed by SIGKILL (memory ran out), or when the
// control-block count stayed above its start after the drain by more than
// the slack (named per thousand connections); error when the measurement
// cannot decide; pass otherwise.
func Judge(m Measurement) (check.Verdict, string) {
	c := m.Config
	what := What(c.Pattern, c.Family, c.Peer != "")
	if m.Killed {
		return killed(m)
	}
	if m.Unexpected != "" {
		return check.Error, "harness: " + m.Unexpected
	}
	cb := m.ControlBlocks
	if f := m.FirstFailure; f != nil {
		reason := fmt.Sprintf("%s() failed with %s (%s) at connection %d of %d (%s)", f.Call, f.Errno, capitalize(f.Message), f.Iteration, c.Count, what)
		if cb != nil {
			reason += "; " + countSummary(cb, m.Iterations)
		}
		return check.Fail, reason + limitNote(m.Limit)
	}
	if m.Iterations < c.Count {
		return check.Error, fmt.Sprintf("probe stopped after %d of %d connections without reporting a failure", m.Iterations, c.Count)
	}
	if cb == nil || len(cb.Drain) == 0 {
		why := "the probe read no count"
		if cb != nil && len(cb.Errors) > 0 {
			why = strings.Join(cb.Errors, "; ")
		}
		return check.Error, fmt.Sprintf("harness: no TCP control-block count to judge %d %s by: %s", c.Count, what, why)
	}
	if cb.Left > int64(c.Slack) {
		return check.Fail, fmt.Sprintf("%d TCP control blocks stayed after %d %s: %s per thousand connections (%s)",
			cb.Left, m.Iterations, what, perThousand(cb.PerThousand), countDetail(cb, c))
	}
	return check.Pass, fmt.Sprintf("%d %s at %s/s; %s", m.Iterations, what, thousands(int64(m.Rate)), countSummary(cb, m.Iterations))
}

// countSummary says where the count went, for a pass or beside a failed
// call.
func countSummary(cb *ControlBlocks, connections int) string {
	if len(cb.Drain) == 0 {
		return fmt.Sprintf("TCP control blocks held: %d at the start, %d at the last close (no drain)", cb.Start.Held, cb.End.Held)
	}
	if cb.Drained {
		when := "by the last close"
		if d := roundDuration(cb.DrainTime); d > 0 {
			when = fmt.Sprintf("%v after the last close", d)
		}
		return fmt.Sprintf("TCP control blocks back to the start (%d held) %s (peak %d; %d in TIME_WAIT set aside: %s)",
			cb.Start.Held, when, cb.Peak.Held, cb.After.TimeWait, cb.TimeWait)
	}
	return fmt.Sprintf("%d TCP control blocks stayed after the drain: %s per thousand connections (held %d at the start, %d after a %v drain)",
		cb.Left, perThousand(cb.PerThousand), cb.Start.Held, cb.After.Held, roundDuration(cb.DrainTime))
}

// countDetail is the evidence of a leak, in one parenthesis.
func countDetail(cb *ControlBlocks, c Config) string {
	slack := ""
	if c.Slack > 0 {
		slack = fmt.Sprintf(", %d allowed", c.Slack)
	}
	return fmt.Sprintf("held %d at the start, %d at the peak, %d at the last close and still %d after a %v drain%s; %d in TIME_WAIT set aside: %s; counted by %s",
		cb.Start.Held, cb.Peak.Held, cb.End.Held, cb.After.Held, roundDuration(cb.DrainTime), slack, cb.After.TimeWait, cb.TimeWait, cb.Source)
}

func killed(m Measurement) (check.Verdict, string) {
	after := churn.KilledAfter(len(m.Samples), m.Iterations, m.Config.EffectiveSampleEvery(), "connections")
	if m.Signal != "SIGKILL" {
		return check.Error, fmt.Sprintf("probe killed by %s %s: not a kernel verdict", m.Signal, after)
	}
	return check.Fail, churn.KilledReason(after, m.Limit)
}

func limitNote(l *churn.Limit) string {
	if l == nil {
		return ""
	}
	return fmt.Sprintf("; under a memory limit of %s", mib(l.MemoryBytes))
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func perThousand(v float64) string { return fmt.Sprintf("%.1f", v) }

// thousands writes 21345 as 21,345.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func roundDuration(d check.Duration) time.Duration {
	t := time.Duration(d)
	switch {
	case t >= time.Second:
		return t.Round(10 * time.Millisecond)
	case t >= time.Millisecond:
		return t.Round(time.Millisecond)
	}
	return t.Round(time.Microsecond)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Path is one way sockets.tcp.abortive-close-rst runs: loopback or the
// lab link, one family.
type Path struct {
	// Name is how the reason names it ("loopback IPv6", "lab link IPv4").
	Name string `json:"name"`
	// Measurement is the probe's (its RST is filled by the caller for the
	// lab link, from the peer's records).
	Measurement Measurement `json:"measurement"`
}

// JudgeRST gives the verdict on the RST paths: fail when any path's peer
// missed an RST (the loss rate of each path named) or a call failed; error
// when a path could not be measured.
func JudgeRST(paths []Path) (check.Verdict, string) {
	var lost, fine, errs []string
	failedCall := ""
	shape := rstShape(paths)
	for _, p := range paths {
		m := p.Measurement
		switch {
		case m.Killed:
			v, r := killed(m)
			if v == check.Fail {
				failedCall = p.Name + ": " + r
			} else {
				errs = append(errs, p.Name+": "+r)
			}
			continue
		case m.Unexpected != "":
			errs = append(errs, p.Name+": "+m.Unexpected)
			continue
		case m.FirstFailure != nil && failedCall == "":
			f := m.FirstFailure
			failedCall = fmt.Sprintf("%s: %s() failed with %s (%s) at connection %d of %d", p.Name, f.Call, f.Errno, capitalize(f.Message), f.Iteration, m.Config.Count)
		}
		r := m.RST
		if r == nil || r.Connections == 0 {
			if m.FirstFailure == nil {
				errs = append(errs, p.Name+": no connection was measured")
			}
			continue
		}
		if r.Lost() == 0 {
			fine = append(fine, fmt.Sprintf("%s %d of %d", p.Name, r.Reset, r.Connections))
			continue
		}
		lost = append(lost, fmt.Sprintf("RST not seen by the peer in %d of %d (%s: %s)", r.Lost(), r.Connections, p.Name, lostDetail(*r)))
	}
	switch {
	case failedCall != "" || len(lost) > 0:
		parts := lost
		if failedCall != "" {
			parts = append([]string{failedCall}, parts...)
		}
		if len(fine) > 0 {
			parts = append(parts, "RST seen: "+strings.Join(fine, ", "))
		}
		if len(errs) > 0 {
			parts = append(parts, "not measured: "+strings.Join(errs, "; "))
		}
		return check.Fail, strings.Join(parts, "; ") + shape
	case len(errs) > 0:
		return check.Error, "harness could not measure: " + strings.Join(errs, "; ")
	}
	return check.Pass, "every abortive close reached the peer as an RST: " + strings.Join(fine, ", ") + shape
}

// rstShape is the note that ends a pass or fail reason: how much each
// connection had written, over every path, before its abortive close, since
// an RST that must discard queued data is the case the check is about ("" when
// nothing was counted).
func rstShape(paths []Path) string {
	var written int64
	var conns int
	for _, p := range paths {
		if r := p.Measurement.RST; r != nil {
			written += r.Written
			conns += r.Connections
		}
	}
	if conns <= 0 || written <= 0 {
		return ""
	}
	return fmt.Sprintf(" (each connection flow-controlled first: %s bytes written on average until the send would block)", thousands(written/int64(conns)))
}

func lostDetail(r RSTCount) string {
	var parts []string
	if r.FIN > 0 {
		parts = append(parts, fmt.Sprintf("%d closed gracefully with a FIN instead", r.FIN))
	}
	if r.Nothing > 0 {
		parts = append(parts, fmt.Sprintf("%d with nothing at all", r.Nothing))
	}
	if r.Other > 0 {
		parts = append(parts, fmt.Sprintf("%d with %s", r.Other, r.OtherWhat))
	}
	return strings.Join(parts, ", ")
}
