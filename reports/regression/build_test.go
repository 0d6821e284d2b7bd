package regression

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netconform/netconform/catalog"
	_ "github.com/netconform/netconform/catalog/all" // the registered checks, which the fixtures hold
	"github.com/netconform/netconform/reports"
)

const fixtures = "../testdata"

func buildFixtures(t *testing.T, extra ...string) (Summary, string, *Document) {
	t.Helper()
	out := t.TempDir()
	s, err := Build(append([]string{fixtures}, extra...), out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, out, readDoc(t, out)
}

func readDoc(t *testing.T, out string) *Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func TestReleaseOrderAndColumns(t *testing.T) {
	s, _, doc := buildFixtures(t)
	// The fixtures hold every registered check (reports/fixtures): 13 when
	// they were written, more as checks are added.
	if checks := len(catalog.All()); s.Releases != 9 || s.Runs != 10 || s.Checks != checks || checks < 13 {
		t.Errorf("columns %d runs %d checks %d, want 9 release × profile columns (26.0 run twice, 6.18.44 under two profiles), 10 runs, %d checks (the registered check ids, at least 13)",
			s.Releases, s.Runs, s.Checks, checks)
	}
	var order []string
	for _, r := range doc.Releases {
		order = append(order, r.ID+"/"+r.Profile)
	}
	want := "macos-14.7-23H124/stock macos-15.5-24F74/stock macos-15.6.1-24G90/stock macos-15.7.5-24G517/stock macos-26.0-25A354/stock macos-26.5-25F71/stock " +
		"linux-6.9.12-debian-12/stock linux-6.18.44-debian-12/stock linux-6.18.44-debian-12/source-routing"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("release order\n got %s\nwant %s", got, want)
	}
}

func TestRegressionsAndFixes(t *testing.T) {
	_, _, doc := buildFixtures(t)
	got := func(ts []Transition) map[string]Transition {
		m := map[string]Transition{}
		for _, t := range ts {
			m[t.Check+"@"+t.OS+"/"+t.Profile] = t
		}
		return m
	}
	regs, fixes := got(doc.Regressions), got(doc.Fixes)
	tests := []struct {
		name     string
		set      map[string]Transition
		key      string
		from, to string
		between  string
	}{
		{"mapped-sendto regressed in 15.6.1", regs, "sockets.mapped-sendto.self@macos/stock", "macos-15.5-24F74", "macos-15.6.1-24G90", ""},
		// 26.0 has a failing and a passing run: mixed, between the last
		// pass and the first of the failures that stay, so the regression
		// is 15.7.5 → 26.5 with 26.0 listed in between.
		{"churn regressed across a disagreeing release", regs, "sockets.churn.stream6@macos/stock", "macos-15.7.5-24G517", "macos-26.5-25F71", "macos-26.0-25A354"},
		{"rule 5.5 fixed in 15.5", fixes, "ipv6.rfc6724.rule5-5@macos/stock", "macos-14.7-23H124", "macos-15.5-24F74", ""},
	}
	for _, tt := range tests {
		tr, ok := tt.set[tt.key]
		if !ok {
			t.Errorf("%s: no transition %s", tt.name, tt.key)
			continue
		}
		if tr.From != tt.from || tr.To != tt.to || strings.Join(tr.Between, ",") != tt.between {
			t.Errorf("%s: got %s → %s (between %v)", tt.name, tr.From, tr.To, tr.Between)
		}
	}
	if len(doc.Regressions) != 2 || len(doc.Fixes) != 1 {
		t.Errorf("%d regressions, %d fixes; want 2 and 1: %+v %+v", len(doc.Regressions), len(doc.Fixes), doc.Regressions, doc.Fixes)
	}
	// An error between two passes (rule 5.5 on 15.7.5) is neither.
	for _, tr := range append(doc.Regressions, doc.Fixes...) {
		if tr.To == "macos-15.7.5-24G517" || tr.From == "macos-15.7.5-24G517" && tr.Check == "ipv6.rfc6724.rule5-5" {
			t.Errorf("an error verdict made a transition: %+v", tr)
		}
	}
}

