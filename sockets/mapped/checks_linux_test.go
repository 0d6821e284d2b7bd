package mapped

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
)

// testParams keep the fault runs short: a lost datagram costs a window.
var testParams = Params{Sockets: 10, Timeout: 300 * time.Millisecond}

func newEnv(t *testing.T, id string, setup func(context.Context, *harness.Lab) error) *harness.Env {
	t.Helper()
	env := labtest.Env(t, id)
	env.Setup = setup
	return env
}

// TestChecksOnLinux is the self-validation of every first-datagram check:
// stock Linux passes, and the same check fails under the injected fault
// with a reason and evidence that name what happened.
func TestChecksOnLinux(t *testing.T) {
	for _, c := range Cases {
		t.Run(c.ID+"/stock", func(t *testing.T) {
			res := Run(context.Background(), newEnv(t, c.ID, nil), c, testParams)
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict != check.Pass {
				t.Fatalf("verdict %s, want pass: %s\n%s", res.Verdict, res.Reason, res.Observations)
			}
			var obs Observation
			if err := json.Unmarshal(res.Observations, &obs); err != nil {
				t.Fatal(err)
			}
			if obs.CFIL == nil || obs.CFIL.FilterOnPath {
				t.Errorf("stock: cfil attribution missing or claims a filter: %+v", obs.CFIL)
			}
			if c.To == Peer && obs.PeerARPReplies == 0 {
				t.Errorf("datagrams reached the peer without it ever answering ARP")
			}
		})
		t.Run(c.ID+"/drop-first-per-flow", func(t *testing.T) {
			res := Run(context.Background(), newEnv(t, c.ID, DropFirstPerFlow(FaultPath(c))), c, testParams)
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict != check.Fail {
				t.Fatalf("verdict %s, want fail: %s", res.Verdict, res.Reason)
			}
			for _, want := range []string{"1st datagram lost 10/10", c.Call() + " said success but nothing arrived", "2nd datagram delivered 10/10", "dropped 10"} {
				if !strings.Contains(res.Reason, want) {
					t.Errorf("reason lacks %q: %s", want, res.Reason)
				}
			}
			var obs Observation
			if err := json.Unmarshal(res.Observations, &obs); err != nil {
				t.Fatal(err)
			}
			if obs.CFIL == nil || !obs.CFIL.FilterOnPath || !strings.Contains(obs.CFIL.Summary, "drop-first-per-flow") || !strings.Contains(obs.CFIL.Summary, "dropped 10") {
				t.Errorf("cfil attribution does not say a filter dropped the datagrams: %+v", obs.CFIL)
			}
			if len(obs.ByNumber) != 2 || obs.ByNumber[0].SilentDrops != 10 {
				t.Errorf("by_number: %+v", obs.ByNumber)
			}
		})
	}
}

// shell is a fault made of shell commands run in the SUT's namespace (as a
// profile's would be; harness.ShellFault). A missing tool skips the test.
func shell(tool string, cmds ...string) func(context.Context, *harness.Lab) error {
	return func(ctx context.Context, lab *harness.Lab) error {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: no %s here: %v", errNoTool, tool, err)
		}
		return harness.ShellFault(cmds...)(ctx, lab)
	}
}

var errNoTool = errors.New("tool missing")

// refusals are SUT configurations that refuse the datagrams with an errno:
// the stack's answer, which every case must report as a fail naming the
// call and the errno, never as an error, and never blame ARP for it.
var refusals = []struct {
	name  string
	fault func(context.Context, *harness.Lab) error
	// want gives the failing call and errno for a case.
	want func(Case) string
	// applies says which cases the fault concerns.
	applies func(Case) bool
}{
	{"iptables-drop", shell("iptables", "iptables -I OUTPUT -p udp -j DROP"),
		func(c Case) string { return c.Call() + " EPERM ×10" }, func(Case) bool { return true }},
	// A datagram to the SUT's own address takes the local table, which a
	// main-table route cannot override: only the peer cases.
	{"prohibit-route", shell("ip", "ip route add prohibit 192.0.2.2/32"),
		func(c Case) string {
			if c.Connect {
				return "connect EACCES ×10"
			}
			return c.Call() + " EACCES ×10"
		}, func(c Case) bool { return c.To == Peer }},
	{"unreachable-route", shell("ip", "ip route add unreachable 192.0.2.2/32"),
		func(c Case) string {
			if c.Connect {
				return "connect EHOSTUNREACH ×10"
			}
			return c.Call() + " EHOSTUNREACH ×10"
		}, func(c Case) bool { return c.To == Peer }},
}

