package regression

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

// rep is one run's result for a check in a synthetic series: its verdict,
// and its repetitions when it ran the check more than once.
type rep struct {
	v          check.Verdict
	pass, fail int // repetitions, when more than one
	notRun     bool
	missing    bool
}

// parseSeries reads a series written as space-separated releases: P, F, E,
// S (one repetition of pass, fail, error, skip), "-" (the run lacks the
// check), N (selected, never ran), and p/f counts such as 7/3 (7 passes and
// 3 failures in 10 repetitions).
func parseSeries(t *testing.T, s string) []rep {
	t.Helper()
	var out []rep
	for _, f := range strings.Fields(s) {
		switch f {
		case "P":
			out = append(out, rep{v: check.Pass})
		case "F":
			out = append(out, rep{v: check.Fail})
		case "E":
			out = append(out, rep{v: check.Error})
		case "S":
			out = append(out, rep{v: check.Skip})
		case "-":
			out = append(out, rep{missing: true})
		case "N":
			out = append(out, rep{v: check.Error, notRun: true})
		default:
			var p, fl int
			if _, err := fmt.Sscanf(f, "%d/%d", &p, &fl); err != nil {
				t.Fatalf("bad series element %q", f)
			}
			r := rep{pass: p, fail: fl, v: check.Pass}
			if fl > 0 {
				r.v = check.Fail
			}
			out = append(out, r)
		}
	}
	return out
}

// seriesRuns makes one results file per release of os under profile, with
// one check per series (check ids c00, c01, ...), release i being version
// 1.i (ordered as versions order, so 1.10 after 1.9).
func seriesRuns(os, profile string, series [][]rep) []loaded {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	for _, s := range series {
		n = max(n, len(s))
	}
	var out []loaded
	for i := 0; i < n; i++ {
		version := fmt.Sprintf("1.%d", i)
		r := &reports.Results{SchemaVersion: reports.SchemaVersion,
			Run:     reports.Run{ID: fmt.Sprintf("%s%s%05d", os, profile, i), Start: start.Add(time.Duration(i) * time.Hour), Profile: profile, Repeat: 1},
			Release: reports.Release{ID: reports.ReleaseID(os, version, ""), OS: os, Name: os, Version: version}}
		for ci, s := range series {
			if i >= len(s) || s[i].missing {
				continue
			}
			e := s[i]
			c := reports.CheckResult{Result: check.Result{ID: fmt.Sprintf("c%02d", ci), Verdict: e.v, Reason: "synthetic"}, Expected: check.Pass, NotRun: e.notRun}
			if e.pass+e.fail > 0 {
				c.Repetitions = &reports.Tally{Runs: e.pass + e.fail, Pass: e.pass, Fail: e.fail}
				c.Flaky = e.pass > 0 && e.fail > 0
				r.Run.Repeat = e.pass + e.fail
			}
			r.Checks = append(r.Checks, c)
		}
		out = append(out, loaded{file: fmt.Sprintf("%s/%d/results.json", os, i), dir: ".", r: r})
	}
	return out
}

func inMemory(runs []loaded) *Document {
	doc, _ := buildDocument("test", runs, nil, func(_ loaded, s string) (string, string) { return s, "" })
	return doc
}

