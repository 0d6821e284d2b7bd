package regression

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/html"
)

// column is a release under one profile, with its runs, each run's checks
// indexed by id.
type column struct {
	rel    Release
	runs   []loaded
	idx    []map[string]*reports.CheckResult
	render []string // per run: the file to render its report into, "" when it exists
}

// reportPlacer returns, for a run, its report's path relative to the output
// directory (slash-separated) and the file Build must render it into ("" when
// an up-to-date report already exists there). suggested is a unique
// runs/<release>/<run> path inside the output directory.
type reportPlacer func(l loaded, suggested string) (rel, render string)

// compareProfiles puts the stock profile (the OS as it configures itself,
// config's default) first and the others by name.
func compareProfiles(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "stock":
		return -1
	case b == "stock":
		return 1
	}
	return strings.Compare(a, b)
}

// buildDocument merges the runs into the matrix; place decides where each
// run's report.html is (see reportPlacer).
func buildDocument(title string, runs []loaded, skipped []Problem, place reportPlacer) (*Document, []column) {
	sortRuns(runs)
	cols := groupColumns(runs, place)
	rows, ids := checkRows(cols)

	doc := &Document{Schema: DocumentSchema, SchemaVersion: DocumentSchemaVersion, Title: title,
		Skipped: skipped, Regressions: []Transition{}, Fixes: []Transition{}, Flaky: []Flaky{}, Disagreements: []Disagreement{}}
	if doc.Skipped == nil {
		doc.Skipped = []Problem{}
	}
	for _, c := range cols {
		doc.Releases = append(doc.Releases, c.rel)
	}
	for _, id := range ids {
		row := rows[id]
		if row.Labels == nil {
			row.Labels = []string{}
		}
		row.Cells = make([]Cell, len(cols))
		for i, c := range cols {
			row.Cells[i] = cellOf(id, c)
			if cl := &row.Cells[i]; cl.Disagree {
				doc.Disagreements = append(doc.Disagreements, Disagreement{Check: id, Release: cl.Release, Profile: cl.Profile, Tally: cl.Tally, Runs: cl.Runs})
			}
		}
		regs, fixes, flaky := walkSeries(row, cols)
		doc.Regressions = append(doc.Regressions, regs...)
		doc.Fixes = append(doc.Fixes, fixes...)
		doc.Flaky = append(doc.Flaky, flaky...)
		doc.Checks = append(doc.Checks, *row)
	}
	return doc, cols
}

// sortRuns orders the runs by release, then profile, start, run id and
// file.
func sortRuns(runs []loaded) {
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i].r, runs[j].r
		if c := CompareReleases(a.Release, b.Release); c != 0 {
			return c < 0
		}
		if c := compareProfiles(a.Run.Profile, b.Run.Profile); c != 0 {
			return c < 0
		}
		if !a.Run.Start.Equal(b.Run.Start) {
			return a.Run.Start.Before(b.Run.Start)
		}
		if a.Run.ID != b.Run.ID {
			return a.Run.ID < b.Run.ID
		}
		return runs[i].file < runs[j].file
	})
}

