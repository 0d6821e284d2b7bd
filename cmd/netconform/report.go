package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/netconform/netconform/reports/regression"
)

// reportCmd merges results.json files from any number of releases and
// machines into regression.html and regression.json.
func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "regression", "directory for regression.html and regression.json")
	title := fs.String("title", "", "page title")
	bundles := fs.Bool("bundles", true, "rewrite the evidence bundles of failing checks so feedback.md names the last good release")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: netconform report [--out dir] [--title text] results.json|dir ...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitNoRun
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitNoRun
	}
	sum, err := regression.Build(fs.Args(), *out, regression.Options{Title: *title})
	for _, p := range sum.Skipped {
		fmt.Fprintf(stderr, "netconform report: skipped %s: %s\n", p.File, p.Reason)
	}
	if err != nil {
		fmt.Fprintf(stderr, "netconform report: %v\n", err)
		return exitNoRun
	}
	fmt.Fprintf(stdout, "netconform report: %d runs in %d release × profile columns, %d checks; %d regressions, %d fixes, %d flaky across releases, %d disagreements within a release\n",
		sum.Runs, sum.Releases, sum.Checks, len(sum.Regressions), len(sum.Fixes), len(sum.Flaky), len(sum.Disagreements))
	for _, r := range sum.Regressions {
		fmt.Fprintf(stdout, "  regression: %s on %s (profile %s): pass up to %s, fail from %s on\n", r.Check, r.OS, r.Profile, r.From, r.To)
	}
	for _, f := range sum.Flaky {
		fmt.Fprintf(stdout, "  flaky: %s on %s (profile %s): fail %d of %d runs (%.1f%%) over %d releases, %s to %s\n",
			f.Check, f.OS, f.Profile, f.Failures, f.Runs, 100*f.Rate, f.Releases, f.From, f.To)
	}
	fmt.Fprintf(stdout, "netconform report: %s, %s\n", sum.HTML, sum.JSON)
	if *bundles {
		dirs, err := rebundleWithLastGood(sum.JSON)
		for _, d := range dirs {
			fmt.Fprintf(stdout, "netconform report: bundle now names the last good release: %s\n", d)
		}
		if err != nil {
			fmt.Fprintf(stderr, "netconform report: evidence bundles: %v\n", err)
			return exitUnexpected
		}
	}
	return 0
}
