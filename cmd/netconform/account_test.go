package main

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/runplan"
)

func TestAccount(t *testing.T) {
	cfg, err := config.Parse([]byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	rel := reports.Release{OS: "linux", Version: "6.18"}
	const (
		a = "ipv6.rfc8028.same-link"
		b = "ipv6.rfc8028.multi-interface"
		c = "sockets.mapped-sendto.self"
	)
	// wantCheck is what a check's accounted record must hold: verdict,
	// tally string, not run, flaky, a reason fragment.
	type wantCheck struct {
		verdict check.Verdict
		tally   string
		notRun  bool
		flaky   bool
		reason  string
	}
	res := func(id string, v check.Verdict) check.Result {
		return check.Result{ID: id, Verdict: v, Reason: string(v) + " reason"}
	}
	tests := []struct {
		name     string
		repeat   int
		recorded map[string][]check.Result
		died     map[string]check.Result
		outs     []suiteOutcome
		want     map[string]wantCheck
		ran      int
		strays   []string
	}{
		{
			name: "all recorded", repeat: 1,
			recorded: map[string][]check.Result{a: {res(a, check.Fail)}, b: {res(b, check.Pass)}, c: {res(c, check.Pass)}},
			outs:     []suiteOutcome{{name: "ipv6", ran: true}, {name: "sockets", ran: true}},
			want:     map[string]wantCheck{a: {check.Fail, "fail 1 of 1", false, false, "fail reason"}, c: {check.Pass, "pass 1 of 1", false, false, "pass reason"}},
			ran:      3,
		},
		{
			name: "suite did not compile", repeat: 1,
			recorded: map[string][]check.Result{a: {res(a, check.Fail)}, b: {res(b, check.Fail)}},
			outs:     []suiteOutcome{{name: "ipv6", ran: true}, {name: "sockets", ran: true, why: "suite sockets did not compile: x.go:1"}},
			want:     map[string]wantCheck{c: {check.Error, "error 1 of 1", true, false, "did not run: suite sockets did not compile"}},
			ran:      2,
		},
		{
			name: "repetitions: flaky, one died, the rest never ran", repeat: 4,
			recorded: map[string][]check.Result{a: {res(a, check.Pass), res(a, check.Fail), res(a, check.Pass), res(a, check.Pass)},
				b: {res(b, check.Pass)}, "stray.check": {res("stray.check", check.Pass)}},
			died: map[string]check.Result{b: {ID: b, Verdict: check.Error, Reason: "the check did not finish (panicked): boom"}},
			outs: []suiteOutcome{{name: "ipv6", ran: true, why: "suite ipv6 ended before this check ran or finished"}, {name: "sockets", why: "the run was interrupted before its suite (sockets) started"}},
			want: map[string]wantCheck{
				a: {check.Fail, "fail 1 of 4, pass 3 of 4", false, true, "fail 1 of 4, pass 3 of 4; repetition 2: fail reason"},
				b: {check.Error, "error 3 of 4, pass 1 of 4", false, false, "repetition 2: the check did not finish (panicked): boom"},
				c: {check.Error, "error 4 of 4", true, false, "interrupted before its suite (sockets) started"},
			},
			ran: 2, strays: []string{"stray.check"},
		},
		{
			name: "suite ended normally without the spec", repeat: 1,
			recorded: map[string][]check.Result{a: {res(a, check.Pass)}, b: {res(b, check.Pass)}},
			outs:     []suiteOutcome{{name: "ipv6", ran: true}, {name: "sockets", ran: true}},
			want:     map[string]wantCheck{c: {check.Error, "error 1 of 1", true, false, "without a spec for this check"}},
			ran:      2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := &runplan.Plan{Repeat: tt.repeat, Profile: "stock", Selected: []string{b, a, c}}
			got := account(plan, cfg, rel, tt.recorded, tt.died, tt.outs)
			if len(got.checks) != 3 || got.ran != tt.ran || strings.Join(got.strays, ",") != strings.Join(tt.strays, ",") {
				t.Fatalf("%d checks, %d ran, strays %v; want 3, %d, %v", len(got.checks), got.ran, got.strays, tt.ran, tt.strays)
			}
			if got.checks[0].ID != b || got.checks[1].ID != a || got.checks[2].ID != c {
				t.Errorf("not sorted by id: %s %s %s", got.checks[0].ID, got.checks[1].ID, got.checks[2].ID)
			}
			for _, cr := range got.checks {
				w, ok := tt.want[cr.ID]
				if !ok {
					continue
				}
				if cr.Verdict != w.verdict || cr.TallyOf().String() != w.tally || cr.NotRun != w.notRun || cr.Flaky != w.flaky || !strings.Contains(cr.Reason, w.reason) {
					t.Errorf("%s: %s %q not run %v flaky %v, reason %q; want %s %q %v %v containing %q",
						cr.ID, cr.Verdict, cr.TallyOf(), cr.NotRun, cr.Flaky, cr.Reason, w.verdict, w.tally, w.notRun, w.flaky, w.reason)
				}
				if cr.Title == "" || cr.Spec == "" || len(cr.Labels) == 0 {
					t.Errorf("%s: title, spec and labels come from the registry: %+v", cr.ID, cr.Result)
				}
			}
		})
	}
}

func TestSuiteEndReason(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		interrupted bool
		output      string
		want        string
	}{
		{"ran to its end", nil, false, "", ""},
		{"interrupted", nil, true, "", "interrupted while suite s ran"},
		{"compile error", exitError(t, 1), false, "Failed to compile s:\n\n# pkg\n./x_test.go:3:5: undefined: y\n\nGinkgo ran 1 suite", "suite s did not compile: Failed to compile s: | # pkg | ./x_test.go:3:5: undefined: y"},
		{"timeout", exitError(t, 1), false, "... Suite Timeout Elapsed ...", "timeout elapsed"},
		{"died", exitError(t, 1), false, "Test Suite Failed\n", "suite s ended before this check ran or finished (exit status 1, no Ginkgo report): Test Suite Failed"},
		{"a parallel process died", exitError(t, 1), false, "\x1b[1m\x1b[38;5;9mGinkgo timed out waiting for all parallel procs to report back\x1b[0m\n" +
			"\x1b[1mExit result of proc 1:\x1b[0m\n  signal: killed\n\n\x1b[1mOutput from proc 2:\x1b[0m\n  PASS\n\x1b[1mExit result of proc 2:\x1b[0m\n  exit status 0\n",
			"suite s ended before this check ran or finished: its parallel process 1 (signal: killed) died before reporting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := suiteEndReason("s", tt.err, tt.interrupted, tt.output, "/nonexistent/report.json")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func exitError(t *testing.T, code int) error {
	t.Helper()
	err := exec.Command("sh", "-c", "exit "+strconv.Itoa(code)).Run()
	if err == nil {
		t.Fatal("sh exit did not fail")
	}
	return err
}
