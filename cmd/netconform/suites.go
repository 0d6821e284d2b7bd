package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/distlayout"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/runplan"
)

// suiteOutcome is how one suite's Ginkgo run ended: what netconform needs to
// say why a selected check of the suite has no result.
type suiteOutcome struct {
	name string
	// ginkgo is the suite's Ginkgo JSON report, if it wrote one.
	ginkgo string
	// ran is false when the suite was never started (the run was
	// interrupted or its time ran out before its turn).
	ran bool
	// why says, for a check of this suite that has no result, why it has
	// none: "" when the suite ended normally.
	why string
}

// runSuites runs, one after the other, every suite that holds a selected
// check, whatever the verdicts of the others: each in its own Ginkgo
// process, so a suite that does not compile, crashes or is killed costs
// only its own checks, which are then accounted for as not run.
func runSuites(ctx context.Context, plan *runplan.Plan, doctorFile string, timeout time.Duration, stdout, stderr io.Writer) []suiteOutcome {
	how := howToRunSuites(plan)
	deadline := time.Now().Add(timeout)
	var outs []suiteOutcome
	for _, name := range suitesToRun(plan) {
		o := suiteOutcome{name: name}
		switch {
		case ctx.Err() != nil:
			o.why = "the run was interrupted before its suite (" + name + ") started"
		case time.Until(deadline) <= 0:
			o.why = fmt.Sprintf("the run's timeout (%s) elapsed before its suite (%s) started", timeout, name)
		default:
			o = runSuite(ctx, plan, how, doctorFile, name, time.Until(deadline), stdout, stderr)
		}
		outs = append(outs, o)
	}
	return outs
}

// suitesToRun are the configured suites, in the configured order, that hold
// at least one selected check.
func suitesToRun(plan *runplan.Plan) []string {
	selected := map[string]bool{}
	for _, id := range plan.Selected {
		selected[id] = true
	}
	var names []string
	for _, s := range plan.Suites {
		for _, e := range catalog.Suite(s) {
			if selected[e.ID] {
				names = append(names, s)
				break
			}
		}
	}
	return names
}

// suiteRunner is how suites are run: from a release tarball (its ginkgo and
// its compiled suites, no Go needed) or from a checkout (`go tool ginkgo`
// compiles them).
type suiteRunner struct {
	// distRoot is the unpacked tarball's directory; "" for a checkout.
	distRoot string
}

func howToRunSuites(plan *runplan.Plan) suiteRunner {
	exe, err := os.Executable()
	if err != nil {
		return suiteRunner{}
	}
	root, ok := distlayout.FindDistRoot(exe)
	if !ok {
		return suiteRunner{}
	}
	// The tarball's own probe, unless the configuration names one.
	if plan.Probe == "" {
		plan.Probe = filepath.Join(root, distlayout.Probe)
	}
	return suiteRunner{distRoot: root}
}

// command is the Ginkgo command that runs suite name with the given flags.
func (r suiteRunner) command(plan *runplan.Plan, name string, flags []string) *exec.Cmd {
	if r.distRoot != "" {
		cmd := exec.Command(filepath.Join(r.distRoot, distlayout.Ginkgo), append(append([]string{"run"}, flags...), distlayout.SuiteBinary(r.distRoot, name))...)
		cmd.Dir = r.distRoot
		return cmd
	}
	cmd := exec.Command(goBinary(), append(append([]string{"tool", "ginkgo", "run"}, flags...), "./suites/"+name)...)
	if root, err := moduleRoot(); err == nil {
		cmd.Dir = root
	} else {
		cmd.Dir = filepath.Dir(plan.ConfigPath)
	}
	return cmd
}

func runSuite(ctx context.Context, plan *runplan.Plan, how suiteRunner, doctorFile, name string, budget time.Duration, stdout, stderr io.Writer) suiteOutcome {
	o := suiteOutcome{name: name, ran: true, ginkgo: filepath.Join(plan.ReleaseDir, "report-"+name+".json")}
	os.Remove(o.ginkgo)
	fmt.Fprintf(stdout, "netconform: suite %s\n", name)
	args := []string{"--timeout", budget.Round(time.Second).String(),
		"--output-dir", plan.ReleaseDir, "--json-report", filepath.Base(o.ginkgo), "--junit-report", "junit-" + name + ".xml",
		"--procs", strconv.Itoa(plan.Procs)}
	if plan.Labels != "" {
		args = append(args, "--label-filter", plan.Labels)
	}
	if plan.Check != "" {
		// Focus matches the full spec text (containers, then the id).
		args = append(args, "--focus", `(^|\s)`+regexp.QuoteMeta(plan.Check)+"$")
	}
	cmd := how.command(plan, name, args)
	// The last lines of Ginkgo's output say why a suite that did not get to
	// its checks stopped (a compiler error, a crash).
	tail := &tailBuffer{max: 16 << 10}
	cmd.Stdout, cmd.Stderr = io.MultiWriter(stdout, tail), io.MultiWriter(stderr, tail)
	env, err := plan.Environ()
	if err != nil {
		o.why = fmt.Sprintf("suite %s could not be started: %v", name, err)
		return o
	}
	cmd.Env = append(os.Environ(), env, doctor.EnvReport+"="+doctorFile)
	// Ctrl-C reaches Ginkgo directly (same process group); Ginkgo then runs
	// the specs' clean-up and writes its report. We wait for that instead of
	// dying first.
	runErr := cmd.Run()
	o.why = suiteEndReason(name, runErr, ctx.Err() != nil, tail.String(), o.ginkgo)
	return o
}

