package churn_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

func stream6(count int) churn.Config {
	return churn.Config{Family: "inet6", Type: "stream", Count: count, SampleEvery: count / 50, Pause: churn.DefaultPause, RecoverTries: 5}
}

func TestEvaluate(t *testing.T) {
	enobufs := &churn.Failure{Iteration: 160995, Call: "socket", Errno: "ENOBUFS", Code: 55, Message: "No buffer space available"}
	tests := []struct {
		name    string
		m       churn.Measurement
		want    int
		verdict check.Verdict
		reason  string // exact when it starts with "=", else a substring
	}{{
		name:    "all cycles pass",
		m:       churn.Measurement{Config: stream6(250000), Iterations: 250000, Rate: 160000},
		want:    250000,
		verdict: check.Pass,
		reason:  "=created and closed 250000 AF_INET6 SOCK_STREAM sockets at 160000 cycles/s; no failure",
	}, {
		name: "seed's ENOBUFS, recovered",
		m: churn.Measurement{Config: stream6(250000), Iterations: 160994, Failures: 3, FirstFailure: enobufs,
			Recovery: &churn.Recovery{ImmediateRetries: 2, ImmediateFailures: 2, Pause: check.Duration(time.Second), Tries: 5, Succeeded: 5, Recovered: true}},
		want:    250000,
		verdict: check.Fail,
		reason:  "=socket() failed with ENOBUFS (No buffer space available) at iteration 160995 of 250000; 3 failures; recovered after 1s pause: yes",
	}, {
		name: "not recovered, lower-case message, under a limit",
		m: churn.Measurement{Config: churn.Config{Family: "inet", Type: "dgram", Count: 1000}, Iterations: 9, Failures: 8,
			FirstFailure: &churn.Failure{Iteration: 10, Call: "socket", Errno: "ENOMEM", Message: "cannot allocate memory"},
			Recovery:     &churn.Recovery{Pause: check.Duration(200 * time.Millisecond), Tries: 5, Succeeded: 0},
			Limit:        &churn.Limit{MemoryBytes: 2 << 20}},
		want:    1000,
		verdict: check.Fail,
		reason:  "=socket() failed with ENOMEM (Cannot allocate memory) at iteration 10 of 1000; 8 failures; recovered after 200ms pause: no; under a memory limit of 2.0 MiB",
	}, {
		name: "partly recovered",
		m: churn.Measurement{Config: stream6(100), Iterations: 49, Failures: 3, FirstFailure: enobufs,
			Recovery: &churn.Recovery{Pause: check.Duration(time.Second), Tries: 5, Succeeded: 3}},
		want:    100,
		verdict: check.Fail,
		reason:  "recovered after 1s pause: partly (3 of 5)",
	}, {
		name: "OOM kill under a limit",
		m: churn.Measurement{Config: stream6(250000), Killed: true, Signal: "SIGKILL", Iterations: 5000,
			Samples: []churn.Sample{{Iteration: 0}, {Iteration: 5000}}, Limit: &churn.Limit{MemoryBytes: 2 << 20, OOMKills: 1}},
		want:    250000,
		verdict: check.Fail,
		reason:  "=probe killed by SIGKILL after at least 5000 iterations: the OOM killer ended it under the memory limit of 2.0 MiB (1 OOM kill in the group)",
	}, {
		name: "OOM kill within the first sampling period",
		m: churn.Measurement{Config: stream6(250000), Killed: true, Signal: "SIGKILL",
			Samples: []churn.Sample{{Iteration: 0}}, Limit: &churn.Limit{MemoryBytes: 2 << 20, OOMKills: 1}},
		want:    250000,
		verdict: check.Fail,
		reason:  "=probe killed by SIGKILL within its first 5000 iterations: the OOM killer ended it under the memory limit of 2.0 MiB (1 OOM kill in the group)",
	}, {
		name:    "SIGKILL before any sample, no limit",
		m:       churn.Measurement{Config: stream6(250000), Killed: true, Signal: "SIGKILL"},
		want:    250000,
		verdict: check.Fail,
		reason:  "=probe killed by SIGKILL before its first sample with no memory limit set: most likely the system OOM killer",
	}, {
		name:    "killed by someone else",
		m:       churn.Measurement{Config: stream6(250000), Killed: true, Signal: "SIGTERM", Samples: []churn.Sample{{}}},
		want:    250000,
		verdict: check.Error,
		reason:  "probe killed by SIGTERM",
	}, {
		name:    "stopped early without a failure",
		m:       churn.Measurement{Config: stream6(250000), Iterations: 100},
		want:    250000,
		verdict: check.Error,
		reason:  "stopped after 100 of 250000 cycles without reporting a failure",
	}, {
		name:    "failures counted but none described",
		m:       churn.Measurement{Config: stream6(10), Iterations: 10, Failures: 2},
		want:    10,
		verdict: check.Error,
		reason:  "inconsistent",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := churn.Evaluate(tt.m, tt.want)
			if r.Verdict != tt.verdict {
				t.Errorf("verdict = %s, want %s (reason %q)", r.Verdict, tt.verdict, r.Reason)
			}
			if exact, ok := strings.CutPrefix(tt.reason, "="); ok {
				if r.Reason != exact {
					t.Errorf("reason = %q\nwant     %q", r.Reason, exact)
				}
			} else if !strings.Contains(r.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", r.Reason, tt.reason)
			}
			if want := churn.CheckID(tt.m.Config.Family, tt.m.Config.Type); r.ID != want {
				t.Errorf("id = %s, want %s", r.ID, want)
			}
			var back churn.Measurement
			if err := json.Unmarshal(r.Observations, &back); err != nil {
				t.Fatalf("observations are not a measurement: %v", err)
			}
			if !reflect.DeepEqual(normalize(back), normalize(tt.m)) {
				t.Errorf("observations = %+v, want %+v", back, tt.m)
			}
		})
	}
}

func TestEvaluateRunError(t *testing.T) {
	c := stream6(250000)
	r := churn.EvaluateRun(c, churn.Measurement{}, errors.New("probe output is not a measurement"), 250000)
	if r.Verdict != check.Error || r.ID != "sockets.churn.stream6" || !strings.Contains(r.Reason, "not a measurement") {
		t.Errorf("got %s %s %q", r.Verdict, r.ID, r.Reason)
	}
}

func TestCheckID(t *testing.T) {
	for _, tt := range []struct{ family, typ, want string }{
		{"inet6", "stream", "sockets.churn.stream6"},
		{"inet6", "dgram", "sockets.churn.dgram6"},
		{"inet", "stream", "sockets.churn.stream4"},
	} {
		if got := churn.CheckID(tt.family, tt.typ); got != tt.want {
			t.Errorf("CheckID(%s, %s) = %s, want %s", tt.family, tt.typ, got, tt.want)
		}
	}
}

// normalize makes nil and empty slices and maps compare equal after JSON.
func normalize(m churn.Measurement) churn.Measurement {
	if len(m.Samples) == 0 {
		m.Samples = nil
	}
	for i := range m.Samples {
		if len(m.Samples[i].Counters) == 0 {
			m.Samples[i].Counters = nil
		}
	}
	return m
}
