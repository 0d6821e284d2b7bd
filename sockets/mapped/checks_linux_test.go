package mapped

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/topology"
)

// testParams keep the fault runs short: a lost datagram costs a window.
var testParams = Params{Sockets: 10, Timeout: 300 * time.Millisecond}

func newEnv(t *testing.T, id string, setup func(context.Context, *harness.Lab) error) *harness.Env {
	t.Helper()
	if err := topology.CheckPrivileges(); err != nil {
		t.Skipf("lab test skipped: %v", err)
	}
	drv, err := topology.ForThisOS()
	if err != nil {
		t.Fatal(err)
	}
	return &harness.Env{Driver: drv, RunID: topology.NewRunID(), ReleaseDir: t.TempDir(), CheckID: id,
		ProfileName: "stock", Profile: config.Profile{}, Log: testWriter{t}, Setup: setup}
}

// dropFirstPerFlow is the fault that mimics the seed: a content filter on
// the SUT's hook that drops the first packet of every new UDP flow while
// sendto() succeeds.
func dropFirstPerFlow(hook string) func(context.Context, *harness.Lab) error {
	return func(ctx context.Context, lab *harness.Lab) error {
		f, err := cfil.StartFilter(ctx, lab.SUT(), cfil.FilterConfig{Queue: 7, Hook: hook, Match: []string{"-p", "udp"}, Mode: cfil.DropFirstPerFlow})
		if err != nil {
			return err
		}
		lab.OnClose(f.Close)
		return nil
	}
}

// faultHook is where the fault must sit to hit a case: datagrams to the
// SUT itself are dropped on its input path (as the issue asks), datagrams
// to the peer on the output path, since they never enter INPUT.
func faultHook(c Case) string {
	if c.To == Self {
		return "INPUT"
	}
	return "OUTPUT"
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
			res := Run(context.Background(), newEnv(t, c.ID, dropFirstPerFlow(faultHook(c))), c, testParams)
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

// TestUserspaceFilterCheck: the check passes through an accepting filter and
// fails when the filter drops the first packet it is given.
func TestUserspaceFilterCheck(t *testing.T) {
	for _, tt := range []struct {
		mode cfil.Mode
		want check.Verdict
		has  []string
	}{
		{cfil.Accept, check.Pass, []string{"every datagram delivered", "dropped 0"}},
		{cfil.DropFirst, check.Fail, []string{"1st datagram lost 1/10", "sendto said success but nothing arrived", "dropped 1"}},
	} {
		t.Run(string(tt.mode), func(t *testing.T) {
			res := userspaceFilter(context.Background(), newEnv(t, IDUserspaceFilter, nil), testParams, tt.mode)
			t.Logf("%s: %s", res.Verdict, res.Reason)
			if res.Verdict == check.Skip {
				t.Skipf("no user-space filter here: %s", res.Reason)
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
			if obs.Filter.Seen < 40 || len(obs.Cases) != 2 {
				t.Errorf("filter saw %d packets over %d cases, want >= 40 over 2", obs.Filter.Seen, len(obs.Cases))
			}
		})
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}