// TestRandomFailuresAreFlakyNotRegressions is the measurement: 1,000
// releases of 13 checks, each failing at random 10% of the time, gave 1,169
// "regressions" (one per pass → fail flip). A regression is a change that
// stays: here there is none, and each check is reported once, as flaky, with
// its failure rate.
func TestRandomFailuresAreFlakyNotRegressions(t *testing.T) {
	const releases, checks, rate = 1000, 13, 0.10
	rng := rand.New(rand.NewPCG(8, 2026)) // seeded: the same input every run
	series := make([][]rep, checks)
	flips := 0
	for c := range series {
		for i := 0; i < releases; i++ {
			v := check.Pass
			if rng.Float64() < rate {
				v = check.Fail
			}
			if i > 0 && series[c][i-1].v == check.Pass && v == check.Fail {
				flips++
			}
			series[c] = append(series[c], rep{v: v})
		}
	}
	// The input is the issue's: about 13 × 999 × 0.9 × 0.1 ≈ 1,169 pass →
	// fail flips, each of which the old report called a regression.
	if flips < 1000 || flips > 1350 {
		t.Fatalf("%d pass → fail flips in the input; want about 1,169", flips)
	}
	doc := inMemory(seriesRuns("linux", "stock", series))
	t.Logf("input: %d pass → fail flips; reported: %d regressions, %d fixes, %d flaky", flips, len(doc.Regressions), len(doc.Fixes), len(doc.Flaky))
	for _, f := range doc.Flaky {
		t.Logf("  %s flaky: fail %d of %d (%.1f%%), %d verdict changes", f.Check, f.Failures, f.Runs, 100*f.Rate, f.Changes)
	}
	if len(doc.Regressions) != 0 || len(doc.Fixes) != 0 {
		t.Errorf("%d regressions and %d fixes reported for random failures; want none", len(doc.Regressions), len(doc.Fixes))
	}
	if len(doc.Disagreements) != 0 {
		t.Errorf("%d disagreements: one run per release cannot disagree with itself", len(doc.Disagreements))
	}
	if len(doc.Flaky) != checks {
		t.Fatalf("%d flaky checks reported, want each of the %d once", len(doc.Flaky), checks)
	}
	for _, f := range doc.Flaky {
		if f.Rate < 0.07 || f.Rate > 0.13 || f.Releases != releases || f.Runs != releases || f.FailedReleases != f.Failures {
			t.Errorf("%s: rate %.3f over %d releases (%d runs, %d failed releases); want about 10%% over %d", f.Check, f.Rate, f.Releases, f.Runs, f.FailedReleases, releases)
		}
		if f.From != "linux-1.0" || f.To != fmt.Sprintf("linux-1.%d", releases-1) {
			t.Errorf("%s: flaky from %s to %s, want the whole series", f.Check, f.From, f.To)
		}
	}
	for _, c := range doc.Checks {
		for _, cl := range c.Cells {
			if cl.Mark != "" {
				t.Fatalf("%s on %s marked %s", c.ID, cl.Release, cl.Mark)
			}
		}
		if len(c.History) != 1 || !c.History[0].Flaky {
			t.Errorf("%s: history %+v, want one flaky history", c.ID, c.History)
		}
	}
}

