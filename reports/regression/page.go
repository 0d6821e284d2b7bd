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
	Columns       []columnView
	Rows          []rowView
	Regressions   []transitionView
	Fixes         []transitionView
	Disagreements []disagreementView
}

type osGroup struct {
	OS, Label string
	Span      int
}

type columnView struct {
	ID, OS, Label, Title string
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
	Runs            []runView
}

type runView struct {
	Verdict, Href, Title string
}

type transitionView struct {
	Transition
	OSLabel string
	Links   []linkView
}

type linkView struct{ Href, Label string }

type disagreementView struct {
	Check, Release, OS string
	Runs               []disRunView
}

type disRunView struct {
	Run, Verdict, Href, Machine string
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

func newPageView(doc *Document) *pageView {
	v := &pageView{CSS: html.StyleSheet(), Script: template.JS(filterScript), CSP: csp, Doc: doc}
	relByID := map[string]Release{}
	runByKey := map[string]Run{}
	for _, r := range doc.Releases {
		relByID[r.ID] = r
		v.NumRuns += len(r.Runs)
		if n := len(v.OSGroups); n > 0 && v.OSGroups[n-1].OS == r.OS {
			v.OSGroups[n-1].Span++
		} else {
			v.OSGroups = append(v.OSGroups, osGroup{OS: r.OS, Label: osLabel(r.OS), Span: 1})
			v.OSes = append(v.OSes, r.OS)
		}
		title := r.Name + " " + releaseLabel(r) + " · " + r.ID
		if len(r.Runs) > 1 {
			title += " · " + strconv.Itoa(len(r.Runs)) + " runs"
		}
		v.Columns = append(v.Columns, columnView{ID: r.ID, OS: r.OS, Label: clip(releaseLabel(r), 32), Title: title})
		for _, run := range r.Runs {
			runByKey[r.ID+"\x00"+run.ID] = run
		}
	}
	label := func(id string) string {
		if r, ok := relByID[id]; ok {
			return osLabel(r.OS) + " " + releaseLabel(r)
		}
		return id
	}
	labels := map[string]bool{}
	for _, c := range doc.Checks {
		for _, l := range c.Labels {
			labels[l] = true
		}
		row := rowView{ID: c.ID, Labels: strings.Join(c.Labels, " ")}
		for _, h := range c.History {
			row.History = append(row.History, historyText(h, label))
		}
		for i, cell := range c.Cells {
			cv := cellView{OS: doc.Releases[i].OS, State: cell.State, Mark: cell.Mark}
			for _, r := range cell.Runs {
				cv.Runs = append(cv.Runs, runView{Verdict: r.Verdict, Href: runHref(r, runByKey[cell.Release+"\x00"+r.Run], c.ID), Title: runTitle(r, runByKey[cell.Release+"\x00"+r.Run])})
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

	cellRuns := func(check, rel string) []CellRun {
		// A few transitions per report: a scan is fine.
		for _, c := range doc.Checks {
			if c.ID != check {
				continue
			}
			for _, cell := range c.Cells {
				if cell.Release == rel {
					return cell.Runs
				}
			}
		}
		return nil
	}
	trans := func(ts []Transition) []transitionView {
		var out []transitionView
		for _, t := range ts {
			tv := transitionView{Transition: t, OSLabel: osLabel(t.OS)}
			tv.From, tv.To = label(t.From), label(t.To)
			tv.Between = make([]string, len(t.Between)) // the document's slice stays ids
			for i, b := range t.Between {
				tv.Between[i] = label(b)
			}
			for _, r := range cellRuns(t.Check, t.To) {
				if r.Report != "" {
					tv.Links = append(tv.Links, linkView{Href: runHref(r, runByKey[t.To+"\x00"+r.Run], t.Check), Label: "run " + r.Run})
				}
			}
			out = append(out, tv)
		}
		return out
	}
	v.Regressions, v.Fixes = trans(doc.Regressions), trans(doc.Fixes)
	for _, d := range doc.Disagreements {
		dv := disagreementView{Check: d.Check, Release: label(d.Release), OS: relByID[d.Release].OS}
		for _, r := range d.Runs {
			run := runByKey[d.Release+"\x00"+r.Run]
			dv.Runs = append(dv.Runs, disRunView{Run: r.Run, Verdict: r.Verdict, Href: runHref(r, run, d.Check), Machine: machine(run)})
		}
		v.Disagreements = append(v.Disagreements, dv)
	}
	return v
}

func historyText(h OSHistory, label func(string) string) string {
	switch h.Status {
	case "fail":
		s := osLabel(h.OS) + ": failing since " + label(h.FirstBad)
		if h.LastGood != "" {
			return s + "; last good " + label(h.LastGood)
		}
		return s + "; never passed here"
	case "pass":
		return osLabel(h.OS) + ": passing"
	}
	return osLabel(h.OS) + ": undecided"
}

func machine(r Run) string {
	parts := []string{}
	for _, p := range []string{r.Hardware, r.Arch, r.Profile} {
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
	b.WriteString(": " + c.Verdict)
	if c.Verdict == StateMissing {
		b.WriteString(": this run did not have the check")
		return b.String()
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
