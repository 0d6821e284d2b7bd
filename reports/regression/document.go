package regression

import (
	"time"

	"github.com/netconform/netconform/reports"
)

// DocumentSchema identifies regression.json; docs/regression-schema.md is its
// contract.
const DocumentSchema = "https://github.com/netconform/netconform/schema/regression"

// DocumentSchemaVersion is the version of regression.json this code writes.
// Version 2: a column is a release under one profile (two profiles of one
// release are two columns, never runs that disagree); a regression or fix is
// a change that stays, and a check whose verdict flips back and forth is in
// Flaky instead; cells carry the repetition tally of results schema 2.
const DocumentSchemaVersion = 2

// Document is regression.json: the matrix of checks × (release, profile) and
// what was derived from it.
type Document struct {
	Schema        string         `json:"schema"`
	SchemaVersion int            `json:"schema_version"`
	Title         string         `json:"title"`
	Releases      []Release      `json:"releases"`
	Checks        []Check        `json:"checks"`
	Regressions   []Transition   `json:"regressions"`
	Fixes         []Transition   `json:"fixes"`
	Flaky         []Flaky        `json:"flaky"`
	Disagreements []Disagreement `json:"disagreements"`
	Skipped       []Problem      `json:"skipped"`
}

// Release is one column: an OS release (release.id) under one profile
// (run.profile), with every run seen of that pair.
type Release struct {
	ID      string `json:"id"`
	OS      string `json:"os"`
	Name    string `json:"name"`
	Version string `json:"version"`
	Build   string `json:"build"`
	Profile string `json:"profile"`
	Runs    []Run  `json:"runs"`
}