func TestLastGoodFirstBad(t *testing.T) {
	_, _, doc := buildFixtures(t)
	tests := []struct {
		check, os, profile, status, lastGood, firstBad string
		flaky                                          bool
	}{
		{"sockets.mapped-sendto.self", "macos", "stock", "fail", "macos-15.5-24F74", "macos-15.6.1-24G90", false},
		{"sockets.churn.stream6", "macos", "stock", "fail", "macos-15.7.5-24G517", "macos-26.5-25F71", false},
		{"ipv6.rfc8028.same-link", "macos", "stock", "fail", "", "macos-14.7-23H124", false},
		// stock Linux fails RFC 8028; the source-routing profile passes:
		// two histories of one OS, not one history that flips
		{"ipv6.rfc8028.same-link", "linux", "stock", "fail", "", "linux-6.9.12-debian-12", false},
		{"ipv6.rfc8028.same-link", "linux", "source-routing", "pass", "linux-6.18.44-debian-12", "", false},
		{"cfil.userspace-filter.first-datagram", "linux", "stock", "pass", "linux-6.18.44-debian-12", "", false},
		{"cfil.userspace-filter.first-datagram", "macos", "stock", "undecided", "", "", false},
		// lost in 15.6.1, 3 of 10 repetitions in 26.5
		{"sockets.mapped-sendto.peer", "macos", "stock", "flaky", "macos-26.0-25A354", "", true},
	}
	for _, tt := range tests {
		h, ok := history(doc, tt.check, tt.os, tt.profile)
		if !ok {
			t.Errorf("%s on %s/%s: no history", tt.check, tt.os, tt.profile)
			continue
		}
		if h.Status != tt.status || h.LastGood != tt.lastGood || h.FirstBad != tt.firstBad || h.Flaky != tt.flaky {
			t.Errorf("%s on %s/%s: got %+v", tt.check, tt.os, tt.profile, h)
		}
	}
}

func history(doc *Document, id, os, profile string) (OSHistory, bool) {
	for _, c := range doc.Checks {
		if c.ID == id {
			for _, h := range c.History {
				if h.OS == os && h.Profile == profile {
					return h, true
				}
			}
		}
	}
	return OSHistory{}, false
}

// cell is check id on release rel under the stock profile.
func cell(t *testing.T, doc *Document, id, rel string) Cell {
	t.Helper()
	return cellIn(t, doc, id, rel, "stock")
}

func cellIn(t *testing.T, doc *Document, id, rel, profile string) Cell {
	t.Helper()
	for _, c := range doc.Checks {
		if c.ID != id {
			continue
		}
		for _, cl := range c.Cells {
			if cl.Release == rel && cl.Profile == profile {
				return cl
			}
		}
	}
	t.Fatalf("no cell %s × %s/%s", id, rel, profile)
	return Cell{}
}

func TestDuplicateReleaseRunsAreAllShown(t *testing.T) {
	_, out, doc := buildFixtures(t)
	c := cell(t, doc, "sockets.churn.stream6", "macos-26.0-25A354")
	if c.State != StateMixed || !c.Disagree || len(c.Runs) != 2 {
		t.Fatalf("26.0 churn cell: %+v; want mixed with both runs", c)
	}
	if c.Runs[0].Verdict == c.Runs[1].Verdict {
		t.Errorf("runs should disagree: %+v", c.Runs)
	}
	// Two disagreements: two runs of 26.0 (churn), and the repetitions of
	// one 26.5 run (mapped-sendto.peer, fail 3 of 10). Linux 6.18.44 under
	// two profiles is none: those are two columns.
	var dis []string
	for _, d := range doc.Disagreements {
		dis = append(dis, d.Check+"@"+d.Release+"/"+d.Profile+": "+d.Tally.String())
	}
	want := "sockets.churn.stream6@macos-26.0-25A354/stock: fail 1 of 2, pass 1 of 2 | sockets.mapped-sendto.peer@macos-26.5-25F71/stock: fail 3 of 10, pass 7 of 10"
	if got := strings.Join(dis, " | "); got != want {
		t.Errorf("disagreements\n got %s\nwant %s", got, want)
	}
	// Agreeing runs of the same release are one state, both runs listed.
	if a := cell(t, doc, "sockets.mapped-sendto.self", "macos-26.0-25A354"); a.State != "fail" || a.Disagree || len(a.Runs) != 2 {
		t.Errorf("agreeing runs: %+v", a)
	}
	page, _ := os.ReadFile(filepath.Join(out, HTMLFile))
	if !strings.Contains(string(page), "Verdicts that disagree within a release (2)") {
		t.Errorf("page does not flag the disagreements")
	}
}

func TestMissingIsNotPass(t *testing.T) {
	_, out, doc := buildFixtures(t)
	c := cell(t, doc, "sockets.churn.dgram6", "macos-14.7-23H124")
	if c.State != StateMissing || len(c.Runs) != 1 || c.Runs[0].Verdict != StateMissing || c.Runs[0].Report != "" {
		t.Errorf("missing check: %+v", c)
	}
	page, _ := os.ReadFile(filepath.Join(out, HTMLFile))
	row := rowOf(string(page), "sockets.churn.dgram6")
	if !strings.Contains(row, `data-state="missing"`) || !strings.Contains(row, ">missing</span>") {
		t.Errorf("row does not show missing: %s", row)
	}
}