// checkRows makes every check seen anywhere a row, with the ids sorted;
// title, spec and labels come from the newest release that has the check.
func checkRows(cols []column) (map[string]*Check, []string) {
	rows := map[string]*Check{}
	for _, c := range cols {
		for _, ix := range c.idx {
			for id, cr := range ix {
				row, ok := rows[id]
				if !ok {
					row = &Check{ID: id}
					rows[id] = row
				}
				row.Title, row.Spec, row.Labels = cr.Title, cr.Spec, cr.Labels
			}
		}
	}
	ids := make([]string, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return rows, ids
}

func groupColumns(runs []loaded, place reportPlacer) []column {
	var cols []column
	type key struct{ release, profile string }
	at := map[key]int{}
	used := map[string]bool{}
	for _, l := range runs {
		k := key{l.r.Release.ID, l.r.Run.Profile}
		i, ok := at[k]
		if !ok {
			i = len(cols)
			at[k] = i
			rel := l.r.Release
			cols = append(cols, column{rel: Release{ID: rel.ID, OS: rel.OS, Name: rel.Name, Version: rel.Version, Build: rel.Build, Profile: l.r.Run.Profile}})
		}
		c := &cols[i]
		rep, render := place(l, uniquePath(used, path.Join("runs", safeName(l.r.Release.ID), safeName(l.r.Run.ID)))+"/"+html.FileName)
		c.render = append(c.render, render)
		c.rel.Runs = append(c.rel.Runs, Run{ID: l.r.Run.ID, Results: l.file, Report: rep,
			Profile: l.r.Run.Profile, ToolVersion: l.r.Run.ToolVersion, Start: l.r.Run.Start, End: l.r.Run.End,
			Kernel: l.r.Release.Kernel, Arch: l.r.Release.Arch, Hardware: l.r.Release.Hardware, Interrupted: l.r.Run.Interrupted,
			SchemaVersion: l.r.SchemaVersion, Repeat: max(1, l.r.Run.Repeat), Selected: l.r.Run.Selected})
		ix := make(map[string]*reports.CheckResult, len(l.r.Checks))
		for k := range l.r.Checks {
			ix[l.r.Checks[k].ID] = &l.r.Checks[k]
		}
		c.runs = append(c.runs, l)
		c.idx = append(c.idx, ix)
	}
	return cols
}

// verdictOrder is the order verdicts are tested in (bits of a kinds set).
var verdictOrder = [...]check.Verdict{check.Pass, check.Fail, check.Error, check.Skip}

// kindsOf is the set of verdicts a tally holds, as bits in verdictOrder.
func kindsOf(t reports.Tally) int {
	kinds := 0
	for i, n := range [...]int{t.Pass, t.Fail, t.Error, t.Skip} {
		if n > 0 {
			kinds |= 1 << i
		}
	}
	return kinds
}

// cellOf is check id on one column: every run's verdict, and the state they
// add up to. Runs that lack the check, and runs that selected it but never
// ran it, do not outvote those that ran it (they are listed, as missing and
// as an error that never ran); repetitions or runs whose verdicts differ
// make the cell mixed.
func cellOf(id string, c column) Cell {
	cell := Cell{Release: c.rel.ID, Profile: c.rel.Profile, Runs: make([]CellRun, len(c.runs))}
	kinds, notRun := 0, false
	for i, ix := range c.idx {
		run := c.rel.Runs[i]
		cr, ok := ix[id]
		if !ok {
			cell.Runs[i] = CellRun{Run: run.ID, Verdict: StateMissing}
			continue
		}
		cell.Runs[i] = CellRun{Run: run.ID, Verdict: string(cr.Verdict), Expected: string(cr.Expected),
			Report: run.Report + "#" + html.Anchor(id), Flaky: cr.Flaky, NotRun: cr.NotRun}
		if cr.Verdict != check.Pass {
			cell.Runs[i].Reason = cr.Reason // a pass's reason repeats itself 100 times over
		}
		if cr.Known != nil {
			cell.Runs[i].Bug = cr.Known.Bug
		}
		if cr.NotRun {
			notRun = true
			continue
		}
		t := cr.TallyOf()
		if kindsOf(t)&kindsOf(oneOf(cr.Verdict)) == 0 {
			// A tally without the run's own verdict (a file written by
			// hand) must not hide it: the verdict counts as one more
			// repetition.
			t.Add(cr.Verdict)
		}
		if t.Runs > 1 {
			cell.Runs[i].Repetitions = &t
		}
		kinds |= kindsOf(t)
		addTally(&cell.Tally, t)
	}
	switch {
	case kinds == 0 && notRun:
		cell.State = string(check.Error)
	case kinds == 0:
		cell.State = StateMissing
	case kinds&(kinds-1) != 0:
		cell.State = StateMixed
	default:
		for i, v := range verdictOrder {
			if kinds == 1<<i {
				cell.State = string(v)
			}
		}
	}
	cell.Disagree = cell.State == StateMixed
	return cell
}

func oneOf(v check.Verdict) reports.Tally {
	var t reports.Tally
	t.Add(v)
	return t
}

func addTally(dst *reports.Tally, t reports.Tally) {
	dst.Runs += t.Runs
	dst.Pass += t.Pass
	dst.Fail += t.Fail
	dst.Error += t.Error
	dst.Skip += t.Skip
}

// Outcomes of a deciding release in a series.
const (
	outPass = iota
	outFail
	outMixed
)

// outcome is what a cell says about the stack: pass (only passes), fail (only
// failures), mixed (both), or ok false when it has neither (missing, error,
// skip, never ran): such a release does not decide the check.
func outcome(c *Cell) (int, bool) {
	switch p, f := c.Tally.Pass > 0, c.Tally.Fail > 0; {
	case p && f:
		return outMixed, true
	case f:
		return outFail, true
	case p:
		return outPass, true
	}
	return 0, false
}

var outName = [...]string{outPass: "pass", outFail: "fail", outMixed: StateMixed}

// walkSeries looks at the check on each OS under each profile, across that
// pair's releases in order (docs/regression-schema.md, "Regressions, fixes
// and flaky checks"). Only releases with at least one pass or fail
// repetition decide; their outcomes are pass, fail or mixed. The series is:
//   - stable when every deciding release has the same pure outcome;
//   - one regression when it reads pass+ mixed* fail+ (every release up to
//     the last good one passed, every release from the first bad one on
//     failed: a change that stays), one fix when fail+ mixed* pass+;
//   - flaky otherwise (the verdict changed more than once, or a release
//     mixed pass and fail outside such a change): reported once, with its
//     failure rate, and no regression or fix.
//
// It also fills the row's history per OS and profile and marks the cells.
func walkSeries(row *Check, cols []column) (regs, fixes []Transition, flaky []Flaky) {
	for _, s := range seriesOf(cols) {
		dec, outs, ranHere := s.decided(row)
		if !ranHere {
			continue
		}
		h := OSHistory{OS: s.os, Profile: s.profile, Status: StatusUndecided}
		if len(dec) == 0 {
			row.History = append(row.History, h)
			continue
		}
		h.lastGoodFirstBad(cols, dec, outs)
		from, to, ok := oneChange(outs)
		switch {
		case ok && from < 0: // stable
		case ok:
			t := s.transition(row.ID, cols, dec[from], dec[to])
			if outs[to] == outFail {
				regs = append(regs, t)
				row.Cells[dec[to]].Mark = "regressed"
			} else {
				fixes = append(fixes, t)
				row.Cells[dec[to]].Mark = "fixed"
			}
		default:
			flaky = append(flaky, s.flaky(row, cols, dec, outs))
			h.Flaky = true
		}
		row.History = append(row.History, h)
	}
	if row.History == nil {
		row.History = []OSHistory{}
	}
	return regs, fixes, flaky
}

// series is the columns of one OS and profile, in order.
type series struct {
	os, profile string
	cols        []int // every column of the pair, in order
}

func seriesOf(cols []column) []*series {
	var order []*series
	byKey := map[[2]string]*series{}
	for i, c := range cols {
		k := [2]string{c.rel.OS, c.rel.Profile}
		s, ok := byKey[k]
		if !ok {
			s = &series{os: c.rel.OS, profile: c.rel.Profile}
			byKey[k] = s
			order = append(order, s)
		}
		s.cols = append(s.cols, i)
	}
	return order
}

// decided returns the series' deciding columns with their outcomes, and
// whether the check ran in the series at all.
func (s *series) decided(row *Check) (dec, outs []int, ranHere bool) {
	for _, i := range s.cols {
		if row.Cells[i].State != StateMissing {
			ranHere = true
		}
		if o, ok := outcome(&row.Cells[i]); ok {
			dec = append(dec, i)
			outs = append(outs, o)
		}
	}
	return dec, outs, ranHere
}

// lastGoodFirstBad sets the status from the latest outcome, and the last
// good and first bad release as a bisection would use them: mixed releases
// neither pass nor start a run of failures.
func (h *OSHistory) lastGoodFirstBad(cols []column, dec, outs []int) {
	lastPass, firstBad := -1, -1
	for k, i := range dec {
		switch outs[k] {
		case outPass:
			lastPass, firstBad = i, -1
		case outFail:
			if firstBad < 0 {
				firstBad = i
			}
		}
	}
	switch outs[len(outs)-1] {
	case outPass:
		h.Status = string(check.Pass)
	case outFail:
		h.Status = string(check.Fail)
		h.FirstBad = cols[firstBad].rel.ID
	case outMixed:
		h.Status = StatusFlaky
	}
	if lastPass >= 0 {
		h.LastGood = cols[lastPass].rel.ID
	}
}

// transition is the change from column from to column to, with the
// releases between them that did not decide.
func (s *series) transition(checkID string, cols []column, from, to int) Transition {
	t := Transition{Check: checkID, OS: s.os, Profile: s.profile, From: cols[from].rel.ID, To: cols[to].rel.ID}
	for _, i := range s.cols {
		if i > from && i < to {
			t.Between = append(t.Between, cols[i].rel.ID)
		}
	}
	return t
}

// flaky is the series' flakiness: its releases, runs, failures and rate.
func (s *series) flaky(row *Check, cols []column, dec, outs []int) Flaky {
	f := Flaky{Check: row.ID, OS: s.os, Profile: s.profile, From: cols[dec[0]].rel.ID, To: cols[dec[len(dec)-1]].rel.ID,
		Releases: len(dec), Latest: outName[outs[len(outs)-1]]}
	for k, i := range dec {
		t := row.Cells[i].Tally
		f.Runs += t.Pass + t.Fail
		f.Failures += t.Fail
		if outs[k] != outPass {
			f.FailedReleases++
		}
		if k > 0 && outs[k] != outs[k-1] {
			f.Changes++
		}
	}
	if f.Runs > 0 {
		f.Rate = float64(f.Failures) / float64(f.Runs)
	}
	return f
}

// oneChange reads a series of outcomes. ok with from < 0: stable (one pure
// outcome throughout). ok with from >= 0: exactly one change that stays,
// outs[from] being the last release of the old outcome and outs[to] the first
// of the new one, with only mixed releases in between. Not ok: flaky.
func oneChange(outs []int) (from, to int, ok bool) {
	i := 0
	for i < len(outs) && outs[i] == outs[0] {
		i++
	}
	if outs[0] == outMixed {
		return 0, 0, false
	}
	if i == len(outs) {
		return -1, -1, true
	}
	from = i - 1
	for i < len(outs) && outs[i] == outMixed {
		i++
	}
	if i == len(outs) {
		return 0, 0, false // ends in mixed releases: nothing stayed
	}
	to = i
	for ; i < len(outs); i++ {
		if outs[i] != outs[to] {
			return 0, 0, false
		}
	}
	if outs[to] == outs[from] {
		return 0, 0, false // pass mixed pass: a release that flaked
	}
	return from, to, true
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._+-]+`)

// safeName makes an id from a results file (which we do not trust) usable as
// one path element.
func safeName(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(s, "_"), "._")
	if s == "" {
		s = "_"
	}
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}

func uniquePath(used map[string]bool, p string) string {
	q := p
	for n := 2; used[q]; n++ {
		q = p + "-" + strconv.Itoa(n)
	}
	used[q] = true
	return q
}
