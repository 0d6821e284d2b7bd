// Package html renders netconform's per-release report: one self-contained
// report.html (inline CSS and SVG, no network) that a person reads on a phone,
// prints, or attaches to a bug. Everything shown comes from results.json, and
// all of it passes through html/template: reasons, interface names and kernel
// log lines are the system under test's words, never markup.
package html

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

//go:embed style.css
var styleSheet string

// StyleSheet is the CSS every netconform page inlines, so the regression
// report looks like the release reports it links to.
func StyleSheet() template.CSS { return template.CSS(styleSheet) }

// FileName is the name of the per-release report beside results.json.
const FileName = "report.html"

// WriteRelease writes dir/report.html for r, where dir is the directory of
// r's results.json: evidence paths in r are relative to it.
func WriteRelease(dir string, r *reports.Results) error {
	return WriteReleaseTo(filepath.Join(dir, FileName), dir, r)
}

// WriteReleaseTo writes the report for r to file, with evidence links from
// file's directory to the evidence under resultsDir (the directory of r's
// results.json). The regression report uses it to put every run's report in
// its own output directory.
func WriteReleaseTo(file, resultsDir string, r *reports.Results) error {
	b, err := RenderRelease(filepath.Dir(file), resultsDir, r)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// RenderRelease returns the report's HTML, linking evidence from pageDir.
func RenderRelease(pageDir, resultsDir string, r *reports.Results) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("html: no results to render")
	}
	p := newReleasePage(pageDir, resultsDir, r)
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := releaseTemplate.Execute(&buf, p); err != nil {
		return nil, fmt.Errorf("html: rendering %s: %w", r.Release.ID, err)
	}
	return buf.Bytes(), nil
}

type releasePage struct {
	CSS        template.CSS
	R          *reports.Results
	Elapsed    string
	Counts     []verdictCount
	AsExpected int
	Unexpected []string
	Known      []knownView
	Checks     []checkView
	Nav        template.HTML // the list of checks, see navHTML
	// Profile names the profile the run used ("stock" when a file does not
	// say): a release's report under one profile is not its report under
	// another.
	Profile string
	// Repeat is how many times each check ran (1 for a version 1 file).
	Repeat int
	// Ran counts the checks that ran; NotRun those selected that never ran
	// (errors, listed apart from errors of checks that ran); Flaky those
	// whose repetitions mixed pass and fail.
	Ran, NotRun, Flaky int
}

type verdictCount struct {
	Verdict check.Verdict
	N       int
}

type knownView struct {
	ID, Anchor, Verdict, Reason, Bug, BugURL string
}

func newReleasePage(pageDir, resultsDir string, r *reports.Results) *releasePage {
	p := &releasePage{CSS: StyleSheet(), R: r, Unexpected: reports.Unexpected(r.Checks), Profile: r.Run.Profile, Repeat: max(1, r.Run.Repeat)}
	if p.Profile == "" {
		p.Profile = "not recorded"
	}
	if !r.Run.Start.IsZero() && !r.Run.End.IsZero() {
		p.Elapsed = r.Run.End.Sub(r.Run.Start).Round(time.Millisecond).String()
	}
	n := map[check.Verdict]int{}
	for _, c := range r.Checks {
		n[c.Verdict]++
		if c.NotRun {
			p.NotRun++
		} else {
			p.Ran++
		}
		if c.Flaky {
			p.Flaky++
		}
		if c.AsExpected() {
			p.AsExpected++
		}
		if c.Known != nil {
			p.Known = append(p.Known, knownView{ID: c.ID, Anchor: Anchor(c.ID), Verdict: string(c.Verdict),
				Reason: c.Known.Reason, Bug: c.Known.Bug, BugURL: BugURL(c.Known.Bug)})
		}
	}
	for _, v := range []check.Verdict{check.Fail, check.Error, check.Pass, check.Skip} {
		p.Counts = append(p.Counts, verdictCount{v, n[v]})
	}
	cs := make([]reports.CheckResult, len(r.Checks))
	copy(cs, r.Checks)
	sort.SliceStable(cs, func(i, j int) bool {
		if a, b := rank(cs[i]), rank(cs[j]); a != b {
			return a < b
		}
		return cs[i].ID < cs[j].ID
	})
	for _, c := range cs {
		p.Checks = append(p.Checks, newCheckView(pageDir, resultsDir, c))
	}
	p.Nav = navHTML(p.Checks)
	return p
}

// rank puts what needs a person's attention first: failures, errors of
// checks that ran, checks that never ran, then a pass that was not expected
// (a known failure fixed), passes, skips.
func rank(c reports.CheckResult) int {
	switch c.Verdict {
	case check.Fail:
		return 0
	case check.Error:
		if c.NotRun {
			return 2
		}
		return 1
	case check.Pass:
		if !c.AsExpected() {
			return 3
		}
		return 4
	}
	return 5
}

// Anchor is the fragment id of a check's section in report.html, so other
// pages (the regression matrix) can link straight to it.
func Anchor(checkID string) string { return "check-" + checkID }
