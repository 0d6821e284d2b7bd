package churn

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/netconform/netconform/check"
)

// Spec is what the churn checks hold the stack to.
const Spec = "socket(2)/close(2): closing a socket releases what creating it took, " +
	"so create+close in a loop must succeed indefinitely " +
	"(seed: macOS 26 socket(AF_INET6, SOCK_STREAM) fails with ENOBUFS near iteration 160,000)"

// Title is the check's title for a family and type.
func Title(family, typ string) string {
	return fmt.Sprintf("%s socket()+close() churn", SocketName(family, typ))
}

// Evaluate gives the verdict on a measurement of want cycles: pass when all
// want cycles succeeded; fail when socket() or close() failed or the probe was
// killed by SIGKILL (memory ran out: the OOM killer); error when the
// measurement cannot decide (killed by another signal, or stopped early with no
// failure). Observations are the measurement itself, samples included.
func Evaluate(m Measurement, want int) check.Result {
	r := check.Result{
		ID:       CheckID(m.Config.Family, m.Config.Type),
		Title:    Title(m.Config.Family, m.Config.Type),
		Spec:     Spec,
		Labels:   []string{"sockets", "churn", m.Config.Family, m.Config.Type},
		Duration: m.Wall,
	}
	if err := r.Observe(m); err != nil {
		r.Errorf("%v", err)
		return r
	}
	r.Verdict, r.Reason = verdict(m, want)
	return r
}

// EvaluateRun is Evaluate for Run's two results: an error from Run (probe
// missing, unparseable output...) is an error verdict naming it.
func EvaluateRun(c Config, m Measurement, err error, want int) check.Result {
	if err == nil {
		return Evaluate(m, want)
	}
	if m.Config.Family == "" {
		m.Config = c
	}
	r := Evaluate(m, want)
	r.Observations = nil
	if errors.Is(err, ErrProbeMissing) {
		r.Errorf("harness: %v", err)
	} else {
		r.Errorf("harness could not measure: %v", err)
	}
	return r
}

func verdict(m Measurement, want int) (check.Verdict, string) {
	sock := SocketName(m.Config.Family, m.Config.Type)
	if m.Killed {
		return killed(m, sock)
	}
	if f := m.FirstFailure; f != nil {
		return check.Fail, failed(m, f, want)
	}
	if m.Failures > 0 {
		return check.Error, fmt.Sprintf("probe counted %d failures but reported none: inconsistent measurement", m.Failures)
	}
	if m.Iterations < want {
		return check.Error, fmt.Sprintf("probe stopped after %d of %d cycles without reporting a failure", m.Iterations, want)
	}
	return check.Pass, fmt.Sprintf("created and closed %d %s sockets at %.0f cycles/s; no failure",
		m.Iterations, sock, m.Rate)
}

// failed words a failure as a bug report would: what failed, where, how often,
// and whether it went away.
func failed(m Measurement, f *Failure, want int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s() failed with %s (%s) at iteration %d of %d",
		f.Call, f.Errno, capitalize(f.Message), f.Iteration, want)
	fmt.Fprintf(&b, "; %d %s", m.Failures, plural(m.Failures, "failure", "failures"))
	if rec := m.Recovery; rec != nil {
		answer := "no"
		if rec.Recovered {
			answer = "yes"
		} else if rec.Succeeded > 0 {
			answer = fmt.Sprintf("partly (%d of %d)", rec.Succeeded, rec.Tries)
		}
		fmt.Fprintf(&b, "; recovered after %v pause: %s", time.Duration(rec.Pause), answer)
	}
	if l := m.Limit; l != nil {
		fmt.Fprintf(&b, "; under a memory limit of %s", mib(l.MemoryBytes))
	}
	return b.String()
}

func killed(m Measurement, sock string) (check.Verdict, string) {
	after := KilledAfter(len(m.Samples), m.Iterations, m.Config.EffectiveSampleEvery(), "iterations")
	if m.Signal != "SIGKILL" {
		return check.Error, fmt.Sprintf("probe killed by %s %s: not a kernel verdict on %s churn", m.Signal, after, sock)
	}
	return check.Fail, KilledReason(after, m.Limit)
}

// KilledAfter says how far a probe a signal ended got, from its progress
// lines (it wrote no measurement): at least the last sample's count of
// units, or within the first sampling interval when no sample passed 0. The
// socket and TCP churn checks share it.
func KilledAfter(samples, iterations, sampleEvery int, units string) string {
	switch {
	case samples == 0:
		return "before its first sample"
	case iterations == 0:
		return fmt.Sprintf("within its first %d %s", sampleEvery, units)
	}
	return fmt.Sprintf("after at least %d %s", iterations, units)
}

// KilledReason is the fail reason for a probe SIGKILL ended after (see
// KilledAfter): the memory cgroup's limit and OOM kills, when it ran under
// one, say whether the OOM killer did it; without one, the system OOM
// killer most likely did. The socket and TCP churn checks share it.
func KilledReason(after string, l *Limit) string {
	switch {
	case l != nil && l.OOMKills > 0:
		return fmt.Sprintf("probe killed by SIGKILL %s: the OOM killer ended it under the memory limit of %s (%d OOM %s in the group)",
			after, mib(l.MemoryBytes), l.OOMKills, plural(int(l.OOMKills), "kill", "kills"))
	case l != nil:
		return fmt.Sprintf("probe killed by SIGKILL %s under the memory limit of %s (the group recorded no OOM kill)",
			after, mib(l.MemoryBytes))
	}
	return fmt.Sprintf("probe killed by SIGKILL %s with no memory limit set: most likely the system OOM killer", after)
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// capitalize turns Go's "no buffer space available" back into the C
// library's "No buffer space available".
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