// TestSeries: what a check's verdicts across the releases of one OS and
// profile are reported as. Releases are linux-1.0, linux-1.1, ...
func TestSeries(t *testing.T) {
	tests := []struct {
		name, series string
		regression   string // "from→to", "" for none
		fix          string
		between      string
		flaky        string // "failures/runs over releases", "" when not flaky
		status       string
	}{
		{"a real regression is reported once", "P P P F F F", "1.2→1.3", "", "", "", "fail"},
		{"a real fix is reported once", "F F F P P P", "", "1.2→1.3", "", "", "pass"},
		{"a regression in the latest release", "P P P F", "1.2→1.3", "", "", "", "fail"},
		{"undecided releases in between", "P P E - S F F", "1.1→1.5", "", "1.2 1.3 1.4", "", "fail"},
		{"a never-run check decides nothing", "P N F F", "1.0→1.2", "", "1.1", "", "fail"},
		{"a release whose repetitions mixed, between", "P P 7/3 F F", "1.1→1.3", "", "1.2", "", "fail"},
		{"repeated and consistent", "10/0 10/0 0/10 0/10", "1.1→1.2", "", "", "", "fail"},
		{"stable pass", "P P P", "", "", "", "", "pass"},
		{"stable fail", "F F F", "", "", "", "", "fail"},
		{"regressed then fixed flips back", "P P F F P P", "", "", "", "2/6 over 6", "pass"},
		{"one failure among passes", "P P F P P", "", "", "", "1/5 over 5", "pass"},
		{"a release that flaked among passes", "P P 9/1 P", "", "", "", "1/13 over 4", "pass"},
		{"flaky in the latest release", "P P P 7/3", "", "", "", "3/13 over 4", "flaky"},
		{"flaky in every release", "7/3 8/2 6/4", "", "", "", "9/30 over 3", "flaky"},
		{"errors are never pass nor fail", "P E P E", "", "", "", "", "pass"},
		{"only errors", "E E", "", "", "", "", "undecided"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := inMemory(seriesRuns("linux", "stock", [][]rep{parseSeries(t, tt.series)}))
			tr := func(ts []Transition) (string, string) {
				if len(ts) > 1 {
					t.Fatalf("%d transitions %+v; a change that stays is reported once", len(ts), ts)
				}
				if len(ts) == 0 {
					return "", ""
				}
				var b []string
				for _, r := range ts[0].Between {
					b = append(b, strings.TrimPrefix(r, "linux-"))
				}
				return strings.TrimPrefix(ts[0].From, "linux-") + "→" + strings.TrimPrefix(ts[0].To, "linux-"), strings.Join(b, " ")
			}
			reg, regBetween := tr(doc.Regressions)
			fix, fixBetween := tr(doc.Fixes)
			if reg != tt.regression || fix != tt.fix || regBetween+fixBetween != tt.between {
				t.Errorf("regression %q fix %q between %q; want %q %q %q", reg, fix, regBetween+fixBetween, tt.regression, tt.fix, tt.between)
			}
			flaky := ""
			if len(doc.Flaky) == 1 {
				f := doc.Flaky[0]
				flaky = fmt.Sprintf("%d/%d over %d", f.Failures, f.Runs, f.Releases)
			} else if len(doc.Flaky) > 1 {
				t.Fatalf("flaky reported %d times", len(doc.Flaky))
			}
			if flaky != tt.flaky {
				t.Errorf("flaky %q, want %q", flaky, tt.flaky)
			}
			if h := doc.Checks[0].History; len(h) != 1 || h[0].Status != tt.status || h[0].Flaky != (tt.flaky != "") {
				t.Errorf("history %+v, want status %s", h, tt.status)
			}
			if tt.flaky != "" && (len(doc.Regressions) > 0 || len(doc.Fixes) > 0) {
				t.Errorf("a flaky check also reported as a regression or fix")
			}
		})
	}
}

// TestProfilesAreColumns: one release under two profiles is two columns, and
// their different verdicts are neither a disagreement nor a flip.
func TestProfilesAreColumns(t *testing.T) {
	stock := seriesRuns("linux", "stock", [][]rep{parseSeries(t, "F F F")})
	routed := seriesRuns("linux", "source-routing", [][]rep{parseSeries(t, "P P P")})
	doc := inMemory(append(stock, routed...))
	if len(doc.Releases) != 6 {
		t.Fatalf("%d columns, want 3 releases × 2 profiles", len(doc.Releases))
	}
	var cols []string
	for _, r := range doc.Releases {
		cols = append(cols, r.ID+"/"+r.Profile)
	}
	if got, want := strings.Join(cols, " "), "linux-1.0/stock linux-1.0/source-routing linux-1.1/stock linux-1.1/source-routing linux-1.2/stock linux-1.2/source-routing"; got != want {
		t.Errorf("columns\n got %s\nwant %s", got, want)
	}
	if len(doc.Disagreements)+len(doc.Regressions)+len(doc.Fixes)+len(doc.Flaky) != 0 {
		t.Errorf("profiles read as disagreement or change: %+v %+v %+v %+v", doc.Disagreements, doc.Regressions, doc.Fixes, doc.Flaky)
	}
	var hist []string
	for _, h := range doc.Checks[0].History {
		hist = append(hist, h.Profile+":"+h.Status)
	}
	if got := strings.Join(hist, " "); got != "stock:fail source-routing:pass" {
		t.Errorf("history %s", got)
	}
	// The same runs, all called stock, would disagree in every release.
	for i := range routed {
		routed[i].r.Run.Profile = "stock"
	}
	if doc := inMemory(append(stock, routed...)); len(doc.Disagreements) != 3 {
		t.Errorf("same profile: %d disagreements, want 3", len(doc.Disagreements))
	}
}