// TestRefusalIsAFail: a first-datagram case whose calls the SUT refuses
// fails with the call and errno in the reason and in every datagram's
// record; the harness-side note about ARP is not added, since ARP has
// nothing to do with a refused call.
func TestRefusalIsAFail(t *testing.T) {
	for _, f := range refusals {
		for _, c := range Cases {
			if !f.applies(c) {
				continue
			}
			t.Run(c.ID+"/"+f.name, func(t *testing.T) {
				res := Run(context.Background(), newEnv(t, c.ID, f.fault), c, testParams)
				t.Logf("%s: %s", res.Verdict, res.Reason)
				if res.Verdict == check.Error && strings.Contains(res.Reason, errNoTool.Error()) {
					t.Skip(res.Reason)
				}
				if res.Verdict != check.Fail {
					t.Fatalf("verdict %s, want fail: %s", res.Verdict, res.Reason)
				}
				want := f.want(c)
				for _, w := range []string{"1st datagram lost 10/10", "2nd datagram lost 10/10", "failed with an errno: " + want} {
					if !strings.Contains(res.Reason, w) {
						t.Errorf("reason lacks %q: %s", w, res.Reason)
					}
				}
				if strings.Contains(res.Reason, "ARP") {
					t.Errorf("reason blames ARP for a refused call: %s", res.Reason)
				}
				var obs Observation
				if err := json.Unmarshal(res.Observations, &obs); err != nil {
					t.Fatal(err)
				}
				call, errno, _ := strings.Cut(strings.TrimSuffix(want, " ×10"), " ")
				for _, s := range obs.SocketRecords {
					for _, d := range s.Datagrams {
						if d.Outcome != Errno || d.Call != call || d.Errno != errno || d.Return != -1 {
							t.Errorf("socket %d datagram %d: %+v, want %s %s", s.Index, d.Number, d, call, errno)
						}
					}
				}
			})
		}
	}
}

// TestUserspaceFilterCheck: the check passes through an accepting filter and
// fails when the filter drops the first packet it is given.
func TestUserspaceFilterCheck(t *testing.T) {
	for _, tt := range []struct {
		name  string
		mode  cfil.Mode
		setup func(context.Context, *harness.Lab) error
		want  check.Verdict
		has   []string
		// seen is the least number of packets the filter must be given.
		seen int
	}{
		{"accept", cfil.Accept, nil, check.Pass, []string{"every datagram delivered", "dropped 0"}, 40},
		{"drop-first", cfil.DropFirst, nil, check.Fail, []string{"1st datagram lost 1/10", "sendto said success but nothing arrived", "dropped 1"}, 40},
		// The SUT refuses every UDP datagram before the filter's hook (the
		// mangle table runs before the filter table): the stack's answer,
		// a fail naming it, although the filter was given nothing.
		{"refused-before-the-filter", cfil.Accept, shell("iptables", "iptables -t mangle -I OUTPUT -p udp -j DROP"), check.Fail,
			[]string{"self (sockets.mapped-sendto.self): 1st datagram lost 10/10 (10 failed with an errno: sendto EPERM ×10)",
				"peer (sockets.mapped-sendto.peer): 1st datagram lost 10/10 (10 failed with an errno: sendto EPERM ×10)", "saw 0 packets"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := userspaceFilter(context.Background(), newEnv(t, IDUserspaceFilter, tt.setup), testParams, tt.mode)
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict == check.Skip {
				t.Skipf("no user-space filter here: %s", res.Reason)
			}
			if res.Verdict == check.Error && strings.Contains(res.Reason, errNoTool.Error()) {
				t.Skip(res.Reason)
			}
			if res.Verdict != tt.want {
				t.Fatalf("verdict %s, want %s: %s", res.Verdict, tt.want, res.Reason)
			}
			for _, h := range tt.has {
				if !strings.Contains(res.Reason, h) {
					t.Errorf("reason lacks %q: %s", h, res.Reason)
				}
			}
			var obs FilteredObservation
			if err := json.Unmarshal(res.Observations, &obs); err != nil {
				t.Fatal(err)
			}
			// Every datagram of both cases (2 cases x 10 sockets x 2) passed the filter.
			if obs.Filter.Seen < tt.seen || len(obs.Cases) != 2 {
				t.Errorf("filter saw %d packets over %d cases, want >= %d over 2", obs.Filter.Seen, len(obs.Cases), tt.seen)
			}
		})
	}
}
