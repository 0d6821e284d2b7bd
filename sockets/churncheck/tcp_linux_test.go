package churncheck

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/sockets/accounting"
	"github.com/netconform/netconform/sockets/tcpchurn"
	"golang.org/x/sys/unix"
)

// sutShell returns a Setup that runs commands in the SUT's namespace: the
// faults of the self-validation.
func sutShell(cmds ...string) func(context.Context, *harness.Lab) error {
	return func(ctx context.Context, lab *harness.Lab) error {
		out, err := lab.SUT().Shell(ctx, strings.Join(cmds, " && "), []string{"PATH=" + os.Getenv("PATH")})
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
}

// dropSegments is DropSegments, skipped where the tools it needs are
// missing.
func dropSegments(t *testing.T, flag string) func(context.Context, *harness.Lab) error {
	t.Helper()
	for _, tool := range []string{"iptables", "ip6tables"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("fault needs %s: %v", tool, err)
		}
	}
	return DropSegments(flag)
}

func prohibitPeer() func(context.Context, *harness.Lab) error { return ProhibitPeer() }

// TestTCPChurnChecksOnLinux is the self-validation of every TCP churn
// check: each passes on stock Linux with the shipped counts, and fails
// under a fault that makes the kernel keep control blocks after close()
// (segments dropped on the lab's ports) or refuse a call (a prohibit rule,
// a tight memory limit), the reason naming what the kernel did.
func TestTCPChurnChecksOnLinux(t *testing.T) {
	sp := labtest.Config(t).Params.Sockets
	type fault struct {
		name  string
		setup func(*testing.T) func(context.Context, *harness.Lab) error
		limit int64
		want  []string // in the reason
		// minLeft is the least Left the measurement must show, per
		// connection (0: not a leak fault).
		minLeft int
		// count is the number of connections (0: 300).
		count int
	}
	finDrop := fault{name: "FINs dropped", setup: func(t *testing.T) func(context.Context, *harness.Lab) error { return dropSegments(t, "FIN") },
		want: []string{"TCP control blocks stayed", "per thousand connections", "TIME_WAIT"}, minLeft: 2}
	rstDrop := fault{name: "RSTs dropped", setup: func(t *testing.T) func(context.Context, *harness.Lab) error { return dropSegments(t, "RST") },
		want: []string{"TCP control blocks stayed", "per thousand connections"}, minLeft: 1}
	prohibit := fault{name: "peer prohibited", setup: func(*testing.T) func(context.Context, *harness.Lab) error { return prohibitPeer() },
		want: []string{"connect() failed with EACCES", "at connection 1 of"}}
	// The shipped count under a tight limit: the probe must be killed
	// before it is done, as under a profile's probe_memory_limit.
	tight := fault{name: "2MiB", limit: 2 << 20, want: []string{"killed by SIGKILL", "2.0 MiB"}, count: sp.TCPChurnCount}
	faults := map[string][]fault{
		tcpchurn.Connect:         {finDrop, tight},
		tcpchurn.Abort:           {rstDrop, tight},
		tcpchurn.CloseConnecting: {prohibit, tight},
	}
	for _, pattern := range tcpchurn.Patterns {
		for _, family := range tcpchurn.Families {
			id := tcpchurn.CheckID(pattern, family)
			t.Run(id+"/stock", func(t *testing.T) {
				env := newEnv(t, id)
				res := RunTCP(context.Background(), env, pattern, family, TCPParams{Probe: probePath, Count: sp.TCPChurnCount,
					Drain: sp.TCPChurnDrain, Timeout: sp.ChurnTimeout, LeakingPerGiB: sp.LeakingPCBsPerGiB})
				t.Logf("%s: %s", res.Verdict, res.Reason)
				obs := decodeTCP(t, res)
				if res.Verdict != check.Pass || res.ID != id {
					t.Fatalf("%s: %s, want pass: %s", res.ID, res.Verdict, res.Reason)
				}
				cb := obs.ControlBlocks
				if obs.Iterations != sp.TCPChurnCount || cb == nil || !cb.Drained || cb.Left != 0 || len(obs.Samples) < 2 {
					t.Errorf("stock measurement: %d connections, control blocks %+v, %d samples", obs.Iterations, cb, len(obs.Samples))
				}
				if pattern == tcpchurn.CloseConnecting && obs.PeerDrops == 0 {
					t.Errorf("the lab's peer saw no SYN: the connects never left the SUT")
				}
				if pattern == tcpchurn.Connect && cb.After.TimeWait == 0 {
					t.Errorf("no TIME_WAIT after %d graceful closes: the count of what was set aside is wrong", obs.Iterations)
				}
				if !hasEvidence(res, tcpchurn.CurveFile) {
					t.Errorf("no %s in the evidence: %v", tcpchurn.CurveFile, res.Evidence)
				}
			})
			for _, f := range faults[pattern] {
				t.Run(id+"/"+f.name, func(t *testing.T) {
					env := newEnv(t, id)
					if f.setup != nil {
						env.Setup = f.setup(t)
					}
					count := 300
					if f.count > 0 {
						count = f.count
					}
					res := RunTCP(context.Background(), env, pattern, family, TCPParams{Probe: probePath, Count: count,
						Drain: time.Second, Timeout: sp.ChurnTimeout, MemoryLimit: f.limit, LeakingPerGiB: sp.LeakingPCBsPerGiB})
					t.Logf("%s: %s", res.Verdict, res.Reason)
					if res.Verdict != check.Fail {
						t.Fatalf("%s under %s: %s, want fail: %s", id, f.name, res.Verdict, res.Reason)
					}
					for _, w := range f.want {
						if !strings.Contains(res.Reason, w) {
							t.Errorf("reason lacks %q: %s", w, res.Reason)
						}
					}
					obs := decodeTCP(t, res)
					if f.minLeft > 0 && (obs.ControlBlocks == nil || obs.ControlBlocks.Left < int64(f.minLeft*count)) {
						t.Errorf("control blocks %+v: want at least %d left", obs.ControlBlocks, f.minLeft*count)
					}
				})
			}
		}
	}
}