// TestFixtureTallies: the fixtures' repeated run (26.5, repeat 10), its flaky
// check, its check that never ran, the version 1 and 2 files, and the page's
// words for each.
func TestFixtureTallies(t *testing.T) {
	_, out, doc := buildFixtures(t)
	versions := map[int]int{}
	for _, r := range doc.Releases {
		for _, run := range r.Runs {
			versions[run.SchemaVersion]++
			if run.SchemaVersion == 1 && run.Repeat != 1 {
				t.Errorf("version 1 run %s: repeat %d, want 1", run.ID, run.Repeat)
			}
		}
	}
	if versions[1] != 5 || versions[2] != 5 {
		t.Errorf("runs by results schema version %v, want 5 of each", versions)
	}

	peer := cell(t, doc, "sockets.mapped-sendto.peer", "macos-26.5-25F71")
	if peer.State != StateMixed || peer.Tally.String() != "fail 3 of 10, pass 7 of 10" || !peer.Runs[0].Flaky || peer.Runs[0].Repetitions == nil {
		t.Errorf("flaky run's cell: %+v", peer)
	}
	var f *Flaky
	for i := range doc.Flaky {
		if doc.Flaky[i].Check == "sockets.mapped-sendto.peer" {
			f = &doc.Flaky[i]
		}
	}
	if len(doc.Flaky) != 1 || f == nil || f.Releases != 6 || f.FailedReleases != 2 || f.Failures != 4 || f.Runs != 16 || f.Latest != StateMixed {
		t.Errorf("flaky: %+v", doc.Flaky)
	}
	notRun := cell(t, doc, "sockets.churn.stream4", "macos-26.5-25F71")
	if notRun.State != "error" || !notRun.Runs[0].NotRun || notRun.Tally.Runs != 0 {
		t.Errorf("never-run cell: %+v", notRun)
	}
	ranError := cell(t, doc, "ipv6.rfc6724.rule5-5", "macos-15.7.5-24G517")
	if ranError.State != "error" || ranError.Runs[0].NotRun {
		t.Errorf("error of a check that ran: %+v", ranError)
	}
	consistent := cell(t, doc, "sockets.churn.stream6", "macos-26.5-25F71")
	if consistent.State != "fail" || consistent.Tally.String() != "fail 10 of 10" {
		t.Errorf("repeated failing cell: %+v", consistent)
	}

	b, err := os.ReadFile(filepath.Join(out, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for id, want := range map[string][]string{
		"sockets.mapped-sendto.peer": {">fail 3 of 10</a>", "≈ flaky", "flaky across releases: failed in 2 of 6 releases, fail 4 of 16 runs (25.0%)"},
		"sockets.churn.stream6":      {">fail 10 of 10</a>", "▼ regressed"},
		"sockets.churn.stream4":      {`class="r v-error notrun"`, ">never ran</a>"},
		"ipv6.rfc6724.rule5-5":       {">error</a>"},
		"ipv6.rfc8028.same-link":     {"Linux, profile stock: failing since Linux 6.9.12 (debian-12); never passed here", "Linux, profile source-routing: passing"},
	} {
		row := rowOf(page, id)
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row %s lacks %q", id, w)
			}
		}
	}
	for _, want := range []string{"Flaky across releases (1)", "fail 4 of 16 (25.0%)", `<th class="rel profile"`, ">source-routing</th>",
		"Verdicts that disagree within a release (2)", "fail 3 of 10, pass 7 of 10"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
