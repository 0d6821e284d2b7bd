package main

// End to end: every selected check is accounted for, whatever happens to
// the suites. These run the real command (and, once, the README's own
// `make conformance` as a user types it).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/sockets/churncheck"
)

// listIDs is `netconform list --json` with the given flags.
func listIDs(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(ncBinary, append([]string{"list", "--json"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("netconform list %v: %v", args, err)
	}
	var items []struct{ ID string }
	if err := json.Unmarshal(out, &items); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// assertAccounted: results.json holds exactly the checks list selects, each
// once, and the closing summary says how many ran.
func assertAccounted(t *testing.T, r ncRun, want []string, ran int) map[string]reports.CheckResult {
	t.Helper()
	res := r.results(t)
	got := map[string]reports.CheckResult{}
	var ids []string
	for _, c := range res.Checks {
		got[c.ID] = c
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("results.json holds\n  %v\nwant the selected checks\n  %v", ids, want)
	}
	if res.Run.Selected != len(want) {
		t.Errorf("run.selected = %d, want %d", res.Run.Selected, len(want))
	}
	summary := fmt.Sprintf("%d of %d selected checks ran", ran, len(want))
	if !strings.Contains(r.output, summary) {
		t.Errorf("output lacks %q:\n%s", summary, r.output)
	}
	return got
}

// TestReadmeCommandAccountsForEveryCheck: `sudo make conformance`, as the
// README says it, runs every suite whatever the verdicts of the first, and
// results.json holds every check `netconform list` names: stock Linux fails
// the three RFC 8028 checks and passes the sockets ones.
func TestReadmeCommandAccountsForEveryCheck(t *testing.T) {
	needRoot(t)
	want := listIDs(t, repoRoot)
	if len(want) < 13 {
		t.Fatalf("list names %d checks: %v", len(want), want)
	}
	cmd := exec.Command("make", "conformance")
	cmd.Dir = repoRoot
	cmd.Env = withoutMakeVars(os.Environ())
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	var exitErr *exec.ExitError
	// make turns netconform's 1 (stock Linux fails RFC 8028) into its 2.
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 2 || !strings.Contains(buf.String(), "not as expected") {
		t.Fatalf("make conformance: %v, want make's exit 2 after 'not as expected'; output:\n%s", err, buf.String())
	}
	m := regexp.MustCompile(`results: (\S+/results\.json)`).FindStringSubmatch(buf.String())
	if m == nil {
		t.Fatalf("no results path in the output:\n%s", buf.String())
	}
	r := ncRun{output: buf.String(), dir: filepath.Dir(m[1])}
	got := assertAccounted(t, r, want, len(want))
	for id, c := range got {
		if wantV := stockVerdict(id); c.Verdict != wantV {
			t.Errorf("%s: %s (%s), want %s on stock Linux", id, c.Verdict, c.Reason, wantV)
		}
	}
	assertAloneRanAlone(t, r.dir)
}

// assertAloneRanAlone: in the run's Ginkgo report, no spec of a check that
// must run alone (catalog.Entry.Alone) overlaps in time any other spec, and,
// when the run used parallel processes, the others did overlap each other
// (else the test proves nothing about parallel runs).
func assertAloneRanAlone(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var suites []types.Report
	if err := json.Unmarshal(b, &suites); err != nil {
		t.Fatal(err)
	}
	alone := map[string]bool{}
	for _, e := range catalog.All() {
		alone[e.ID] = e.Alone
	}
	var specs []types.SpecReport
	procs := map[int]bool{}
	for _, s := range suites {
		for _, sp := range s.SpecReports {
			if sp.LeafNodeType == types.NodeTypeIt {
				specs = append(specs, sp)
				procs[sp.ParallelProcess] = true
			}
		}
	}
	overlap := func(a, b types.SpecReport) bool {
		return a.StartTime.Before(b.EndTime) && b.StartTime.Before(a.EndTime)
	}
	sideBySide := false
	for i, a := range specs {
		for _, b := range specs[i+1:] {
			if !overlap(a, b) {
				continue
			}
			if alone[a.LeafNodeText] || alone[b.LeafNodeText] {
				t.Errorf("%s (process %d) and %s (process %d) ran side by side, and one must run alone", a.LeafNodeText, a.ParallelProcess, b.LeafNodeText, b.ParallelProcess)
			}
			sideBySide = true
		}
	}
	// The README's run uses the shipped procs: a run that fell back to one
	// process would prove nothing here.
	if len(procs) != config.DefaultProcs {
		t.Errorf("the specs ran on %d processes, want the default %d", len(procs), config.DefaultProcs)
	}
	if !sideBySide {
		t.Errorf("%d processes ran, yet no two specs overlapped", len(procs))
	}
}

// withoutMakeVars drops the variables a surrounding make would pass down,
// so the command runs as a user types it.
func withoutMakeVars(env []string) []string {
	var out []string
	for _, e := range env {
		if strings.HasPrefix(e, "MAKEFLAGS=") || strings.HasPrefix(e, "MFLAGS=") || strings.HasPrefix(e, "MAKELEVEL=") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// stockKnownFailures lists what stock Linux is known to fail, as a team
// does once it has filed the bug.
const stockKnownFailures = `  - check: ipv6.rfc8028.same-link
    os: linux
    versions: ["*"]
    profile: stock
    reason: stock Linux sends every source to the router it learned first
    bug: https://example.invalid/bug/1
  - check: ipv6.rfc8028.multi-interface
    os: linux
    versions: ["*"]
    profile: stock
    reason: stock Linux sends every source to the router it learned first
    bug: https://example.invalid/bug/1
  - check: ipv6.rfc6724.rule5-5
    os: linux
    versions: ["*"]
    profile: stock
    reason: stock Linux picks the source before the next hop
    bug: https://example.invalid/bug/2
  - check: ipv6.rfc8028.source-over-preference
    os: linux
    versions: ["*"]
    profile: stock
    reason: stock Linux sends every source to its best default router, the High one
    bug: https://example.invalid/bug/1
`

// TestKnownFailuresStillRunEverything: with the stock failures listed as
// known, the default run is green, and every other check still ran.
func TestKnownFailuresStillRunEverything(t *testing.T) {
	needRoot(t)
	cfg := writeConfig(t, stockKnownFailures, "")
	want := listIDs(t, repoRoot, "--config", cfg)
	r := runNC(t, cfg)
	if r.code != exitAsExpected || !strings.Contains(r.output, "every verdict is as expected") {
		t.Fatalf("exit %d, want 0; output:\n%s", r.code, r.output)
	}
	got := assertAccounted(t, r, want, len(want))
	for _, id := range rfc8028Checks {
		if c := got[id]; c.Verdict != check.Fail || c.Known == nil {
			t.Errorf("%s: %s, known %v: want a known failure", id, c.Verdict, c.Known)
		}
	}
}

// checkoutCopy copies the tracked files of this checkout to a new
// directory, where a test may break a suite without touching the real one.
func checkoutCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("needs a git checkout: %v", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(files), "\x00"), "\x00") {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			continue // deleted in the working tree
		}
		dst := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// stockVerdict is what stock Linux gives for the check: the verdict of its
// proof named "stock" in the registry (pass when it has none).
func stockVerdict(id string) check.Verdict {
	if e, ok := catalog.Lookup(id); ok {
		for _, p := range e.Proofs {
			if p.Name == "stock" && p.ProfileName == "" && p.Fault == nil {
				return p.Want
			}
		}
	}
	return check.Pass
}

// TestSuiteThatDoesNotCompile: its checks are errors that never ran, with
// the compiler's words, the other suite's verdicts stand, and the run is
// red; when nothing selected could run, the status is 2.
func TestSuiteThatDoesNotCompile(t *testing.T) {
	needRoot(t)
	dir := checkoutCopy(t)
	broken := "package sockets_test\n\nvar broken int = \"not an int\"\n"
	if err := os.WriteFile(filepath.Join(dir, "suites/sockets/broken_test.go"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	want := listIDs(t, dir)
	run := func(args ...string) ncRun {
		out := t.TempDir()
		cmd := exec.Command(ncBinary, append([]string{"run", "--out", out}, args...)...)
		cmd.Dir = dir
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		r := ncRun{output: buf.String()}
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			r.code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if m, _ := filepath.Glob(filepath.Join(out, "*", "results.json")); len(m) == 1 {
			r.dir = filepath.Dir(m[0])
		}
		return r
	}

	r := run()
	if r.code != exitUnexpected {
		t.Errorf("exit %d, want 1; output:\n%s", r.code, r.output)
	}
	ipv6Checks := 0
	for _, id := range want {
		if strings.HasPrefix(id, "ipv6.") {
			ipv6Checks++
		}
	}
	got := assertAccounted(t, r, want, ipv6Checks)
	for id, c := range got {
		if strings.HasPrefix(id, "ipv6.") {
			if wantV := stockVerdict(id); c.Verdict != wantV || c.NotRun {
				t.Errorf("%s: %s (not run %v), want the stock verdict %s", id, c.Verdict, c.NotRun, wantV)
			}
			continue
		}
		if c.Verdict != check.Error || !c.NotRun || !strings.Contains(c.Reason, "suite sockets did not compile") || !strings.Contains(c.Reason, "broken_test.go") {
			t.Errorf("%s: %s, not run %v, %q: want an error that never ran, naming the compiler error", id, c.Verdict, c.NotRun, c.Reason)
		}
	}

	r = run("--labels", "sockets")
	if r.code != exitNoRun || !strings.Contains(r.output, "no selected check could run") {
		t.Errorf("nothing could run: exit %d, want 2; output:\n%s", r.code, r.output)
	}
	assertAccounted(t, r, listIDs(t, dir, "--labels", "sockets"), 0)
}

// TestSuiteKilledMidRun: the suite process dies (SIGKILL, as the OOM killer
// would) while its last socket()+close() churn check holds its lab. The checks it finished
// keep their verdicts, the one it was running and those it never reached
// are errors that did not run, the ipv6 suite's verdicts stand, and the run
// is red.
func TestSuiteKilledMidRun(t *testing.T) {
	needRoot(t)
	tmp := t.TempDir()
	marker, count := filepath.Join(tmp, "held"), filepath.Join(tmp, "churn-labs")
	// The profile runs in every lab: it counts the labs of the
	// socket()+close() churn checks and holds the last one.
	kinds := len(churncheck.Kinds)
	hold := fmt.Sprintf(`  hold-churn:
    commands:
      - if [ "$NC_LAB" = churn ]; then echo >> %s; if [ "$(wc -l < %s)" -eq %d ]; then touch %s; sleep 120; fi; fi
`, count, count, kinds, marker)
	cfg := writeConfig(t, "", hold)
	want := listIDs(t, repoRoot, "--config", cfg)
	out := t.TempDir()
	cmd := exec.Command(ncBinary, "run", "--config", cfg, "--out", out, "--profile", "hold-churn")
	cmd.Dir = repoRoot
	var buf syncBuffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(5 * time.Minute) // both suites compile first
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended (%v) before the churn lab was held; output:\n%s", err, buf.String())
		case <-deadline:
			syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("the churn lab was never held; output:\n%s", buf.String())
		case <-time.After(50 * time.Millisecond): // a file appearing: polled
		}
	}
	// With parallel processes there is one sockets.test per process: the
	// one to kill is the one holding the lab (the profile's sleep is its).
	suite := processHolding(t, cmd.Process.Pid, "sockets.test", "sleep")
	for _, pid := range append(descendants(suite), suite) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
		t.Fatalf("run did not end after its suite was killed; output:\n%s", buf.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != exitUnexpected {
		t.Errorf("exit %d, want 1; output:\n%s", code, buf.String())
	}
	m, _ := filepath.Glob(filepath.Join(out, "*", "results.json"))
	if len(m) != 1 {
		t.Fatalf("no results.json; output:\n%s", buf.String())
	}
	r := ncRun{output: buf.String(), dir: filepath.Dir(m[0])}
	res := r.results(t)
	socketChurn := map[string]bool{}
	for _, k := range churncheck.Kinds {
		socketChurn[k.ID()] = true
	}
	ran, churnPassed := 0, 0
	for _, c := range res.Checks {
		if !c.NotRun {
			ran++
		}
		switch {
		case strings.HasPrefix(c.ID, "ipv6."):
			if wantV := stockVerdict(c.ID); c.Verdict != wantV {
				t.Errorf("%s: %s, want the stock verdict %s", c.ID, c.Verdict, wantV)
			}
		case c.Verdict == check.Pass:
			// Finished before the kill: its verdict stands.
			if socketChurn[c.ID] {
				churnPassed++
			}
		case c.Verdict == check.Error && c.NotRun:
			if !strings.Contains(c.Reason, "suite sockets ended before this check ran or finished") {
				t.Errorf("%s: %q: want the reason to say the suite ended; output:\n%s", c.ID, c.Reason, lastLines(buf.String(), 40))
			}
		default:
			t.Errorf("%s: %s (not run %v): %s", c.ID, c.Verdict, c.NotRun, c.Reason)
		}
	}
	if churnPassed != kinds-1 {
		t.Errorf("%d socket()+close() churn checks kept a pass, want the %d that finished before the kill", churnPassed, kinds-1)
	}
	assertAccounted(t, r, want, ran)
}

// processHolding finds the descendant of pid whose command name is name
// and which has a descendant named child.
func processHolding(t *testing.T, pid int, name, child string) int {
	t.Helper()
	for _, p := range descendants(pid) {
		if commOf(p) != name {
			continue
		}
		for _, c := range descendants(p) {
			if commOf(c) == child {
				return p
			}
		}
	}
	t.Fatalf("no process %s below %d with a %s below it", name, pid, child)
	return 0
}

func commOf(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// TestListIsWhatARunSelects: for each filter, the checks `netconform list`
// names are exactly the specs Ginkgo selects in the suites (a dry run), so
// the registry and the suites cannot drift apart.
func TestListIsWhatARunSelects(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"everything", nil},
		{"rfc8028", []string{"--labels", "rfc8028"}},
		{"sockets but churn", []string{"--labels", "sockets && !churn"}},
		{"cfil or rule 5.5", []string{"--labels", "cfil || rfc6724"}},
		{"one check", []string{"--check", "sockets.mapped-sendto.peer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := listIDs(t, repoRoot, tc.args...)
			args := []string{"tool", "ginkgo", "run", "--dry-run", "--output-dir", dir, "--json-report", "dry.json"}
			for i := 0; i+1 < len(tc.args); i += 2 {
				switch tc.args[i] {
				case "--labels":
					args = append(args, "--label-filter", tc.args[i+1])
				case "--check":
					args = append(args, "--focus", `(^|\s)`+regexp.QuoteMeta(tc.args[i+1])+"$")
				}
			}
			args = append(args, "./suites/...")
			cmd := exec.Command(goBinary(), args...)
			cmd.Dir = repoRoot
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			rs, err := reports.ReadGinkgo(filepath.Join(dir, "dry.json"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				for _, s := range r.SpecReports {
					if s.LeafNodeType == types.NodeTypeIt && s.State == types.SpecStatePassed {
						got = append(got, s.LeafNodeText)
					}
				}
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Ginkgo selects\n  %v\nnetconform list says\n  %v", got, want)
			}
		})
	}
}

// TestRepeatGivesATally: --repeat N runs the check N times, each in fresh
// labs with its own evidence, and results.json keeps one verdict with the
// tally of every repetition.
func TestRepeatGivesATally(t *testing.T) {
	needRoot(t)
	r := runNC(t, "ginkgo.yaml", "--check", "ipv6.rfc8028.same-link", "--repeat", "3")
	if r.code != exitUnexpected {
		t.Fatalf("exit %d, want 1 (stock fails); output:\n%s", r.code, r.output)
	}
	res := r.results(t)
	if res.Run.Repeat != 3 || len(res.Checks) != 1 {
		t.Fatalf("run.repeat %d, %d checks", res.Run.Repeat, len(res.Checks))
	}
	c := res.Checks[0]
	if c.Verdict != check.Fail || c.Repetitions == nil || *c.Repetitions != (reports.Tally{Runs: 3, Fail: 3}) || c.Flaky {
		t.Errorf("verdict %s, tally %+v, flaky %v: want fail 3 of 3, not flaky", c.Verdict, c.Repetitions, c.Flaky)
	}
	if !strings.HasPrefix(c.Reason, "fail 3 of 3; repetition 1: ") {
		t.Errorf("reason %q does not lead with the tally", c.Reason)
	}
	for i := 1; i <= 3; i++ {
		if m, _ := filepath.Glob(filepath.Join(r.dir, "evidence", c.ID, fmt.Sprintf("repetition-%d", i), "*.pcapng")); len(m) == 0 {
			t.Errorf("repetition %d kept no capture", i)
		}
	}
	for _, e := range c.Evidence {
		if !strings.Contains(e, "repetition-1/") {
			t.Errorf("evidence %s is not the deciding repetition's", e)
		}
	}
}

// TestMissingNeedIsASkip: on a machine without iptables (here: a PATH
// without it), the doctor that runs before the suites says so, and the cfil
// check, which needs it, is a skip with the doctor's reason and remedy,
// never an error or a verdict.
func TestMissingNeedIsASkip(t *testing.T) {
	needRoot(t)
	ipt, err := exec.LookPath("iptables")
	if err != nil {
		t.Skip("iptables is already missing here")
	}
	var path []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "iptables")); err != nil {
			path = append(path, d)
		}
	}
	out := t.TempDir()
	cmd := exec.Command(ncBinary, "run", "--out", out, "--check", "cfil.userspace-filter.first-datagram")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "PATH="+strings.Join(path, string(filepath.ListSeparator)))
	b, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatal(err)
	}
	if code := cmd.ProcessState.ExitCode(); code != exitAsExpected {
		t.Errorf("exit %d, want 0 (a skip is as expected); output:\n%s", code, b)
	}
	if !strings.Contains(string(b), "lacks something") {
		t.Errorf("the run did not show the doctor's table; output:\n%s", b)
	}
	m, _ := filepath.Glob(filepath.Join(out, "*", "results.json"))
	if len(m) != 1 {
		t.Fatalf("no results; output:\n%s", b)
	}
	r := ncRun{output: string(b), dir: filepath.Dir(m[0])}
	c := r.results(t).Checks
	if len(c) != 1 || c[0].Verdict != check.Skip || !strings.Contains(c[0].Reason, "iptables") {
		t.Errorf("want a skip naming iptables (found at %s, hidden from PATH), got %+v", ipt, c)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "doctor.json")); err != nil {
		t.Errorf("the doctor's report is not kept beside the results: %v", err)
	}
}

// lastLines is the end of a command's output, for a failure message.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
