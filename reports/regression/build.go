// Package regression merges netconform results of many runs and releases
// into one cross-release report: regression.html (a matrix of checks ×
// releases × profiles with regressions, fixes, checks flaky across releases
// and verdicts that disagree within a release) and regression.json (the same
// data for machines, docs/regression-schema.md). Each run also gets its own
// report.html in the output directory, so every cell's link resolves in the
// output directory alone.
package regression

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/netconform/netconform/reports/html"
)

// Names of what Build writes in outDir.
const (
	HTMLFile = "regression.html"
	JSONFile = "regression.json"
)

// Options tune Build; the zero value is fine.
type Options struct {
	// Title of the page; "netconform regression report" when empty.
	Title string
	// Workers bounds how many files are read and reports rendered at once;
	// 0 means GOMAXPROCS.
	Workers int
	// SelfContained renders every run's report.html into
	// outDir/runs/<release>/<run>/ even when an up-to-date one is beside its
	// results.json (where netconform run writes it, and where cells link by
	// default). Evidence links still point at the evidence beside
	// results.json.
	SelfContained bool
}

// Summary is what Build found, for the command's output and exit status.
type Summary struct {
	Files         int // results files found (used or skipped)
	Runs          int
	Releases      int // columns: releases × the profiles each was run under
	Checks        int
	Regressions   []Transition
	Fixes         []Transition
	Flaky         []Flaky
	Disagreements []Disagreement
	// Skipped are inputs that could not be used (corrupt, truncated, foreign,
	// unreadable, a duplicate of another run), each with its reason.
	Skipped []Problem
	// HTML and JSON are the paths written.
	HTML, JSON string
}

// ErrNoResults means no input held a usable results file.
var ErrNoResults = errors.New("regression: no usable results.json among the inputs")

// Build reads inputs (results.json files, or directories searched recursively
// for results.json) and writes outDir/regression.html, outDir/regression.json
// and outDir/runs/<release>/<run>/report.html. Bad files are skipped and
// listed; a file of an unknown schema version is an error (wrapping
// reports.ErrUnknownSchema) and nothing is written.
func Build(inputs []string, outDir string, opts Options) (Summary, error) {
	if opts.Title == "" {
		opts.Title = "netconform regression report"
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	files, problems := findFiles(inputs)
	runs, bad, err := loadAll(files, opts.Workers)
	if err != nil {
		return Summary{}, err
	}
	problems = append(problems, bad...)
	if len(runs) == 0 {
		return Summary{Skipped: problems}, fmt.Errorf("%w (%d input(s), %d skipped)", ErrNoResults, len(inputs), len(problems))
	}
	doc, cols := buildDocument(opts.Title, runs, problems, placer(outDir, opts.SelfContained))

	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Summary{}, err
	}
	if err := writeRunReports(outDir, cols, opts.Workers); err != nil {
		return Summary{}, err
	}
	page, err := renderPage(doc)
	if err != nil {
		return Summary{}, fmt.Errorf("regression: rendering: %w", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{Files: len(files), Runs: len(runs), Releases: len(doc.Releases), Checks: len(doc.Checks),
		Regressions: doc.Regressions, Fixes: doc.Fixes, Flaky: doc.Flaky, Disagreements: doc.Disagreements, Skipped: doc.Skipped,
		HTML: filepath.Join(outDir, HTMLFile), JSON: filepath.Join(outDir, JSONFile)}
	if err := writeAtomic(s.JSON, append(js, '\n')); err != nil {
		return Summary{}, err
	}
	if err := writeAtomic(s.HTML, page); err != nil {
		return Summary{}, err
	}
	return s, nil
}

// placer links a run's existing report.html when it is at least as new as its
// results.json (netconform run writes both), and otherwise has Build render
// one into the output directory.
func placer(outDir string, selfContained bool) reportPlacer {
	return func(l loaded, suggested string) (string, string) {
		if !selfContained {
			existing := filepath.Join(l.dir, html.FileName)
			rep, err1 := os.Stat(existing)
			res, err2 := os.Stat(l.file)
			if err1 == nil && err2 == nil && rep.Mode().IsRegular() && !rep.ModTime().Before(res.ModTime()) {
				if rel, err := relPath(outDir, existing); err == nil {
					return rel, ""
				}
			}
		}
		return suggested, filepath.Join(outDir, filepath.FromSlash(suggested))
	}
}

func relPath(fromDir, to string) (string, error) {
	a, err := filepath.Abs(fromDir)
	if err != nil {
		return "", err
	}
	b, err := filepath.Abs(to)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(a, b)
	return filepath.ToSlash(rel), err
}

// writeRunReports renders the run reports that do not exist yet into the
// output directory, with evidence links back to the files beside each
// results.json.
func writeRunReports(outDir string, cols []column, workers int) error {
	type job struct {
		file, dir string
		l         loaded
	}
	var jobs []job
	for _, c := range cols {
		for i, l := range c.runs {
			if c.render[i] != "" {
				jobs = append(jobs, job{file: c.render[i], dir: l.dir, l: l})
			}
		}
	}
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = html.WriteReleaseTo(jobs[i].file, jobs[i].dir, jobs[i].l.r)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

func writeAtomic(file string, b []byte) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
