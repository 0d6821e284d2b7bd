// Package evidence turns a failing check into something an OS engineer can
// act on: releaseDir/evidence/<check-id>/ holds the check's own evidence
// (pcapng, table dumps) plus feedback.md (ready for Feedback Assistant), a
// standalone reproducer (repro.c for socket checks) or rerun.sh (the exact
// netconform command), and result.json; releaseDir/evidence/<check-id>.tar.gz
// is that directory in one file to attach.
//
// Nothing of the environment goes in: no environment variables, no host
// name, no user or home directory. The release identity (OS, version, build,
// kernel, hardware model, arch) is all that describes the machine.
package evidence

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

// Names of the files Bundle writes into the check's directory.
const (
	FeedbackFile = "feedback.md"
	ResultFile   = "result.json"
	ReproFile    = "repro.c"
	RerunFile    = "rerun.sh"
)

// ErrNotFailure is returned for a check whose verdict is not fail: only a
// violation of the specification is reported to the OS vendor.
var ErrNotFailure = errors.New("evidence: only failing checks get a bundle")

var safeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Bundle writes the bundle of c, a failing check of r, and returns the
// bundle's directory (releaseDir/evidence/<check-id>). lastGood is the last
// release known to pass the check ("" when unknown).
func Bundle(releaseDir string, r *reports.Results, c reports.CheckResult, lastGood string) (string, error) {
	if r == nil {
		return "", errors.New("evidence: no results")
	}
	if c.Verdict != check.Fail {
		return "", fmt.Errorf("%w: %s is %s", ErrNotFailure, c.ID, c.Verdict)
	}
	if !safeID.MatchString(c.ID) || strings.Contains(c.ID, "..") {
		return "", fmt.Errorf("evidence: check id %q is not usable as a directory name", c.ID)
	}
	dir := filepath.Join(releaseDir, "evidence", c.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	red := newRedactor(r.Release)
	res, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", fmt.Errorf("evidence: %s: %w", c.ID, err)
	}
	files := map[string][]byte{ResultFile: append([]byte(red.apply(string(res))), '\n')}
	repro := reproducerFor(c)
	if repro != nil {
		files[ReproFile] = repro.source
	}
	files[RerunFile] = []byte(rerunScript(r, c))
	files[FeedbackFile] = []byte(red.apply(feedback(dir, r, c, lastGood, repro)))
	for name, b := range files {
		mode := os.FileMode(0o644)
		if name == RerunFile {
			mode = 0o755
		}
		if err := writeFile(filepath.Join(dir, name), b, mode); err != nil {
			return "", err
		}
	}
	if err := writeTarGz(dir+".tar.gz", dir, c.ID); err != nil {
		return "", err
	}
	return dir, nil
}

// BundleFailures bundles every failing check of r; lastGood gives the last
// good release of a check ("" when unknown; it may be nil). It returns the
// bundle directories written.
func BundleFailures(releaseDir string, r *reports.Results, lastGood func(checkID string) string) ([]string, error) {
	var dirs []string
	var errs []error
	for _, c := range r.Checks {
		if c.Verdict != check.Fail {
			continue
		}
		lg := ""
		if lastGood != nil {
			lg = lastGood(c.ID)
		}
		d, err := Bundle(releaseDir, r, c, lg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		dirs = append(dirs, d)
	}
	return dirs, errors.Join(errs...)
}

func writeFile(name string, b []byte, mode os.FileMode) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, b, mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil { // WriteFile's mode is subject to umask
		return err
	}
	return os.Rename(tmp, name)
}