func rowOf(page, id string) string {
	i := strings.Index(page, `<tr id="row-`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</tr>")
	return page[i : i+j]
}

func TestCellLinksResolve(t *testing.T) {
	for _, opts := range []Options{{}, {SelfContained: true}} {
		in := t.TempDir()
		if err := os.CopyFS(in, os.DirFS(fixtures)); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(in, "regression")
		if _, err := Build([]string{in}, out, opts); err != nil {
			t.Fatal(err)
		}
		doc := readDoc(t, out)
		for _, r := range doc.Releases {
			for _, run := range r.Runs {
				if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(run.Report))); err != nil {
					t.Errorf("run report %s does not exist: %v", run.Report, err)
				}
			}
		}
	}
}

func TestLinksExistingReports(t *testing.T) {
	in := t.TempDir()
	if err := os.CopyFS(in, os.DirFS(fixtures)); err != nil {
		t.Fatal(err)
	}
	// As netconform run leaves it: report.html beside results.json.
	dir := filepath.Join(in, "fixture-macos-15.5")
	r, err := reports.Read(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.html"), []byte("<!DOCTYPE html><title>existing</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(in, "out")
	if _, err := Build([]string{in}, out, Options{}); err != nil {
		t.Fatal(err)
	}
	doc := readDoc(t, out)
	for _, rel := range doc.Releases {
		if rel.ID == r.Release.ID && rel.Runs[0].Report != "../fixture-macos-15.5/report.html" {
			t.Errorf("existing report not linked: %s", rel.Runs[0].Report)
		}
	}
}

func TestBadInputsAreSkippedByName(t *testing.T) {
	bad := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(bad, name, "results.json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(filepath.Join(fixtures, "fixture-macos-15.5", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"corrupt":   write("corrupt", "{\x00not json"),
		"truncated": write("truncated", string(good[:len(good)/2])),
		"foreign":   write("foreign", `{"name":"some other tool","checks":[]}`),
		"empty":     write("empty", ""),
		"noids":     write("noids", `{"schema":"`+reports.Schema+`","schema_version":1,"run":{},"release":{}}`),
	}
	s, out, doc := buildFixtures(t, bad, filepath.Join(bad, "does-not-exist"))
	if s.Runs != 10 {
		t.Errorf("good runs %d, want the 10 fixtures", s.Runs)
	}
	skipped := map[string]string{}
	for _, p := range doc.Skipped {
		skipped[p.File] = p.Reason
	}
	for name, f := range files {
		if _, ok := skipped[f]; !ok {
			t.Errorf("%s input %s not reported as skipped (skipped: %v)", name, f, skipped)
		}
	}
	if _, ok := skipped[filepath.Join(bad, "does-not-exist")]; !ok {
		t.Errorf("a missing input is not reported")
	}
	page, _ := os.ReadFile(filepath.Join(out, HTMLFile))
	if !strings.Contains(string(page), "Inputs skipped") || !strings.Contains(string(page), filepath.Join("truncated", "results.json")) {
		t.Errorf("page does not name the skipped files")
	}
}

func TestDuplicateFileCountedOnce(t *testing.T) {
	in := t.TempDir()
	for _, d := range []string{"a", "b"} {
		if err := os.CopyFS(filepath.Join(in, d), os.DirFS(filepath.Join(fixtures, "fixture-macos-15.5"))); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Build([]string{in}, t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Runs != 1 || len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0].Reason, "same run") {
		t.Errorf("runs %d skipped %+v: the same run copied twice must count once", s.Runs, s.Skipped)
	}
}

func TestUnknownSchemaVersionIsAnError(t *testing.T) {
	in := t.TempDir()
	p := filepath.Join(in, "future", "results.json")
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	future := strconv.Itoa(reports.SchemaVersion + 1)
	if err := os.WriteFile(p, []byte(`{"schema":"`+reports.Schema+`","schema_version":`+future+`,"run":{"id":"x"},"release":{"id":"y"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	_, err := Build([]string{fixtures, in}, out, Options{})
	if !errors.Is(err, reports.ErrUnknownSchema) || !strings.Contains(err.Error(), p) {
		t.Fatalf("err = %v; want ErrUnknownSchema naming %s", err, p)
	}
	if _, err := os.Stat(filepath.Join(out, HTMLFile)); err == nil {
		t.Errorf("a report was written despite the unknown schema")
	}
}

func TestNoResults(t *testing.T) {
	if _, err := Build([]string{t.TempDir()}, t.TempDir(), Options{}); !errors.Is(err, ErrNoResults) {
		t.Errorf("err = %v, want ErrNoResults", err)
	}
}
