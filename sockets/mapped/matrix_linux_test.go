package mapped

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
)

// runMatrix runs the named matrix as the check does, with setup injected
// into its lab, and decodes its observation.
func runMatrix(t *testing.T, name string, setup func(context.Context, *harness.Lab) error) (check.Result, observation.MappedMatrix) {
	t.Helper()
	m, err := NewMatrix(name)
	if err != nil {
		t.Fatal(err)
	}
	res := RunMatrix(context.Background(), newEnv(t, IDMatrix, setup), m, testParams)
	t.Logf("%s: %s", res.Verdict, res.Reason)
	var obs observation.MappedMatrix
	if err := json.Unmarshal(res.Observations, &obs); err != nil {
		t.Fatalf("observations: %v\n%s", err, res.Observations)
	}
	if len(obs.Cases) != len(m.Cases) {
		t.Fatalf("%d cases observed, the matrix has %d", len(obs.Cases), len(m.Cases))
	}
	return res, obs
}

// proofReason is the registered proof's reason pattern, so the test and
// the registry cannot drift apart.
func proofReason(t *testing.T, name string) *regexp.Regexp {
	t.Helper()
	e, ok := catalog.Lookup(IDMatrix)
	if !ok {
		t.Fatalf("%s not registered", IDMatrix)
	}
	for _, p := range e.Proofs {
		if p.Name == name {
			return regexp.MustCompile(p.Reason)
		}
	}
	t.Fatalf("no proof %q", name)
	return nil
}

// eachRan calls f for every case that ran (sendmsg_x is skipped here with
// its reason: checked too).
func eachRan(t *testing.T, obs observation.MappedMatrix, f func(observation.MatrixCase)) {
	t.Helper()
	ran := 0
	for _, c := range obs.Cases {
		if c.Call == string(CallConnectSendmsgX) {
			if c.Verdict != "skip" || !strings.Contains(c.Reason, "macOS only") || len(c.Sockets) != 0 {
				t.Errorf("%s: %s %q with %d sockets, want a skip saying sendmsg_x is macOS only", c.Name, c.Verdict, c.Reason, len(c.Sockets))
			}
			continue
		}
		ran++
		if len(c.Sockets) != testParams.Sockets || len(c.Rates) != DatagramsPerSocket {
			t.Errorf("%s: %d sockets and %d datagram numbers, want %d and %d", c.Name, len(c.Sockets), len(c.Rates), testParams.Sockets, DatagramsPerSocket)
			continue
		}
		f(c)
	}
	if ran == 0 {
		t.Fatal("no case ran")
	}
}

// TestMatrixOnLinux is the per-case self-validation of the matrix: stock
// Linux passes every case through the check's own filter, a fault after the
// filter that loses the first datagram of each flow makes every case fail
// with the seed's signature (silent drop of the 1st, 2nd delivered), and a
// refusal on the send path makes every case fail with the call's errno.
func TestMatrixOnLinux(t *testing.T) {
	t.Run("stock", func(t *testing.T) {
		res, obs := runMatrix(t, "default", nil)
		if res.Verdict != check.Pass || !proofReason(t, "stock").MatchString(res.Reason) {
			t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
		}
		if obs.Filter.Kind != "user-space" || obs.Coverage != "on-path" || obs.Matrix != "default" {
			t.Errorf("filter %+v, coverage %q, matrix %q", obs.Filter, obs.Coverage, obs.Matrix)
		}
		eachRan(t, obs, func(c observation.MatrixCase) {
			if c.Verdict != "pass" || c.Rates[0].Delivered != 10 || c.Rates[1].Delivered != 10 {
				t.Errorf("%s: %s %q %+v", c.Name, c.Verdict, c.Reason, c.Rates)
			}
			// Every datagram of the case went through the filter.
			if c.FilterSeen != DatagramsPerSocket*testParams.Sockets {
				t.Errorf("%s: the filter saw %d of its packets, want %d", c.Name, c.FilterSeen, DatagramsPerSocket*testParams.Sockets)
			}
		})
	})
	t.Run("drop-first-datagram-per-flow-after-the-filter", func(t *testing.T) {
		res, obs := runMatrix(t, "default", DropFirstPerFlow(cfil.AfterOutbound))
		if res.Verdict != check.Fail || !proofReason(t, "drop-first-datagram-per-flow-after-the-filter").MatchString(res.Reason) {
			t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
		}
		eachRan(t, obs, func(c observation.MatrixCase) {
			if c.Verdict != "fail" || c.Rates[0].SilentDrops != 10 || c.Rates[1].Delivered != 10 {
				t.Errorf("%s: %s %q %+v", c.Name, c.Verdict, c.Reason, c.Rates)
			}
			for _, s := range c.Sockets {
				if d := s.Datagrams[0]; d.Outcome != string(SilentDrop) || d.Return <= 0 || d.Errno != "" {
					t.Errorf("%s socket %d: 1st datagram %+v, want a silent drop after a successful call", c.Name, s.Index, d)
				}
			}
			if !strings.Contains(c.Reason, "said success but nothing arrived") {
				t.Errorf("%s: reason %q", c.Name, c.Reason)
			}
		})
	})
	t.Run("refused-on-the-send-path", func(t *testing.T) {
		res, obs := runMatrix(t, "default", shell("iptables", "iptables -t mangle -I OUTPUT -p udp -j DROP"))
		if res.Verdict == check.Error && strings.Contains(res.Reason, errNoTool.Error()) {
			t.Skip(res.Reason)
		}
		if res.Verdict != check.Fail || !proofReason(t, "refused-on-the-send-path").MatchString(res.Reason) {
			t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
		}
		eachRan(t, obs, func(c observation.MatrixCase) {
			call := Call(c.Call).Syscall()
			for _, s := range c.Sockets {
				for _, d := range s.Datagrams {
					if d.Outcome != string(Errno) || d.Call != call || d.Errno != "EPERM" || d.Return != -1 {
						t.Errorf("%s socket %d: datagram %+v, want %s EPERM", c.Name, s.Index, d, call)
					}
				}
			}
			if !strings.Contains(c.Reason, call+" EPERM ×10") {
				t.Errorf("%s: reason %q lacks %s EPERM", c.Name, c.Reason, call)
			}
		})
	})
}

// TestFullMatrixOnLinux: every case of the full matrix passes on stock
// Linux, the IPV6_V6ONLY cases by refusing every datagram with an errno.
func TestFullMatrixOnLinux(t *testing.T) {
	res, obs := runMatrix(t, "full", nil)
	if res.Verdict != check.Pass {
		t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
	}
	var refusals, dests int
	seen := map[string]bool{}
	eachRan(t, obs, func(c observation.MatrixCase) {
		seen[c.Destination] = true
		if c.Verdict != "pass" {
			t.Errorf("%s: %s %q", c.Name, c.Verdict, c.Reason)
		}
		if c.Expect == "refusal" {
			refusals++
			if c.Rates[0].Errnos != 10 || c.Rates[1].Errnos != 10 {
				t.Errorf("%s: %+v, want every datagram refused", c.Name, c.Rates)
			}
		}
	})
	dests = len(seen)
	if refusals == 0 || dests != 3 {
		t.Errorf("%d IPV6_V6ONLY cases, %d destinations", refusals, dests)
	}
}
