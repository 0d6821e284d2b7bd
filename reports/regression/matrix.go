package regression

import (
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/html"
)

// column is a release with its runs, each run's checks indexed by id.
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

// buildDocument merges the runs into the matrix; place decides where each
// run's report.html is (see reportPlacer).
func buildDocument(title string, runs []loaded, skipped []Problem, place reportPlacer) (*Document, []column) {
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i].r, runs[j].r
		if c := CompareReleases(a.Release, b.Release); c != 0 {
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
	cols := groupColumns(runs, place)

	// Every check seen anywhere is a row; title, spec and labels come from
	// the newest release that has the check.
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

	doc := &Document{Schema: DocumentSchema, SchemaVersion: DocumentSchemaVersion, Title: title,
		Skipped: skipped, Regressions: []Transition{}, Fixes: []Transition{}, Disagreements: []Disagreement{}}
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
			if row.Cells[i].Disagree {
				doc.Disagreements = append(doc.Disagreements, Disagreement{Check: id, Release: c.rel.ID, Runs: row.Cells[i].Runs})
			}
		}
		regs, fixes := transitions(row, cols)
		doc.Regressions = append(doc.Regressions, regs...)
		doc.Fixes = append(doc.Fixes, fixes...)
		doc.Checks = append(doc.Checks, *row)
	}
	return doc, cols
}

func groupColumns(runs []loaded, place reportPlacer) []column {
	var cols []column
	at := map[string]int{}
	used := map[string]bool{}
	for _, l := range runs {
		i, ok := at[l.r.Release.ID]
		if !ok {
			i = len(cols)
			at[l.r.Release.ID] = i
			rel := l.r.Release
			cols = append(cols, column{rel: Release{ID: rel.ID, OS: rel.OS, Name: rel.Name, Version: rel.Version, Build: rel.Build}})
		}
		c := &cols[i]
		rep, render := place(l, uniquePath(used, path.Join("runs", safeName(l.r.Release.ID), safeName(l.r.Run.ID)))+"/"+html.FileName)
		c.render = append(c.render, render)
		c.rel.Runs = append(c.rel.Runs, Run{ID: l.r.Run.ID, Results: l.file, Report: rep,
			Profile: l.r.Run.Profile, ToolVersion: l.r.Run.ToolVersion, Start: l.r.Run.Start, End: l.r.Run.End,
			Kernel: l.r.Release.Kernel, Arch: l.r.Release.Arch, Hardware: l.r.Release.Hardware, Interrupted: l.r.Run.Interrupted})
		ix := make(map[string]*reports.CheckResult, len(l.r.Checks))
		for k := range l.r.Checks {
			ix[l.r.Checks[k].ID] = &l.r.Checks[k]
		}
		c.runs = append(c.runs, l)
		c.idx = append(c.idx, ix)
	}
	return cols
}

// cellOf is check id on one release: every run's verdict, and the state they
// add up to. Runs that lack the check do not outvote those that have it, but
// are listed as missing; runs whose verdicts differ make the cell mixed.
func cellOf(id string, c column) Cell {
	cell := Cell{Release: c.rel.ID, Runs: make([]CellRun, len(c.runs))}
	state := ""
	for i, ix := range c.idx {
		run := c.rel.Runs[i]
		cr, ok := ix[id]
		if !ok {
			cell.Runs[i] = CellRun{Run: run.ID, Verdict: StateMissing}
			continue
		}
		v := string(cr.Verdict)
		cell.Runs[i] = CellRun{Run: run.ID, Verdict: v, Expected: string(cr.Expected),
			Report: run.Report + "#" + html.Anchor(id)}
		if cr.Verdict != check.Pass {
			cell.Runs[i].Reason = cr.Reason // a pass's reason repeats itself 100 times over
		}
		if cr.Known != nil {
			cell.Runs[i].Bug = cr.Known.Bug
		}
		switch state {
		case "":
			state = v
		case v:
		default:
			state = StateMixed
		}
	}
	if state == "" {
		state = StateMissing
	}
	cell.State = state
	cell.Disagree = state == StateMixed
	return cell
}

// transitions walks the releases of each OS in order, comparing each release
// that decided the check (pass or fail) with the previous one that did.
// Releases in between that did not decide (missing, error, skip, mixed) are
// listed, never read as a pass. It also fills the row's per-OS history.
func transitions(row *Check, cols []column) (regs, fixes []Transition) {
	type osState struct {
		prev     int // index of the previous deciding release, -1 if none
		between  []string
		lastPass int
		firstBad int
	}
	states := map[string]*osState{}
	var order []string
	for i, c := range cols {
		os := c.rel.OS
		st, ok := states[os]
		if !ok {
			st = &osState{prev: -1, lastPass: -1, firstBad: -1}
			states[os] = st
		}
		cell := &row.Cells[i]
		if cell.State != StateMissing && !slices.Contains(order, os) {
			order = append(order, os)
		}
		s := cell.State
		if s != string(check.Pass) && s != string(check.Fail) {
			if st.prev >= 0 {
				st.between = append(st.between, c.rel.ID)
			}
			continue
		}
		if st.prev >= 0 {
			prev := row.Cells[st.prev].State
			t := Transition{Check: row.ID, OS: os, From: cols[st.prev].rel.ID, To: c.rel.ID, Between: st.between}
			switch {
			case prev == string(check.Pass) && s == string(check.Fail):
				regs = append(regs, t)
				cell.Mark = "regressed"
			case prev == string(check.Fail) && s == string(check.Pass):
				fixes = append(fixes, t)
				cell.Mark = "fixed"
			}
		}
		if s == string(check.Pass) {
			st.lastPass, st.firstBad = i, -1
		} else if st.firstBad < 0 {
			st.firstBad = i
		}
		st.prev, st.between = i, nil
	}
	for _, os := range order {
		st := states[os]
		h := OSHistory{OS: os, Status: "undecided"}
		if st.prev >= 0 {
			h.Status = row.Cells[st.prev].State
		}
		if h.Status == string(check.Fail) {
			h.FirstBad = cols[st.firstBad].rel.ID
			if st.lastPass >= 0 {
				h.LastGood = cols[st.lastPass].rel.ID
			}
		} else if st.lastPass >= 0 {
			h.LastGood = cols[st.lastPass].rel.ID
		}
		row.History = append(row.History, h)
	}
	if row.History == nil {
		row.History = []OSHistory{}
	}
	return regs, fixes
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