// Run is one results.json of a release.
type Run struct {
	ID          string    `json:"id"`
	Results     string    `json:"results"` // the results.json read, as found from the inputs
	Report      string    `json:"report"`  // its report.html, relative to the output directory
	Profile     string    `json:"profile"`
	ToolVersion string    `json:"tool_version"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Kernel      string    `json:"kernel"`
	Arch        string    `json:"arch"`
	Hardware    string    `json:"hardware,omitempty"`
	Interrupted bool      `json:"interrupted,omitempty"`
	// SchemaVersion is the results file's schema version (1 or 2).
	SchemaVersion int `json:"schema_version"`
	// Repeat is how many times the run ran each check (1 for a version 1
	// file).
	Repeat int `json:"repeat"`
	// Selected is how many checks the run selected (0 when the file does
	// not say: version 1).
	Selected int `json:"selected,omitempty"`
}

// Check is one row.
type Check struct {
	ID      string      `json:"id"`
	Title   string      `json:"title"`
	Spec    string      `json:"spec"`
	Labels  []string    `json:"labels"`
	Cells   []Cell      `json:"cells"`   // one per column, in the order of Document.Releases
	History []OSHistory `json:"history"` // one per OS and profile the check ran under
}

// Cell states besides the four verdicts.
const (
	StateMissing = "missing" // no run of the column has the check: not run, never a pass
	StateMixed   = "mixed"   // the column's runs or repetitions gave different verdicts
)

// Cell is a check on one release under one profile.
type Cell struct {
	Release string `json:"release"`
	Profile string `json:"profile"`
	// State is the verdict every repetition of every run that ran the check
	// agrees on; mixed when they differ; missing when no run has the check;
	// error when every run that has it never ran it (not_run).
	State string    `json:"state"` // pass | fail | error | skip | missing | mixed
	Runs  []CellRun `json:"runs"`  // one per run of the column, in the order of Release.Runs
	// Tally adds up the repetitions of the runs that ran the check (a
	// version 1 run counts as one repetition; runs that never ran it count
	// nothing).
	Tally    reports.Tally `json:"tally"`
	Disagree bool          `json:"disagree,omitempty"`
	// Mark is "regressed" on the first bad release of a regression and
	// "fixed" on the first good release of a fix.
	Mark string `json:"mark,omitempty"`
}

// CellRun is what one run said about the check.
type CellRun struct {
	Run      string `json:"run"`
	Verdict  string `json:"verdict"` // pass | fail | error | skip | missing
	Expected string `json:"expected,omitempty"`
	Bug      string `json:"bug,omitempty"` // the known failure's bug, if one applied
	Reason   string `json:"reason,omitempty"`
	Report   string `json:"report,omitempty"` // report.html#check-<id>, relative to the output directory
	// Repetitions is the run's tally when it ran the check more than once.
	Repetitions *reports.Tally `json:"repetitions,omitempty"`
	// Flaky is set when the run's repetitions mixed pass and fail.
	Flaky bool `json:"flaky,omitempty"`
	// NotRun is set when the run selected the check but never ran it: its
	// verdict is error and Reason says why.
	NotRun bool `json:"not_run,omitempty"`
}

// History states besides pass and fail.
const (
	StatusUndecided = "undecided" // no release decided the check
	StatusFlaky     = "flaky"     // the latest deciding release mixed pass and fail
)

// OSHistory is where a check stands on one OS under one profile, across its
// releases in order.
type OSHistory struct {
	OS      string `json:"os"`
	Profile string `json:"profile"`
	// Status is the outcome of the latest release that decided the check:
	// pass, fail, or flaky when its repetitions or runs mixed both;
	// undecided when no release decided it.
	Status string `json:"status"`
	// LastGood is the last release that passed before FirstBad, the first
	// release of the current run of failures; both empty when not known.
	LastGood string `json:"last_good,omitempty"`
	FirstBad string `json:"first_bad,omitempty"`
	// Flaky is set when the check is in Document.Flaky for this OS and
	// profile.
	Flaky bool `json:"flaky,omitempty"`
}

// Transition is a regression (pass → fail) or a fix (fail → pass) that
// stays, on one OS under one profile (docs/regression-schema.md).
type Transition struct {
	Check   string `json:"check"`
	OS      string `json:"os"`
	Profile string `json:"profile"`
	From    string `json:"from"` // release id: the last good (regression) or last bad (fix) release
	To      string `json:"to"`   // release id: the first bad or first good release
	// Between lists releases in between that did not decide the check
	// (missing, error, skip) or whose repetitions mixed pass and fail.
	Between []string `json:"between,omitempty"`
}

// Flaky is a check whose verdict did not hold still across the releases of
// one OS under one profile: reported once, with its failure rate, instead of
// one regression and one fix per flip.
type Flaky struct {
	Check   string `json:"check"`
	OS      string `json:"os"`
	Profile string `json:"profile"`
	// From and To are the first and the latest release that decided the
	// check; the figures below cover every deciding release from From to To.
	From string `json:"from"`
	To   string `json:"to"`
	// Releases is how many releases decided the check; FailedReleases how
	// many of them failed at least one repetition.
	Releases       int `json:"releases"`
	FailedReleases int `json:"failed_releases"`
	// Runs is how many repetitions gave pass or fail over those releases,
	// Failures how many gave fail, and Rate is Failures / Runs.
	Runs     int     `json:"runs"`
	Failures int     `json:"failures"`
	Rate     float64 `json:"rate"`
	// Changes counts the consecutive deciding releases whose outcomes
	// (pass, fail, mixed) differ.
	Changes int `json:"changes"`
	// Latest is the latest deciding release's outcome: pass, fail or mixed.
	Latest string `json:"latest"`
}

// Disagreement is a check on which one release under one profile gave
// different verdicts (across its runs or the repetitions of one run): a flaky
// check or a flaky stack, shown rather than resolved.
type Disagreement struct {
	Check   string        `json:"check"`
	Release string        `json:"release"`
	Profile string        `json:"profile"`
	Tally   reports.Tally `json:"tally"`
	Runs    []CellRun     `json:"runs"`
}
