package regression

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/netconform/netconform/reports/html"
)

//go:embed templates/regression.html.tmpl templates/filter.js
var templateFS embed.FS

var (
	pageTemplate = template.Must(template.New("regression.html.tmpl").ParseFS(templateFS, "templates/regression.html.tmpl"))
	filterScript = mustRead("templates/filter.js")
	// csp lets only our own filter script run (by its hash) and nothing load
	// from the network: should escaping ever fail, an injected script still
	// would not execute.
	csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" + scriptHash(filterScript) + "'"
)

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func scriptHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

type pageView struct {
	CSS           template.CSS
	Script        template.JS
	CSP           string
	Doc           *Document
	NumRuns       int
	OSes          []string
	Labels        []string
	OSGroups      []osGroup
	MultiProfile  bool          // more than one profile: a header row names each column's
	ReleaseGroups []columnGroup // the release header row when MultiProfile
	Columns       []columnView
	Rows          []rowView
	Regressions   []transitionView
	Fixes         []transitionView
	Flaky         []flakyView
	Disagreements []disagreementView
}

type osGroup struct {
	OS, Label string
	Span      int
}

// columnGroup is a release heading over its profile columns.
type columnGroup struct {
	ID, OS, Label, Title string
	Span                 int
}

type columnView struct {
	ID, OS, Label, Title, Profile string
}

type rowView struct {
	ID      string
	Labels  string
	History []string
	Cells   []cellView
	HTML    template.HTML
}

type cellView struct {
	OS, State, Mark string
	Flaky           bool // the cell's OS and profile series is flaky
	Runs            []runView
}

type runView struct {
	Verdict, Text, Href, Title string
	Flaky, NotRun              bool
}

type transitionView struct {
	Transition
	OSLabel string
	Links   []linkView
}

type linkView struct{ Href, Label string }

type flakyView struct {
	Flaky
	OSLabel, FromLabel, ToLabel, Rate, FailedReleases, Latest string
}

type disagreementView struct {
	Check, Release, OS, Profile, Tally string
	Runs                               []disRunView
}

type disRunView struct {
	Run, Verdict, Text, Href, Machine string
	NotRun                            bool
}

