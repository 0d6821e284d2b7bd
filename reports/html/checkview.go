package html

import (
	"bytes"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/netconform/netconform/reports"
)

type checkView struct {
	reports.CheckResult
	Anchor     string
	AsExpected bool
	Duration   string
	Obs        obsView
	Evidence   []evidenceLink
	BugURL     string
	// Tally is the repetitions' tally ("fail 3 of 10, pass 7 of 10") when
	// the check ran more than once; empty otherwise.
	Tally string
	HTML  template.HTML // the rendered section, see checkHTML
}

// obsView holds exactly one rendering of a check's observations.
type obsView struct {
	None    bool
	Invalid string // the observations were not valid JSON: shown as text
	// View is the view whose renderer drew HTML; "" for the generic
	// rendering.
	View string
	HTML template.HTML
}

type evidenceLink struct {
	Path   string
	Href   string
	Exists bool
}

func newCheckView(pageDir, resultsDir string, c reports.CheckResult) checkView {
	v := checkView{CheckResult: c, Anchor: Anchor(c.ID), AsExpected: c.AsExpected(),
		Duration: time.Duration(c.Duration).Round(time.Millisecond).String()}
	if c.Known != nil {
		v.BugURL = BugURL(c.Known.Bug)
	}
	if t := c.TallyOf(); t.Runs > 1 && !c.NotRun {
		v.Tally = t.String()
	}
	v.Obs = observations(c)
	for _, e := range c.Evidence {
		v.Evidence = append(v.Evidence, evidenceOf(pageDir, resultsDir, e))
	}
	v.HTML = checkHTML(&v)
	return v
}

// observations renders c's observations with the renderer of the view the
// result names (reports.CheckResult.ViewName: the result's own view, or for
// a file older than views the one its check had then), falling back to the
// generic rendering (lists of objects become tables) for a check without a
// view of its own and for observations that do not have their view's shape.
//
// The view's renderer decodes the observations itself and refuses what is
// not valid JSON of its shape, so the generic parse is done only when it is
// needed (the regression report renders every run's observations).
func observations(c reports.CheckResult) obsView {
	if raw := bytes.TrimSpace(c.Observations); len(raw) == 0 || string(raw) == "null" {
		return obsView{None: true}
	}
	view := c.ViewName()
	if r, ok := renderers[view]; ok {
		if h, ok := r(c); ok {
			return obsView{View: view, HTML: h}
		}
	}
	val, err := parseJSON(c.Observations)
	if err != nil {
		return obsView{Invalid: string(c.Observations)}
	}
	return obsView{HTML: nodeHTML(genericNode(val))}
}

// evidenceOf links an evidence file when it exists as a regular file under
// resultsDir; a path that is missing, or that climbs out of the results
// directory, is shown as text only.
func evidenceOf(pageDir, resultsDir, rel string) evidenceLink {
	l := evidenceLink{Path: rel}
	clean := filepath.Clean(filepath.FromSlash(rel))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return l
	}
	abs := filepath.Join(resultsDir, clean)
	fi, err := os.Stat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return l
	}
	href, ok := RelHref(pageDir, abs)
	if !ok {
		return l
	}
	l.Href, l.Exists = href, true
	return l
}

// RelHref is a relative URL from a page in pageDir to the file target,
// each path segment escaped, starting with "./" or "../" so no segment is
// read as a URL scheme.
func RelHref(pageDir, target string) (string, bool) {
	from, err1 := filepath.Abs(pageDir)
	to, err2 := filepath.Abs(target)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(from, to)
	if err != nil {
		return "", false
	}
	segs := strings.Split(filepath.ToSlash(rel), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	h := strings.Join(segs, "/")
	if !strings.HasPrefix(h, "../") {
		h = "./" + h
	}
	return h, true
}

var feedbackID = regexp.MustCompile(`^FB(\d{5,12})$`)

// BugURL turns a known failure's bug into a link: Feedback Assistant ids
// (FB12345678) open in Feedback Assistant (for the filer), http(s) URLs are
// used as they are, anything else has no link.
func BugURL(bug string) string {
	bug = strings.TrimSpace(bug)
	if m := feedbackID.FindStringSubmatch(bug); m != nil {
		return "https://feedbackassistant.apple.com/feedback/" + m[1]
	}
	if u, err := url.Parse(bug); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return u.String()
	}
	return ""
}
