package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"

	_ "github.com/netconform/netconform/catalog/all"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/evidence"
	"github.com/netconform/netconform/reports/html"
	"github.com/netconform/netconform/runplan"
	"github.com/netconform/netconform/topology"
)

type runFlags struct {
	config string
	runplan.Overrides
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	selectionFlags(fs, &f)
	fs.StringVar(&f.Profile, "profile", "", "SUT profile (default: the config's profile)")
	fs.StringVar(&f.Out, "out", "", "output directory (default: the config's output)")
	fs.IntVar(&f.Procs, "procs", 0, "parallel Ginkgo processes (default: the config's procs)")
	fs.IntVar(&f.Repeat, "repeat", 0, "run each selected check N times, each in fresh labs (default: the config's repeat, 1)")
	if err := fs.Parse(args); err != nil {
		return exitNoRun
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "netconform run: unexpected argument %q\n", fs.Arg(0))
		return exitNoRun
	}
	code, err := run(f, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "netconform run: %v\n", err)
	}
	return code
}

// selectionFlags are the flags run and list share: what a run selects.
func selectionFlags(fs *flag.FlagSet, f *runFlags) {
	fs.StringVar(&f.config, "config", "ginkgo.yaml", "run configuration")
	fs.StringVar(&f.Labels, "labels", "", "Ginkgo label filter (default: the config's labels)")
	fs.StringVar(&f.Check, "check", "", "run only the check with this id")
}

// run returns the exit status, and an error to print when the run could not
// take place or not be completed.
func run(f runFlags, stdout, stderr io.Writer) (int, error) {
	plan, err := runplan.Resolve(f.config, f.Overrides)
	if err != nil {
		return exitNoRun, err
	}
	if len(plan.Selected) == 0 {
		return exitNoRun, fmt.Errorf("no check is selected (suites %s, label filter %q): `netconform list` shows what a filter selects", strings.Join(plan.Suites, ", "), plan.Labels)
	}
	if err := topology.CheckPrivileges(); err != nil {
		return exitNoRun, err
	}
	rel, err := prepareOutput(plan, stderr)
	if err != nil {
		return exitNoRun, err
	}
	start := time.Now().UTC()
	// Ctrl-C reaches Ginkgo directly (same process group) and it cleans up;
	// we keep running to account for every check and clean what is left.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	doctorFile, err := checkNeeds(ctx, plan, stdout)
	if err != nil {
		return exitNoRun, err
	}
	fmt.Fprintf(stdout, "netconform %s: run %s on %s (%s), profile %s, %d checks selected%s, results in %s\n",
		version, plan.RunID, rel.ID, rel.Name, plan.Profile, len(plan.Selected), repeatNote(plan.Repeat), plan.ReleaseDir)
	for _, n := range plan.Notes {
		fmt.Fprintf(stdout, "netconform: %s\n", n)
	}

	outs := runSuites(ctx, plan, doctorFile, plan.Config().Timeout, stdout, stderr)
	interrupted := ctx.Err() != nil
	cleanupAfterRun(plan, stderr)
	res, a, err := collect(plan, rel, start, outs, interrupted)
	if err != nil {
		return exitUnexpected, err
	}
	mergeGinkgoReports(plan.ReleaseDir, outs, stderr)
	fmt.Fprintf(stdout, "\nnetconform: %d of %d selected checks ran; %s; results: %s\n", a.ran, len(plan.Selected),
		reports.Summary(a.checks), filepath.Join(plan.ReleaseDir, "results.json"))
	return verdictOfRun(res, a, writeViews(plan.ReleaseDir, res, stdout), stdout), nil
}

