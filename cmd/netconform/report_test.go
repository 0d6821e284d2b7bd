package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/reports/regression"
)

// TestReportNamesLastGood: merging releases where a check regressed rewrites
// the failing release's feedback.md with the last good release.
func TestReportNamesLastGood(t *testing.T) {
	in := t.TempDir()
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot, "reports", "testdata"), in).CombinedOutput(); err != nil {
		t.Fatalf("copy fixtures: %v %s", err, out)
	}
	outDir := t.TempDir()
	out, err := exec.Command(ncBinary, "report", "--out", outDir, in).CombinedOutput()
	if err != nil {
		t.Fatalf("netconform report: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(outDir, "regression.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc regression.Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range doc.Checks {
		for _, h := range c.History {
			if h.LastGood == "" || h.FirstBad == "" {
				continue
			}
			for _, r := range doc.Releases {
				if r.ID != h.FirstBad {
					continue
				}
				for _, run := range r.Runs {
					fb := filepath.Join(filepath.Dir(run.Results), "evidence", c.ID, "feedback.md")
					text, err := os.ReadFile(fb)
					if err != nil {
						continue // this run did not fail the check (runs of a release may disagree)
					}
					if !strings.Contains(string(text), "Last good release: "+h.LastGood) {
						t.Errorf("%s does not name the last good release %s", fb, h.LastGood)
					}
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatalf("the fixtures hold no regression to check; output:\n%s", out)
	}
}
