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
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/evidence"
	"github.com/netconform/netconform/reports/html"
	"github.com/netconform/netconform/suites/suiterun"
	"github.com/netconform/netconform/topology"
)

type runFlags struct {
	config, profile, out, labels, check string
	procs                               int
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "ginkgo.yaml", "run configuration")
	fs.StringVar(&f.profile, "profile", "", "SUT profile (default: the config's profile)")
	fs.StringVar(&f.out, "out", "", "output directory (default: the config's output)")
	fs.StringVar(&f.labels, "labels", "", "Ginkgo label filter (default: the config's labels)")
	fs.StringVar(&f.check, "check", "", "run only the check with this id")
	fs.IntVar(&f.procs, "procs", 0, "parallel Ginkgo processes (default: the config's procs)")
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

// run returns the exit status, and an error to print when the run could not
// take place or not be completed.
func run(f runFlags, stdout, stderr io.Writer) (int, error) {
	cfg, err := config.Load(f.config)
	if err != nil {
		return exitNoRun, err
	}
	profile := cfg.Profile
	if f.profile != "" {
		profile = f.profile
	}
	if _, ok := cfg.Profiles[profile]; !ok {
		return exitNoRun, fmt.Errorf("profile %q is not defined in %s (defined: %s)", profile, f.config, strings.Join(cfg.ProfileNames(), ", "))
	}
	labels := cfg.Labels
	if f.labels != "" {
		labels = f.labels
	}
	procs := cfg.Procs
	if f.procs > 0 {
		procs = f.procs
	}
	out := cfg.Output
	if f.out != "" {
		out = f.out
	} else if !filepath.IsAbs(out) {
		out = filepath.Join(filepath.Dir(f.config), out)
	}
	if err := topology.CheckPrivileges(); err != nil {
		return exitNoRun, err
	}
	rel, err := reports.ThisRelease()
	if err != nil {
		return exitNoRun, fmt.Errorf("identify this OS release: %w", err)
	}
	releaseDir, err := filepath.Abs(filepath.Join(out, rel.ID))
	if err != nil {
		return exitNoRun, err
	}
	if err := os.MkdirAll(releaseDir, 0o755); err != nil {
		return exitNoRun, err
	}
	// Evidence of an earlier run on this release would mix with this one's.
	if err := os.RemoveAll(filepath.Join(releaseDir, "evidence")); err != nil {
		return exitNoRun, err
	}
	configPath, err := filepath.Abs(f.config)
	if err != nil {
		return exitNoRun, err
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

	runID := topology.NewRunID()
	start := time.Now().UTC()
	fmt.Fprintf(stdout, "netconform %s: run %s on %s (%s), profile %s, results in %s\n", version, runID, rel.ID, rel.Name, profile, releaseDir)

	args := []string{"tool", "ginkgo", "run",
		"--timeout", cfg.Timeout.String(),
		"--output-dir", releaseDir, "--json-report", "report.json", "--junit-report", "junit.xml",
		"--procs", strconv.Itoa(procs)}
	if labels != "" {
		args = append(args, "--label-filter", labels)
	}
	if f.check != "" {
		// Focus matches the full spec text (containers, then the id).
		args = append(args, "--focus", `(^|\s)`+regexp.QuoteMeta(f.check)+"$")
	}
	for _, s := range cfg.Suites {
		args = append(args, "./suites/"+s)
	}
	cmd := exec.Command(goBinary(), args...)
	cmd.Dir = filepath.Dir(configPath)
	if root, err := moduleRoot(); err == nil {
		cmd.Dir = root
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Env = append(os.Environ(),
		suiterun.EnvConfig+"="+configPath, suiterun.EnvProfile+"="+profile,
		suiterun.EnvRunID+"="+runID, suiterun.EnvReleaseDir+"="+releaseDir)
	// Ctrl-C reaches Ginkgo directly (same process group); Ginkgo then runs
	// the specs' clean-up and writes its report. We wait for that instead of
	// dying first, then clean what a killed child might have left.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ginkgoErr := cmd.Run()
	interrupted := ctx.Err() != nil

	if _, err := topology.Cleanup(false); err != nil {
		fmt.Fprintf(stderr, "netconform: warning: clean-up after the run: %v\n", err)
	}
	if _, err := cleanupRunCgroups(runID); err != nil {
		fmt.Fprintf(stderr, "netconform: warning: removing this run's cgroups: %v\n", err)
	}
	gr, err := reports.ReadGinkgo(filepath.Join(releaseDir, "report.json"))
	if err != nil {
		var exitErr *exec.ExitError
		if ginkgoErr != nil && !errors.As(ginkgoErr, &exitErr) {
			return exitNoRun, fmt.Errorf("could not start Ginkgo (%v): is Go installed and this a netconform checkout?", ginkgoErr)
		}
		return exitNoRun, fmt.Errorf("no Ginkgo report (%v): the suites did not run; see the output above", err)
	}
	results, ginkgoInterrupted := reports.FromGinkgo(gr)
	checks := reports.Expect(results, cfg, rel, profile)
	res := &reports.Results{
		Run: reports.Run{ID: runID, Start: start, End: time.Now().UTC(), ToolVersion: version, Profile: profile,
			ConfigDigest: cfg.Digest, LabelFilter: labels, Interrupted: interrupted || ginkgoInterrupted},
		Release: rel,
		Checks:  checks,
	}
	if err := reports.Write(releaseDir, res); err != nil {
		return exitUnexpected, fmt.Errorf("write results: %w", err)
	}
	fmt.Fprintf(stdout, "\nnetconform: %s; results: %s\n", reports.Summary(checks), filepath.Join(releaseDir, "results.json"))
	// The derived views come after the data is safe on disk: a failure to
	// render them loses no verdict, but is reported and fails the run.
	var viewErrs []string
	if err := html.WriteRelease(releaseDir, res); err != nil {
		viewErrs = append(viewErrs, fmt.Sprintf("report.html: %v", err))
	} else {
		fmt.Fprintf(stdout, "netconform: report: %s\n", filepath.Join(releaseDir, html.FileName))
	}
	bundles, err := evidence.BundleFailures(releaseDir, res, nil)
	if err != nil {
		viewErrs = append(viewErrs, fmt.Sprintf("evidence bundles: %v", err))
	}
	for _, b := range bundles {
		fmt.Fprintf(stdout, "netconform: evidence bundle to file: %s\n", b)
	}
	unexpected := append(reports.Unexpected(checks), viewErrs...)
	if res.Run.Interrupted {
		unexpected = append(unexpected, "the run was interrupted before every check ran")
	}
	if len(checks) == 0 {
		unexpected = append(unexpected, "no check ran (label filter or focus matched nothing?)")
	}
	if len(unexpected) == 0 {
		fmt.Fprintln(stdout, "netconform: every verdict is as expected")
		return exitAsExpected, nil
	}
	fmt.Fprintln(stdout, "netconform: not as expected:")
	for _, u := range unexpected {
		fmt.Fprintln(stdout, "  - "+u)
	}
	return exitUnexpected, nil
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
