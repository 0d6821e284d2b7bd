package observation

import "fmt"

// ChurnMeasurement is a churn probe's document (ViewChurn): the loop's
// parameters, how far it got, its first failure and the recovery after it,
// and samples of the kernel's socket accounting. The probe writes it; the
// check completes it with what only the parent can see (a kill by signal,
// the wall time, stderr) and the memory limit the probe ran under.
// sockets/churn.Measurement is this type.
type ChurnMeasurement struct {
	Config ChurnConfig `json:"config"`
	// OS and Arch are the probe's GOOS and GOARCH; Kernel is uname's release.
	OS     string `json:"os"`
	Arch   string `json:"arch"`
	Kernel string `json:"kernel,omitempty"`

	// Iterations is the number of cycles that completed (socket() and close()
	// both succeeded) before the loop ended.
	Iterations int `json:"iterations"`
	// Failures counts every failed call: the first failure, the immediate
	// retries after it and the failed tries after the pause.
	Failures int `json:"failures"`
	// FirstFailure is nil when the loop ran to Count.
	FirstFailure *ChurnFailure `json:"first_failure,omitempty"`
	// Recovery is nil when nothing failed.
	Recovery *ChurnRecovery `json:"recovery,omitempty"`

	// Elapsed is the loop's duration without the time spent sampling, and Rate
	// is Iterations/Elapsed in cycles per second: sampling does not distort it.
	Elapsed  Duration `json:"elapsed"`
	Sampling Duration `json:"sampling"`
	Rate     float64  `json:"rate"`

	// Samples of the kernel's socket accounting every SampleEvery cycles, plus
	// one before the loop and one at its end (and one after recovery).
	Samples []ChurnSample `json:"samples"`

	// Set by the check. Killed means the probe ended by a signal (Signal,
	// e.g. "SIGKILL"); its JSON was then never written and Iterations is the
	// last sampled iteration (a lower bound) recovered from its progress
	// lines.
	Killed bool     `json:"killed,omitempty"`
	Signal string   `json:"signal,omitempty"`
	Wall   Duration `json:"wall,omitempty"`
	Stderr string   `json:"stderr,omitempty"`

	// Limit is set by the caller when the probe ran under a memory limit.
	Limit *ChurnLimit `json:"limit,omitempty"`
}

// ChurnConfig is what one churn loop does. The probe echoes it in its
// measurement so a report never has to guess the parameters of a run
// (sockets/churn.Config).
type ChurnConfig struct {
	// Family is "inet6" (AF_INET6) or "inet" (AF_INET).
	Family string `json:"family"`
	// Type is "stream" (SOCK_STREAM) or "dgram" (SOCK_DGRAM).
	Type string `json:"type"`
	// Count is the number of socket()+close() cycles asked for.
	Count int `json:"count"`
	// SampleEvery is the number of cycles between two samples of the kernel's
	// accounting; 0 means Count/ChurnDefaultSamples.
	SampleEvery int `json:"sample_every"`
	// Pause is how long the probe waits after the first failure before it tries
	// RecoverTries more sockets; 0 means the probe's default.
	Pause Duration `json:"pause"`
	// RecoverTries is how many sockets the probe tries after the pause; 0 means
	// the probe's default.
	RecoverTries int `json:"recover_tries"`
}

// ChurnDefaultSamples is how many samples a run takes when SampleEvery is
// 0: enough to chart accounting against iterations, few enough not to slow
// the loop (each reads /proc/slabinfo, about 1.5 ms right after a burst of
// socket()+close(): 50 samples cost the probe some 5% against the seed's C
// program, which samples nothing; 25 about half that).
const ChurnDefaultSamples = 25

// Validate reports a usage error in c (the probe exits 2 on one).
func (c ChurnConfig) Validate() error {
	switch c.Family {
	case "inet6", "inet":
	default:
		return fmt.Errorf("family %q: want inet6 or inet", c.Family)
	}
	switch c.Type {
	case "stream", "dgram":
	default:
		return fmt.Errorf("type %q: want stream or dgram", c.Type)
	}
	if c.Count <= 0 {
		return fmt.Errorf("count %d: want at least 1", c.Count)
	}
	if c.SampleEvery < 0 {
		return fmt.Errorf("sample-every %d: want 0 (default) or more", c.SampleEvery)
	}
	if c.Pause < 0 {
		return fmt.Errorf("pause %v: want 0 or more", c.Pause)
	}
	if c.RecoverTries < 0 {
		return fmt.Errorf("recover-tries %d: want 0 or more", c.RecoverTries)
	}
	return nil
}