// collect accounts for every selected check and writes results.json: the
// data, safe on disk before anything is derived from it.
func collect(plan *runplan.Plan, rel reports.Release, start time.Time, outs []suiteOutcome, interrupted bool) (*reports.Results, accounting, error) {
	recorded, err := reports.ReadCheckResults(plan.ResultsDir())
	if err != nil {
		return nil, accounting{}, fmt.Errorf("read the checks' results: %w", err)
	}
	died, ginkgoInterrupted := unfinishedSpecs(outs)
	a := account(plan, plan.Config(), rel, recorded, died, outs)
	res := &reports.Results{
		Run: reports.Run{ID: plan.RunID, Start: start, End: time.Now().UTC(), ToolVersion: version, Profile: plan.Profile,
			ConfigDigest: plan.Config().Digest, LabelFilter: plan.Labels, Interrupted: interrupted || ginkgoInterrupted,
			Repeat: plan.Repeat, Selected: len(plan.Selected)},
		Release: rel,
		Checks:  a.checks,
	}
	if err := reports.Write(plan.ReleaseDir, res); err != nil {
		return nil, a, fmt.Errorf("write results: %w", err)
	}
	os.RemoveAll(plan.ResultsDir())
	return res, a, nil
}

// verdictOfRun prints what was not as expected and gives the exit status:
// 0 when every verdict is as ginkgo.yaml expects, 2 when no selected check
// could run, 1 otherwise.
func verdictOfRun(res *reports.Results, a accounting, viewErrs []string, stdout io.Writer) int {
	unexpected := append(reports.Unexpected(a.checks), viewErrs...)
	for _, id := range a.strays {
		unexpected = append(unexpected, id+": ran but was not selected: the suites and the check registry disagree (a suite bug)")
	}
	if res.Run.Interrupted {
		unexpected = append(unexpected, "the run was interrupted before every check ran")
	}
	switch {
	case a.ran == 0:
		fmt.Fprintln(stdout, "netconform: no selected check could run:")
		printList(stdout, unexpected)
		return exitNoRun
	case len(unexpected) == 0:
		fmt.Fprintln(stdout, "netconform: every verdict is as expected")
		return exitAsExpected
	}
	fmt.Fprintln(stdout, "netconform: not as expected:")
	printList(stdout, unexpected)
	return exitUnexpected
}

// checkNeeds runs the doctor (tens of milliseconds on Linux) before the
// suites, so that a check whose need is missing is skipped with the reason
// and the remedy instead of failing for the wrong reason; a run that lacks
// what every check needs does not start. It returns the report's file,
// which the suites read.
func checkNeeds(ctx context.Context, plan *runplan.Plan, stdout io.Writer) (string, error) {
	rep := doctor.Check(ctx, doctor.Options{RunID: plan.RunID})
	if rep.Error != "" {
		return "", fmt.Errorf("netconform doctor could not probe this machine: %s", rep.Error)
	}
	file := filepath.Join(plan.ReleaseDir, "doctor.json")
	if err := rep.WriteFile(file); err != nil {
		return "", fmt.Errorf("write the doctor's report: %w", err)
	}
	if reason, missing := rep.Missing(doctor.NeedSuites); missing {
		return "", fmt.Errorf("the suites cannot run: %s", reason)
	}
	if rep.ExitCode() != doctor.ExitOK {
		fmt.Fprintln(stdout, "netconform doctor: this machine lacks something; the checks that need it are skipped with the reason:")
		rep.WriteTable(stdout)
	}
	return file, nil
}

func repeatNote(n int) string {
	if n > 1 {
		return fmt.Sprintf(", each %d times", n)
	}
	return ""
}

func printList(w io.Writer, items []string) {
	for _, u := range items {
		fmt.Fprintln(w, "  - "+u)
	}
}

