package churncheck

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/sockets/churn"
)

var probePath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "netconform-churncheck-")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	probePath, err = BuildProbe(ctx, dir)
	cancel()
	if err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func newEnv(t *testing.T, id string) *harness.Env {
	t.Helper()
	env := labtest.Env(t, id)
	t.Cleanup(func() {
		if err := CleanupRun(env.RunID); err != nil {
			t.Errorf("cgroup clean-up: %v", err)
		}
	})
	return env
}

// failureWords are what a churn failure under a memory limit may truthfully
// be: socket() failing with one of the errnos Linux gives, or the kill.
var failureWords = regexp.MustCompile(`ENOBUFS|ENOMEM|ENFILE|EMFILE|killed by SIGKILL`)

// TestChurnChecksOnLinux: every churn check passes on stock Linux with the
// shipped count, and fails under a tight memory limit naming why.
func TestChurnChecksOnLinux(t *testing.T) {
	sp := labtest.Config(t).Params.Sockets
	for _, k := range Kinds {
		for _, tt := range []struct {
			name  string
			limit int64
			want  check.Verdict
		}{
			{"stock", 0, check.Pass},
			{"2MiB", 2 << 20, check.Fail},
		} {
			t.Run(k.ID()+"/"+tt.name, func(t *testing.T) {
				env := newEnv(t, k.ID())
				res := Run(context.Background(), env, k, Params{Probe: probePath, Count: sp.ChurnCount, Timeout: sp.ChurnTimeout, MemoryLimit: tt.limit})
				t.Logf("%s: %s", res.Verdict, res.Reason)
				if res.Verdict != tt.want || res.ID != k.ID() {
					t.Fatalf("%s: verdict %s, want %s: %s", res.ID, res.Verdict, tt.want, res.Reason)
				}
				var m churn.Measurement
				if err := json.Unmarshal(res.Observations, &m); err != nil {
					t.Fatal(err)
				}
				if tt.limit == 0 {
					if m.Iterations != sp.ChurnCount || len(m.Samples) == 0 || m.Limit != nil {
						t.Errorf("stock measurement: %d iterations, %d samples, limit %+v", m.Iterations, len(m.Samples), m.Limit)
					}
					return
				}
				if !failureWords.MatchString(res.Reason) || !strings.Contains(res.Reason, "2.0 MiB") {
					t.Errorf("reason does not name the errno or the kill and the limit: %s", res.Reason)
				}
				if m.Limit == nil || m.Limit.MemoryBytes != tt.limit {
					t.Errorf("measurement does not carry the limit: %+v", m.Limit)
				}
			})
		}
	}
}

// TestStuckProbeIsAnError: a probe that does not finish in time gives no
// verdict on the stack.
func TestStuckProbeIsAnError(t *testing.T) {
	env := newEnv(t, "sockets.churn.stream6")
	res := Run(context.Background(), env, Kind{"inet6", "stream"}, Params{Probe: probePath, Count: 100_000_000, Timeout: 300 * time.Millisecond})
	if res.Verdict != check.Error || !strings.Contains(res.Reason, "churn_timeout") {
		t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
	}
}

// TestRefusedSocketIsAFail: when the SUT refuses socket() itself, the
// churn check fails naming the call and the errno (reason and observation).
// The refusal is a cgroup socket-creation hook (a BPF program attached as
// BPF_CGROUP_INET_SOCK_CREATE that says no, as a sandbox policy would): the
// kernel answers socket(AF_INET*) with EPERM for every process of the group,
// and the probe is moved into it before it is released.
func TestRefusedSocketIsAFail(t *testing.T) {
	for _, k := range Kinds {
		t.Run(k.ID(), func(t *testing.T) {
			env := newEnv(t, k.ID())
			refuse := refuseSockets(t, env.RunID)
			res := Run(context.Background(), env, k, Params{Probe: probePath, Count: 1000, Timeout: time.Minute, wrapStart: refuse})
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict != check.Fail {
				t.Fatalf("verdict %s, want fail: %s", res.Verdict, res.Reason)
			}
			if !strings.Contains(res.Reason, "socket() failed with EPERM (Operation not permitted) at iteration 1 of 1000") {
				t.Errorf("reason does not name the refused call and its errno: %s", res.Reason)
			}
			var m churn.Measurement
			if err := json.Unmarshal(res.Observations, &m); err != nil {
				t.Fatal(err)
			}
			if f := m.FirstFailure; f == nil || f.Call != "socket" || f.Errno != "EPERM" || f.Iteration != 1 {
				t.Errorf("first failure %+v, want socket EPERM at iteration 1", m.FirstFailure)
			}
		})
	}
}