// EffectiveSampleEvery is the sampling period the probe uses for c.
func (c ChurnConfig) EffectiveSampleEvery() int {
	if c.SampleEvery > 0 {
		return c.SampleEvery
	}
	return max(1, c.Count/ChurnDefaultSamples)
}

// ChurnFailure is one failed call (sockets/churn.Failure).
type ChurnFailure struct {
	// Iteration is 1-based, as in the seed's "failed on attempt 160995".
	Iteration int `json:"iteration"`
	// Call is "socket" or "close".
	Call string `json:"call"`
	// Errno is the symbolic name (ENOBUFS, ENFILE, EMFILE, ENOMEM...), Code its
	// number on the probe's OS and Message the C library's text for it.
	Errno   string `json:"errno"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// ChurnRecovery says whether socket() works again after the first failure:
// the probe stops the loop, retries at once, sleeps Pause, then tries again
// (sockets/churn.Recovery).
type ChurnRecovery struct {
	// ImmediateFailures is how many of the immediate retries failed too.
	ImmediateRetries  int `json:"immediate_retries"`
	ImmediateFailures int `json:"immediate_failures"`
	// After the pause: Tries sockets tried, Succeeded of them worked.
	Pause     Duration `json:"pause"`
	Tries     int      `json:"tries"`
	Succeeded int      `json:"succeeded"`
	// Recovered is true when every try after the pause succeeded.
	Recovered bool `json:"recovered"`
	// LastErrno is the errno of the last failed try, if any.
	LastErrno string `json:"last_errno,omitempty"`
}

// ChurnSample is the kernel's accounting at one iteration
// (sockets/churn.Sample). Counters are keyed by where they come from so a
// report can chart each as a series:
//
//	Linux:  sockstat.<PROTO>.<field> and sockstat6.<PROTO>.<field> from
//	        /proc/net/sockstat{,6} (sockstat.sockets.used, sockstat.TCP.alloc,
//	        sockstat.TCP.mem in pages...), slab.<cache>.active_objs and
//	        slab.<cache>.num_objs from /proc/slabinfo (TCPv6, TCP, UDPv6, UDP,
//	        sock_inode_cache; absent when unreadable), memcg.usage_bytes of the
//	        probe's memory cgroup, proc.rss_bytes (VmRSS).
//	darwin: net.inet.tcp.pcbcount, net.inet.udp.pcbcount (sysctl) and
//	        proc.maxrss_bytes (getrusage: peak, darwin has no cheap current RSS).
type ChurnSample struct {
	Iteration int              `json:"iteration"`
	Elapsed   Duration         `json:"elapsed"`
	Counters  map[string]int64 `json:"counters"`
	// Errors lists sources that could not be read, once per sample.
	Errors []string `json:"errors,omitempty"`
}

// ChurnLimit describes the memory limit a probe ran under, filled from the
// cgroup (sockets/churn.Limit).
type ChurnLimit struct {
	// Cgroup is the group's path, Version 1 or 2.
	Cgroup  string `json:"cgroup"`
	Version int    `json:"version"`
	// MemoryBytes is memory.limit_in_bytes (v1) or memory.max (v2).
	MemoryBytes int64 `json:"memory_bytes"`
	// BaselineBytes is what the probe used when it was released, if known.
	BaselineBytes int64 `json:"baseline_bytes,omitempty"`
	// OOMKillerDisabled is true when the group's OOM killer was switched off
	// (v1 memory.oom_control); v2 has no such switch.
	OOMKillerDisabled bool `json:"oom_killer_disabled"`
	// OOMKills is the group's oom_kill count after the run; Failcnt is how many
	// times the limit was hit (v1 memory.failcnt, v2 memory.events max). On
	// Linux 6.18 v1 failcnt stayed 0 even with a task under OOM: trust
	// OOMKills, not Failcnt.
	OOMKills    int64  `json:"oom_kills"`
	Failcnt     int64  `json:"failcnt"`
	MaxUsage    int64  `json:"max_usage_bytes,omitempty"`
	Description string `json:"description,omitempty"`
}