// suiteEndReason says why the checks of a suite that ended with runErr
// might lack results; "" when the suite ran to its end (its specs' verdicts
// are in its reports whatever they are).
func suiteEndReason(name string, runErr error, interrupted bool, output, report string) string {
	if interrupted {
		return "the run was interrupted while suite " + name + " ran"
	}
	if runErr == nil {
		return ""
	}
	var exitErr *exec.ExitError
	if !errors.As(runErr, &exitErr) {
		return fmt.Sprintf("suite %s could not be started (%v): is Go installed and this a netconform checkout?", name, runErr)
	}
	if m := compileFailure.FindStringSubmatch(output); m != nil {
		return fmt.Sprintf("suite %s did not compile: %s", name, firstLines(m[0], 4))
	}
	if strings.Contains(output, "Suite Timeout Elapsed") {
		return "the run's timeout elapsed while suite " + name + " ran"
	}
	if strings.Contains(output, parallelProcLost) {
		// Checked before "timed out": Ginkgo's words for a parallel
		// process that died say that too.
		return fmt.Sprintf("suite %s ended before this check ran or finished: %s", name, deadProcs(output))
	}
	if strings.Contains(output, "timed out") {
		return "the run's timeout elapsed while suite " + name + " ran"
	}
	if _, err := os.Stat(report); err != nil {
		// Ginkgo writes its report whatever the verdicts: none means the
		// suite's process died (a crash, a kill) before the end.
		return fmt.Sprintf("suite %s ended before this check ran or finished (%v, no Ginkgo report): %s", name, runErr, lastLine(output))
	}
	return fmt.Sprintf("suite %s ended before this check ran or finished (%v): %s", name, runErr, lastLine(output))
}

// parallelProcLost is how the Ginkgo CLI announces that a parallel process
// exited before reporting (ginkgo/internal/run.go): it then prints each
// process's exit result.
const parallelProcLost = "timed out waiting for all parallel procs to report back"

// procExit is one process's exit result in that listing.
var procExit = regexp.MustCompile(`Exit result of proc (\d+):(?:\x1b\[[0-9;]*m)*\s*\n\s*(signal: [^\n]+|exit status [1-9][0-9]*)`)

// deadProcs names the parallel processes that did not exit cleanly.
func deadProcs(output string) string {
	var dead []string
	for _, m := range procExit.FindAllStringSubmatch(output, -1) {
		dead = append(dead, fmt.Sprintf("process %s (%s)", m[1], strings.TrimSpace(m[2])))
	}
	if len(dead) == 0 {
		return "one of its parallel processes died before reporting"
	}
	return "its parallel " + strings.Join(dead, ", ") + " died before reporting"
}

// compileFailure is how Ginkgo announces a suite that does not build.
var compileFailure = regexp.MustCompile(`(?s)Failed to compile [^\n]*.*`)

func firstLines(s string, n int) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
		if len(out) == n {
			break
		}
	}
	return strings.Join(out, " | ")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return "(no output)"
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// unfinishedSpecs reads the suites' Ginkgo reports: the fallback source of
// a check's result when the check died before recording one (a panic, a
// spec timeout). It also says whether Ginkgo saw an interrupt.
func unfinishedSpecs(outs []suiteOutcome) (map[string]check.Result, bool) {
	died := map[string]check.Result{}
	interrupted := false
	for _, o := range outs {
		if o.ginkgo == "" {
			continue
		}
		rs, err := reports.ReadGinkgo(o.ginkgo)
		if err != nil {
			continue // accounted for by the suite's end reason
		}
		got, intr := reports.Unfinished(rs)
		interrupted = interrupted || intr
		for id, r := range got {
			died[id] = r
		}
	}
	return died, interrupted
}
