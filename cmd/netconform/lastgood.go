package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/evidence"
	"github.com/netconform/netconform/reports/regression"
)

// rebundleWithLastGood rewrites the evidence bundle of every failing check in
// the current run of failures of its OS (from the first bad release on) so
// that feedback.md names the last good release: only the merged report knows
// it, `netconform run` on one release cannot. It returns the bundles
// rewritten.
func rebundleWithLastGood(regressionJSON string) ([]string, error) {
	b, err := os.ReadFile(regressionJSON)
	if err != nil {
		return nil, err
	}
	var doc regression.Document
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", regressionJSON, err)
	}
	// A column is a release under one profile (regression.json version 2):
	// a history is per OS and profile, so is the walk from its first bad
	// release.
	type column struct{ release, profile string }
	columnAt := map[column]int{}
	for i, r := range doc.Releases {
		columnAt[column{r.ID, r.Profile}] = i
	}
	runs := map[string]regression.Run{}
	for _, r := range doc.Releases {
		for _, run := range r.Runs {
			runs[run.ID] = run
		}
	}
	loaded := map[string]*reports.Results{}
	var out []string
	for _, c := range doc.Checks {
		for _, h := range c.History {
			if h.LastGood == "" || h.FirstBad == "" {
				continue
			}
			from, ok := columnAt[column{h.FirstBad, h.Profile}]
			if !ok {
				continue
			}
			for i, cell := range c.Cells {
				rel := doc.Releases[i]
				if rel.OS != h.OS || rel.Profile != h.Profile || i < from {
					continue
				}
				for _, cr := range cell.Runs {
					if cr.Verdict != string(check.Fail) {
						continue
					}
					dir, err := rebundle(runs[cr.Run].Results, c.ID, h.LastGood, loaded)
					if err != nil {
						return out, err
					}
					if dir != "" {
						out = append(out, dir)
					}
				}
			}
		}
	}
	return out, nil
}

func rebundle(resultsFile, checkID, lastGood string, loaded map[string]*reports.Results) (string, error) {
	if resultsFile == "" {
		return "", nil
	}
	res, ok := loaded[resultsFile]
	if !ok {
		var err error
		if res, err = reports.Read(resultsFile); err != nil {
			return "", err
		}
		loaded[resultsFile] = res
	}
	for _, c := range res.Checks {
		if c.ID == checkID && c.Verdict == check.Fail {
			return evidence.Bundle(filepath.Dir(resultsFile), res, c, lastGood)
		}
	}
	return "", nil
}
