package regression

import "time"

// DocumentSchema identifies regression.json; docs/regression-schema.md is its
// contract.
const DocumentSchema = "https://github.com/netconform/netconform/schema/regression"

// DocumentSchemaVersion is the version of regression.json this code writes.
const DocumentSchemaVersion = 1

// Document is regression.json: the matrix of checks × releases and what was
// derived from it.
type Document struct {
	Schema        string         `json:"schema"`
	SchemaVersion int            `json:"schema_version"`
	Title         string         `json:"title"`
	Releases      []Release      `json:"releases"`
	Checks        []Check        `json:"checks"`
	Regressions   []Transition   `json:"regressions"`
	Fixes         []Transition   `json:"fixes"`
	Disagreements []Disagreement `json:"disagreements"`
	Skipped       []Problem      `json:"skipped"`
}

// Release is one column: an OS release (release.id) with every run seen of it.
type Release struct {
	ID      string `json:"id"`
	OS      string `json:"os"`
	Name    string `json:"name"`
	Version string `json:"version"`
	Build   string `json:"build"`
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
}

// Check is one row.
type Check struct {
	ID      string      `json:"id"`
	Title   string      `json:"title"`
	Spec    string      `json:"spec"`
	Labels  []string    `json:"labels"`
	Cells   []Cell      `json:"cells"`   // one per release, in the order of Document.Releases
	History []OSHistory `json:"history"` // one per OS the check ran on
}

// Cell states besides the four verdicts.
const (
	StateMissing = "missing" // no run of the release has the check: not run, never a pass
	StateMixed   = "mixed"   // runs of the release disagree
)

// Cell is a check on a release.
type Cell struct {
	Release  string    `json:"release"`
	State    string    `json:"state"` // pass | fail | error | skip | missing | mixed
	Runs     []CellRun `json:"runs"`  // one per run of the release, in the order of Release.Runs
	Disagree bool      `json:"disagree,omitempty"`
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
}

// OSHistory is where a check stands on one OS, across its releases in order.
type OSHistory struct {
	OS string `json:"os"`
	// Status is "pass" or "fail": the latest decided verdict (pass or fail) on
	// this OS; "undecided" when no release decided it.
	Status string `json:"status"`
	// LastGood is the last release that passed before FirstBad, the first
	// release of the current run of failures; both empty when not known.
	LastGood string `json:"last_good,omitempty"`
	FirstBad string `json:"first_bad,omitempty"`
}

// Transition is a regression (pass → fail) or a fix (fail → pass) between
// two releases of the same OS that decided the check.
type Transition struct {
	Check string `json:"check"`
	OS    string `json:"os"`
	From  string `json:"from"` // release id
	To    string `json:"to"`
	// Between lists releases in between that did not decide the check
	// (missing, error, skip or runs that disagree).
	Between []string `json:"between,omitempty"`
}

// Disagreement is a check on which several runs of one release differ: a
// flaky or environment-dependent check, shown rather than resolved.
type Disagreement struct {
	Check   string    `json:"check"`
	Release string    `json:"release"`
	Runs    []CellRun `json:"runs"`
}