// prepareOutput identifies the release, makes its directory and clears what
// an earlier run there would mix in, and removes the lab objects of dead
// earlier runs.
func prepareOutput(plan *runplan.Plan, stderr io.Writer) (reports.Release, error) {
	rel, err := plan.Locate()
	if err != nil {
		return rel, err
	}
	if err := os.MkdirAll(plan.ReleaseDir, 0o755); err != nil {
		return rel, err
	}
	// Evidence and Ginkgo reports of an earlier run on this release would
	// mix with this one's.
	if err := os.RemoveAll(filepath.Join(plan.ReleaseDir, "evidence")); err != nil {
		return rel, err
	}
	for _, name := range []string{"report.json", "junit.xml"} {
		os.Remove(filepath.Join(plan.ReleaseDir, name))
	}
	if removed, err := topology.Cleanup(false); err != nil {
		fmt.Fprintf(stderr, "netconform: warning: clean-up of earlier runs: %v\n", err)
	} else if len(removed) > 0 {
		fmt.Fprintf(stderr, "netconform: removed %d lab objects left by earlier runs\n", len(removed))
	}
	// Memory cgroups of earlier runs are not removed here: a group carries
	// no owner pid, and one another run has just created holds no process
	// yet, so "no live process" cannot tell it from a leftover. Leftovers
	// (empty groups of a killed run) go with `netconform clean-lab`.
	return rel, nil
}

// cleanupAfterRun removes what a killed suite may have left of this run.
func cleanupAfterRun(plan *runplan.Plan, stderr io.Writer) {
	if _, err := topology.Cleanup(false); err != nil {
		fmt.Fprintf(stderr, "netconform: warning: clean-up after the run: %v\n", err)
	}
	if _, err := cleanupRunCgroups(plan.RunID); err != nil {
		fmt.Fprintf(stderr, "netconform: warning: removing this run's cgroups: %v\n", err)
	}
}

// mergeGinkgoReports joins the suites' Ginkgo reports into report.json and
// junit.xml, the files CI systems read.
func mergeGinkgoReports(dir string, outs []suiteOutcome, stderr io.Writer) {
	var jsons, junits []string
	for _, o := range outs {
		if o.ginkgo != "" && fileExists(o.ginkgo) {
			jsons = append(jsons, o.ginkgo)
		}
		if j := filepath.Join(dir, "junit-"+o.name+".xml"); fileExists(j) {
			junits = append(junits, j)
		}
	}
	if len(jsons) > 0 {
		if _, err := reporters.MergeAndCleanupJSONReports(jsons, filepath.Join(dir, "report.json")); err != nil {
			fmt.Fprintf(stderr, "netconform: warning: merging Ginkgo's JSON reports: %v\n", err)
		}
	}
	if len(junits) > 0 {
		if _, err := reporters.MergeAndCleanupJUnitReports(junits, filepath.Join(dir, "junit.xml")); err != nil {
			fmt.Fprintf(stderr, "netconform: warning: merging Ginkgo's JUnit reports: %v\n", err)
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// writeViews writes what is derived from results.json once the data is safe
// on disk: a failure to render loses no verdict, but is reported (and fails
// the run).
func writeViews(dir string, res *reports.Results, stdout io.Writer) []string {
	var errs []string
	if err := html.WriteRelease(dir, res); err != nil {
		errs = append(errs, fmt.Sprintf("report.html: %v", err))
	} else {
		fmt.Fprintf(stdout, "netconform: report: %s\n", filepath.Join(dir, html.FileName))
	}
	bundles, err := evidence.BundleFailures(dir, res, nil)
	if err != nil {
		errs = append(errs, fmt.Sprintf("evidence bundles: %v", err))
	}
	for _, b := range bundles {
		fmt.Fprintf(stdout, "netconform: evidence bundle to file: %s\n", b)
	}
	return errs
}

// goBinary finds go even under sudo, whose secure_path usually lacks it.
func goBinary() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); os.Getenv("GOROOT") != "" {
		return p
	}
	return "/usr/local/go/bin/go"
}

// moduleRoot is the checkout netconform runs from: Ginkgo compiles the
// suites from there.
func moduleRoot() (string, error) {
	out, err := exec.Command(goBinary(), "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}