// TestAbortiveCloseRSTOnLinux: every RST reaches its peer on stock Linux,
// and a filter dropping the SUT's RSTs makes the check fail with the loss
// rate of every path.
func TestAbortiveCloseRSTOnLinux(t *testing.T) {
	sp := labtest.Config(t).Params.Sockets
	for _, tt := range []struct {
		name  string
		fault bool
		want  check.Verdict
	}{{"stock", false, check.Pass}, {"RSTs dropped", true, check.Fail}} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, tcpchurn.RSTCheckID)
			if tt.fault {
				env.Setup = dropSegments(t, "RST")
			}
			res := RunRST(context.Background(), env, RSTParams{Probe: probePath, Connections: sp.RSTConnections, Wait: sp.RSTWait, Timeout: sp.ChurnTimeout})
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict != tt.want {
				t.Fatalf("%s, want %s: %s", res.Verdict, tt.want, res.Reason)
			}
			var obs RSTObservations
			if err := json.Unmarshal(res.Observations, &obs); err != nil {
				t.Fatal(err)
			}
			if len(obs.Paths) != len(rstPaths) {
				t.Fatalf("%d paths measured, want %d", len(obs.Paths), len(rstPaths))
			}
			for _, p := range obs.Paths {
				r := p.Measurement.RST
				if r == nil || r.Connections != sp.RSTConnections {
					t.Errorf("%s: %+v", p.Name, r)
					continue
				}
				if !tt.fault && r.Reset != r.Connections {
					t.Errorf("%s: %+v", p.Name, r)
				}
				if tt.fault {
					want := fmt.Sprintf("RST not seen by the peer in %d of %d (%s", sp.RSTConnections, sp.RSTConnections, p.Name)
					if !strings.Contains(res.Reason, want) {
						t.Errorf("reason lacks %q: %s", want, res.Reason)
					}
				}
			}
		})
	}
}

func decodeTCP(t *testing.T, res check.Result) TCPObservations {
	t.Helper()
	var obs TCPObservations
	if len(res.Observations) == 0 {
		t.Fatalf("%s: no observations (%s: %s)", res.ID, res.Verdict, res.Reason)
	}
	if err := json.Unmarshal(res.Observations, &obs); err != nil {
		t.Fatal(err)
	}
	return obs
}

func hasEvidence(res check.Result, name string) bool {
	for _, e := range res.Evidence {
		if strings.HasSuffix(e, "/"+name) {
			return true
		}
	}
	return false
}

// TestLeakingMachineIsNamed: on a machine whose TCP control-block count is
// already above the threshold, a churn check still runs and gives its own
// verdict, and its reason says the machine was already leaking. The test
// makes this machine "leak" with a threshold of 1 per GiB and that many
// TCP sockets held open (created, never bound or connected: nothing
// touches a network).
func TestLeakingMachineIsNamed(t *testing.T) {
	sp := labtest.Config(t).Params.Sockets
	env := newEnv(t, tcpchurn.CheckID(tcpchurn.Connect, tcpchurn.Inet6))
	threshold := accounting.ReadMachine(1).Threshold
	if threshold <= 0 || threshold > 100_000 {
		t.Skipf("threshold %d per GiB of this machine's memory: cannot hold that many sockets here", threshold)
	}
	for range threshold + 10 {
		fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fd) })
	}
	for _, run := range []struct {
		name string
		run  func() check.Result
	}{
		{"tcp churn", func() check.Result {
			return RunTCP(context.Background(), env, tcpchurn.Connect, tcpchurn.Inet6, TCPParams{Probe: probePath, Count: 200,
				Drain: sp.TCPChurnDrain, Timeout: sp.ChurnTimeout, LeakingPerGiB: 1})
		}},
		{"socket churn", func() check.Result {
			return Run(context.Background(), env, Kinds[0], Params{Probe: probePath, Count: 1000, Timeout: sp.ChurnTimeout, LeakingPerGiB: 1})
		}},
	} {
		t.Run(run.name, func(t *testing.T) {
			res := run.run()
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict != check.Pass || !strings.Contains(res.Reason, "the machine was already leaking before this check") ||
				!strings.Contains(res.Reason, "above 1 per GiB") || !strings.Contains(res.Reason, "after boot") {
				t.Errorf("%s: %s", res.Verdict, res.Reason)
			}
		})
	}
}