func renderPage(doc *Document) ([]byte, error) {
	v := newPageView(doc)
	var buf bytes.Buffer
	buf.Grow(256 + 120*len(doc.Checks)*max(1, len(doc.Releases)))
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func osLabel(os string) string {
	switch os {
	case "macos":
		return "macOS"
	case "linux":
		return "Linux"
	}
	return os
}

// releaseLabel is how a column is headed: version and build.
func releaseLabel(r Release) string {
	if r.Build != "" {
		return r.Version + " (" + r.Build + ")"
	}
	if r.Version != "" {
		return r.Version
	}
	return r.ID
}

// profileLabel names a profile; a results file without one says nothing.
func profileLabel(p string) string {
	if p == "" {
		return "no profile named"
	}
	return p
}

// runText is what a cell shows for one run: its verdict, with the tally of
// that verdict when the run repeated the check ("fail 3 of 10"), or "never
// ran" for a check the run selected and never ran (an error, told apart from
// an error verdict of a check that ran).
func runText(r CellRun) string {
	switch {
	case r.NotRun:
		return "never ran"
	case r.Repetitions != nil && r.Repetitions.Runs > 1:
		n := 0
		switch r.Verdict {
		case "pass":
			n = r.Repetitions.Pass
		case "fail":
			n = r.Repetitions.Fail
		case "error":
			n = r.Repetitions.Error
		case "skip":
			n = r.Repetitions.Skip
		default:
			return r.Verdict
		}
		return r.Verdict + " " + strconv.Itoa(n) + " of " + strconv.Itoa(r.Repetitions.Runs)
	}
	return r.Verdict
}

func percent(f float64) string {
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

// pageIndex finds a release or a run of the document by id while the view
// is built.
type pageIndex struct {
	rel map[string]Release
	run map[string]Run // by release id + "\x00" + run id
}

func (ix pageIndex) runOf(release, run string) Run { return ix.run[release+"\x00"+run] }

// label is how a release is named in the page: OS, version and build.
func (ix pageIndex) label(id string) string {
	if r, ok := ix.rel[id]; ok {
		return osLabel(r.OS) + " " + releaseLabel(r)
	}
	return id
}

func newPageView(doc *Document) *pageView {
	v := &pageView{CSS: html.StyleSheet(), Script: template.JS(filterScript), CSP: csp, Doc: doc}
	ix := v.addColumns(doc)
	v.addRows(doc, ix)
	v.Regressions, v.Fixes = transitionViews(doc, ix, doc.Regressions), transitionViews(doc, ix, doc.Fixes)
	v.Flaky = flakyViews(doc, ix)
	v.Disagreements = disagreementViews(doc, ix)
	return v
}

// addColumns heads the matrix: one column per release and profile, grouped
// by OS and (with several profiles) by release.
func (v *pageView) addColumns(doc *Document) pageIndex {
	ix := pageIndex{rel: map[string]Release{}, run: map[string]Run{}}
	profiles := map[string]bool{}
	for _, r := range doc.Releases {
		profiles[r.Profile] = true
	}
	v.MultiProfile = len(profiles) > 1
	for _, r := range doc.Releases {
		ix.rel[r.ID] = r
		v.NumRuns += len(r.Runs)
		if n := len(v.OSGroups); n > 0 && v.OSGroups[n-1].OS == r.OS {
			v.OSGroups[n-1].Span++
		} else {
			v.OSGroups = append(v.OSGroups, osGroup{OS: r.OS, Label: osLabel(r.OS), Span: 1})
			v.OSes = append(v.OSes, r.OS)
		}
		relTitle := r.Name + " " + releaseLabel(r) + " · " + r.ID
		if n := len(v.ReleaseGroups); n > 0 && v.ReleaseGroups[n-1].ID == r.ID {
			v.ReleaseGroups[n-1].Span++
		} else {
			v.ReleaseGroups = append(v.ReleaseGroups, columnGroup{ID: r.ID, OS: r.OS, Label: clip(releaseLabel(r), 32), Title: relTitle, Span: 1})
		}
		title := relTitle + " · profile " + profileLabel(r.Profile)
		if len(r.Runs) > 1 {
			title += " · " + strconv.Itoa(len(r.Runs)) + " runs"
		}
		v.Columns = append(v.Columns, columnView{ID: r.ID, OS: r.OS, Label: clip(releaseLabel(r), 32), Title: title, Profile: clip(profileLabel(r.Profile), 24)})
		for _, run := range r.Runs {
			ix.run[r.ID+"\x00"+run.ID] = run
		}
	}
	return ix
}

// addRows adds one row per check: its history per OS and profile, and a
// cell per column with the runs' verdicts; and the labels to filter by.
func (v *pageView) addRows(doc *Document, ix pageIndex) {
	flakyOf := make(map[[3]string]*Flaky, len(doc.Flaky))
	for i := range doc.Flaky {
		f := &doc.Flaky[i]
		flakyOf[[3]string{f.Check, f.OS, f.Profile}] = f
	}
	labels := map[string]bool{}
	for _, c := range doc.Checks {
		for _, l := range c.Labels {
			labels[l] = true
		}
		row := rowView{ID: c.ID, Labels: strings.Join(c.Labels, " ")}
		flakySeries := map[[2]string]bool{}
		for _, h := range c.History {
			row.History = append(row.History, historyText(h, ix.label, v.MultiProfile, flakyOf[[3]string{c.ID, h.OS, h.Profile}]))
			if h.Flaky {
				flakySeries[[2]string{h.OS, h.Profile}] = true
			}
		}
		for i, cell := range c.Cells {
			rel := doc.Releases[i]
			cv := cellView{OS: rel.OS, State: cell.State, Mark: cell.Mark, Flaky: flakySeries[[2]string{rel.OS, rel.Profile}]}
			for _, r := range cell.Runs {
				run := ix.runOf(cell.Release, r.Run)
				cv.Runs = append(cv.Runs, runView{Verdict: r.Verdict, Text: runText(r), Href: runHref(r, run, c.ID), Title: runTitle(r, run),
					Flaky: r.Flaky, NotRun: r.NotRun})
			}
			row.Cells = append(row.Cells, cv)
		}
		row.HTML = rowHTML(&row)
		v.Rows = append(v.Rows, row)
	}
	for l := range labels {
		v.Labels = append(v.Labels, l)
	}
	sort.Strings(v.Labels)
}

// cellRuns are the runs of a check in one release and profile.
func cellRuns(doc *Document, check, rel, profile string) []CellRun {
	// A few transitions per report: a scan is fine.
	for _, c := range doc.Checks {
		if c.ID != check {
			continue
		}
		for _, cell := range c.Cells {
			if cell.Release == rel && cell.Profile == profile {
				return cell.Runs
			}
		}
	}
	return nil
}

// transitionViews names the releases of regressions or fixes and links the
// runs that show them.
func transitionViews(doc *Document, ix pageIndex, ts []Transition) []transitionView {
	var out []transitionView
	for _, t := range ts {
		tv := transitionView{Transition: t, OSLabel: osLabel(t.OS)}
		tv.From, tv.To, tv.Profile = ix.label(t.From), ix.label(t.To), profileLabel(t.Profile)
		tv.Between = make([]string, len(t.Between)) // the document's slice stays ids
		for i, b := range t.Between {
			tv.Between[i] = ix.label(b)
		}
		for _, r := range cellRuns(doc, t.Check, t.To, t.Profile) {
			if r.Report != "" {
				tv.Links = append(tv.Links, linkView{Href: runHref(r, ix.runOf(t.To, r.Run), t.Check), Label: "run " + r.Run})
			}
		}
		out = append(out, tv)
	}
	return out
}

func flakyViews(doc *Document, ix pageIndex) []flakyView {
	var out []flakyView
	for _, f := range doc.Flaky {
		fv := flakyView{Flaky: f, OSLabel: osLabel(f.OS), FromLabel: ix.label(f.From), ToLabel: ix.label(f.To),
			Rate:           "fail " + strconv.Itoa(f.Failures) + " of " + strconv.Itoa(f.Runs) + " (" + percent(f.Rate) + ")",
			FailedReleases: strconv.Itoa(f.FailedReleases) + " of " + strconv.Itoa(f.Releases),
			Latest:         latestText(f.Latest)}
		fv.Profile = profileLabel(f.Profile) // the view's copy; the document keeps the file's value
		out = append(out, fv)
	}
	return out
}

func disagreementViews(doc *Document, ix pageIndex) []disagreementView {
	var out []disagreementView
	for _, d := range doc.Disagreements {
		dv := disagreementView{Check: d.Check, Release: ix.label(d.Release), OS: ix.rel[d.Release].OS, Profile: profileLabel(d.Profile), Tally: d.Tally.String()}
		for _, r := range d.Runs {
			run := ix.runOf(d.Release, r.Run)
			text := runText(r)
			if r.Repetitions != nil {
				text = r.Repetitions.String()
			}
			dv.Runs = append(dv.Runs, disRunView{Run: r.Run, Verdict: r.Verdict, Text: text, Href: runHref(r, run, d.Check), Machine: machine(run), NotRun: r.NotRun})
		}
		out = append(out, dv)
	}
	return out
}

func latestText(o string) string {
	if o == StateMixed {
		return "pass and fail"
	}
	return o
}

// historyText is a row's line for one OS and profile; f is the check's flaky
// entry there, if any.
func historyText(h OSHistory, label func(string) string, multiProfile bool, f *Flaky) string {
	where := osLabel(h.OS)
	if multiProfile {
		where += ", profile " + profileLabel(h.Profile)
	}
	var s string
	switch h.Status {
	case "fail":
		s = where + ": failing since " + label(h.FirstBad)
		if h.LastGood != "" {
			s += "; last good " + label(h.LastGood)
		} else {
			s += "; never passed here"
		}
	case "pass":
		s = where + ": passing"
	case StatusFlaky:
		s = where + ": pass and fail in its latest release"
	default:
		s = where + ": undecided"
	}
	if f != nil {
		s += " · flaky across releases: failed in " + strconv.Itoa(f.FailedReleases) + " of " + strconv.Itoa(f.Releases) +
			" releases, fail " + strconv.Itoa(f.Failures) + " of " + strconv.Itoa(f.Runs) + " runs (" + percent(f.Rate) + ")"
	}
	return s
}

func machine(r Run) string {
	parts := []string{}
	for _, p := range []string{r.Hardware, r.Arch} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

func runTitle(c CellRun, run Run) string {
	var b strings.Builder
	b.WriteString("run " + c.Run)
	if m := machine(run); m != "" {
		b.WriteString(" (" + m + ")")
	}
	if c.Verdict == StateMissing {
		b.WriteString(": missing: this run did not have the check")
		return b.String()
	}
	if c.NotRun {
		b.WriteString(": error: selected but never ran")
	} else {
		b.WriteString(": " + c.Verdict)
	}
	if c.Repetitions != nil {
		b.WriteString(" (" + c.Repetitions.String() + ")")
	}
	if c.Flaky {
		b.WriteString(", flaky")
	}
	if c.Bug != "" {
		b.WriteString(", known failure " + c.Bug)
	}
	if c.Verdict != "pass" && c.Reason != "" {
		r := c.Reason
		if len(r) > 300 {
			r = r[:300] + "…"
		}
		b.WriteString(" — " + r)
	}
	return b.String()
}

// runHref links a run's verdict to the check's section of the run's report,
// or is empty when the run did not have the check.
func runHref(c CellRun, run Run, checkID string) string {
	if c.Report == "" || run.Report == "" {
		return ""
	}
	return href(run.Report, html.Anchor(checkID))
}

// href makes a URL of a report path relative to the output directory
// ("runs/r/n/report.html", "../out/r/report.html") and a fragment: each
// segment escaped, and "./" in front so no segment reads as a URL scheme.
func href(report, fragment string) string {
	segs := strings.Split(report, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	h := strings.Join(segs, "/")
	if !strings.HasPrefix(h, "../") {
		h = "./" + h
	}
	if fragment != "" {
		h += "#" + url.PathEscape(fragment)
	}
	return h
}

// clip shortens a column heading (set vertically, so a long build string
// would make the header as tall as a screen); the full text is its title.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
