// Package reports holds netconform's results format (results.json, schema
// version 1, documented in docs/results-schema.md) and what is derived from
// it: the release identity, known-failure expectations and the run's exit
// status.
package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netconform/netconform/check"
)

// SchemaVersion is the version this code writes. Version 2 made a check's
// verdict the verdict over all its repetitions (see Repetitions) and added
// the selection fields; Parse reads versions 1 and 2 (a version 1 file is one
// repetition of each check it lists).
const SchemaVersion = 2

// MinSchemaVersion is the oldest version Parse reads.
const MinSchemaVersion = 1

// Schema identifies the format inside the file, so a foreign JSON file is
// told apart from an old or new netconform one.
const Schema = "https://github.com/netconform/netconform/schema/results"

// Results is one run on one OS release: OUT/<release-id>/results.json.
type Results struct {
	Schema        string        `json:"schema"`
	SchemaVersion int           `json:"schema_version"`
	Run           Run           `json:"run"`
	Release       Release       `json:"release"`
	Checks        []CheckResult `json:"checks"`
}

// Run describes the run itself.
type Run struct {
	ID           string    `json:"id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	ToolVersion  string    `json:"tool_version"`
	Profile      string    `json:"profile"`
	ConfigDigest string    `json:"config_digest"`
	LabelFilter  string    `json:"label_filter,omitempty"`
	// Interrupted is set when the run was stopped before every check ran.
	Interrupted bool `json:"interrupted,omitempty"`
	// Repeat is how many times each selected check ran (each time in fresh
	// labs with fresh sockets). Version 2; 0 in a version 1 file means 1.
	Repeat int `json:"repeat,omitempty"`
	// Selected is how many checks the run selected (config, labels, focus)
	// before it started; every one of them is in Checks, those that never
	// ran as error with NotRun set. Version 2.
	Selected int `json:"selected,omitempty"`
}

// Release identifies the OS release the checks ran on.
type Release struct {
	ID      string `json:"id"`      // e.g. linux-6.18.44 or macos-26.5-25F71
	OS      string `json:"os"`      // linux | macos
	Name    string `json:"name"`    // e.g. Debian GNU/Linux 12 (bookworm), macOS
	Version string `json:"version"` // what known failures match: kernel release on Linux, ProductVersion on macOS
	Build   string `json:"build"`   // distro version id on Linux, BuildVersion on macOS
	Kernel  string `json:"kernel"`  // uname -sr and version
	Arch    string `json:"arch"`
	// Hardware is hw.model on macOS; empty on Linux.
	Hardware string `json:"hardware,omitempty"`
}

// CheckResult is a check's result plus what the run knew about it.
type CheckResult struct {
	check.Result
	// Expected is the verdict the configuration expects on this release:
	// "fail" for a listed known failure, else "pass" (or the verdict itself
	// for skip).
	Expected check.Verdict `json:"expected"`
	// Known is the known-failure entry that applied, if any.
	Known *KnownFailure `json:"known_failure,omitempty"`
	// Repetitions tallies the verdicts of every repetition; Verdict is the
	// verdict over them (any fail makes it fail). Version 2; nil in a
	// version 1 file (one repetition, whose verdict is Verdict).
	Repetitions *Tally `json:"repetitions,omitempty"`
	// Flaky is set when repetitions of this check disagreed (pass and fail).
	Flaky bool `json:"flaky,omitempty"`
	// NotRun is set when the check was selected but never ran (its suite did
	// not compile, crashed, timed out or was interrupted): its verdict is
	// error and Reason says why.
	NotRun bool `json:"not_run,omitempty"`
}

// Tally counts the verdicts of a check's repetitions.
type Tally struct {
	Runs  int `json:"runs"`
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Error int `json:"error"`
	Skip  int `json:"skip"`
}

// Add counts one repetition's verdict.
func (t *Tally) Add(v check.Verdict) {
	t.Runs++
	switch v {
	case check.Pass:
		t.Pass++
	case check.Fail:
		t.Fail++
	case check.Error:
		t.Error++
	case check.Skip:
		t.Skip++
	}
}

// String is the tally as a person reads it: "fail 3 of 10" (the verdicts
// present, most telling first: fail, error, pass, skip).
func (t Tally) String() string {
	var parts []string
	for _, p := range []struct {
		v check.Verdict
		n int
	}{{check.Fail, t.Fail}, {check.Error, t.Error}, {check.Pass, t.Pass}, {check.Skip, t.Skip}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d of %d", p.v, p.n, t.Runs))
		}
	}
	return strings.Join(parts, ", ")
}

// TallyOf is c's tally; a version 1 result (no Repetitions) is one
// repetition of its verdict.
func (c CheckResult) TallyOf() Tally {
	if c.Repetitions != nil {
		return *c.Repetitions
	}
	var t Tally
	t.Add(c.Verdict)
	return t
}

// KnownFailure is the known-failure entry from the configuration.
type KnownFailure struct {
	Reason string `json:"reason"`
	Bug    string `json:"bug"`
}

// AsExpected reports whether the verdict matches the expectation. Skips are
// always as expected (they carry their reason); errors never are.
func (c CheckResult) AsExpected() bool {
	switch c.Verdict {
	case check.Skip:
		return true
	case check.Error:
		return false
	}
	return c.Verdict == c.Expected
}

// Write stores r as dir/results.json (atomically: a reader never sees half).
func Write(dir string, r *Results) error {
	r.Schema, r.SchemaVersion = Schema, SchemaVersion
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(dir, ".results.json.tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "results.json"))
}

// ErrUnknownSchema is returned for a netconform results file of another
// schema version.
var ErrUnknownSchema = errors.New("unknown results schema version")

// Read loads and validates a results.json file. A corrupt, truncated or
// foreign file is an error naming the file; a newer schema is ErrUnknownSchema.
func Read(file string) (*Results, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return Parse(file, b)
}

// Parse is Read on bytes already in memory; name is used in errors.
func Parse(name string, b []byte) (*Results, error) {
	// One decoding of the whole file (a regression report reads thousands):
	// the header is checked after it, and only a file that fails to decode
	// is read again for its header, so that it is named for what it is
	// (not JSON, not ours, a version this netconform does not read) rather
	// than for the first field whose type differs.
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		var head struct {
			Schema        string `json:"schema"`
			SchemaVersion int    `json:"schema_version"`
		}
		if herr := json.Unmarshal(b, &head); herr != nil {
			return nil, fmt.Errorf("%s: not a results file (corrupt or truncated JSON): %w", name, herr)
		}
		if herr := checkHeader(name, head.Schema, head.SchemaVersion); herr != nil {
			return nil, herr
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkHeader(name, r.Schema, r.SchemaVersion); err != nil {
		return nil, err
	}
	if r.Release.ID == "" || r.Run.ID == "" {
		return nil, fmt.Errorf("%s: results file lacks release.id or run.id", name)
	}
	for i, c := range r.Checks {
		if c.ID == "" || !c.Verdict.Valid() {
			return nil, fmt.Errorf("%s: checks[%d] has no id or an invalid verdict %q", name, i, c.Verdict)
		}
	}
	return &r, nil
}

// checkHeader says whether a results file's header is one this netconform
// reads.
func checkHeader(name, schema string, version int) error {
	if schema != Schema {
		return fmt.Errorf("%s: not a netconform results file (schema %q)", name, schema)
	}
	if version < MinSchemaVersion || version > SchemaVersion {
		return fmt.Errorf("%s: %w %d (this netconform reads versions %d to %d)", name, ErrUnknownSchema, version, MinSchemaVersion, SchemaVersion)
	}
	return nil
}
