package html

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/netconform/netconform/check"
)

// checkHTML renders one check's section. Like nodeHTML it is Go rather than
// template code because the regression report renders thousands of checks
// and html/template's reflection dominated its time (4× slower). The rules
// that keep it safe: every value from results.json goes through esc (which
// escapes quotes too, so it is safe in attributes), class names come from
// closed sets (verdictClass), and the only URLs are evidence paths built by
// RelHref (relative, segment-escaped) and BugURL (http or https only).
func checkHTML(c *checkView) template.HTML {
	var b strings.Builder
	b.Grow(4096)
	vc := verdictClass(c.Verdict)
	b.WriteString(`<section class="check c-` + vc + `" id="` + esc(c.Anchor) + `">` + "\n")
	writeCheckHead(&b, c, vc)
	writeCheckMeta(&b, c)
	b.WriteString("<details open><summary>Observations</summary>\n")
	writeObservations(&b, &c.Obs)
	b.WriteString("</details>\n")
	writeEvidenceList(&b, c.Evidence)
	b.WriteString("</section>\n")
	return template.HTML(b.String()) //nolint:gosec // see the rules above
}

// writeCheckHead: the verdict's badges, the id, whether it was expected,
// the title and the reason.
func writeCheckHead(b *strings.Builder, c *checkView, vc string) {
	w := b.WriteString
	w(`<div class="check-head"><span class="badge v-` + vc + `">` + esc(string(c.Verdict)) + `</span>`)
	if c.NotRun {
		w(`<span class="badge v-error notrun">never ran</span>`)
	}
	if c.Tally != "" {
		w(`<span class="tally">` + esc(c.Tally) + `</span>`)
	}
	if c.Flaky {
		w(`<span class="badge v-mixed">flaky</span>`)
	}
	w(`<h3><span class="id">` + esc(c.ID) + `</span></h3>`)
	if c.AsExpected {
		w(`<span class="muted">as expected</span>`)
	} else {
		w(`<strong class="disagrees">not as expected (expected ` + esc(string(c.Expected)) + `)</strong>`)
	}
	w("</div>\n")
	if c.Title != "" {
		w(`<p><strong>` + esc(c.Title) + `</strong></p>`)
	}
	if c.NotRun {
		// An error that is not about the stack, nor about a check that
		// ran and could not decide: the check never ran.
		w(`<p class="reason"><strong>Selected but never ran</strong> (counted as an error; nothing was observed): ` + esc(c.Reason) + "</p>\n")
	} else {
		w(`<p class="reason">` + esc(c.Reason) + "</p>\n")
	}
}

// writeCheckMeta: verdict, expectation and known failure, repetitions,
// spec, labels, duration and the bug link.
func writeCheckMeta(b *strings.Builder, c *checkView) {
	w := b.WriteString
	w(`<dl class="meta"><dt>verdict</dt><dd>` + esc(string(c.Verdict)) + `</dd><dt>expected</dt><dd>` + esc(string(c.Expected)))
	if k := c.Known; k != nil {
		bug := k.Bug
		if bug == "" {
			bug = "none recorded"
		}
		w(` — known failure: ` + esc(k.Reason) + ` (bug ` + esc(bug) + `)`)
	}
	w(`</dd>`)
	if c.Tally != "" {
		w(`<dt>repetitions</dt><dd class="tally">` + esc(c.Tally))
		if c.Flaky {
			w(` (flaky: the repetitions disagree; any fail makes the verdict fail)`)
		}
		w(`</dd>`)
	}
	w(`<dt>spec</dt><dd>` + esc(c.Spec) + `</dd><dt>labels</dt><dd class="labels">`)
	for _, l := range c.Labels {
		w(`<span class="label">` + esc(l) + `</span>`)
	}
	if len(c.Labels) == 0 {
		w("–")
	}
	w(`</dd><dt>duration</dt><dd>` + esc(c.Duration) + `</dd>`)
	if c.BugURL != "" {
		w(`<dt>bug</dt><dd><a href="` + esc(c.BugURL) + `">` + esc(c.BugURL) + `</a></dd>`)
	}
	w("</dl>\n")
}

func writeEvidenceList(b *strings.Builder, evidence []evidenceLink) {
	if len(evidence) == 0 {
		return
	}
	w := b.WriteString
	w(`<h4>Evidence</h4><ul class="tight evidence">`)
	for _, e := range evidence {
		if e.Exists {
			w(`<li><a href="` + esc(e.Href) + `">` + esc(e.Path) + `</a></li>`)
		} else {
			w(`<li class="missing"><code>` + esc(e.Path) + `</code> (missing)</li>`)
		}
	}
	w("</ul>\n")
}

// verdictClass maps a verdict to a CSS class from a closed set, so a verdict
// string from a tampered file never reaches an attribute unescaped.
func verdictClass(v check.Verdict) string {
	switch v {
	case check.Pass, check.Fail, check.Error, check.Skip:
		return string(v)
	}
	return "unknown"
}

func writeObservations(b *strings.Builder, o *obsView) {
	switch {
	case o.None:
		b.WriteString(`<p class="muted">No observations recorded.</p>`)
	case o.Invalid != "":
		b.WriteString(`<p class="muted">Observations are not valid JSON; shown as text:</p><pre>` + esc(o.Invalid) + `</pre>`)
	default:
		b.WriteString(string(o.HTML))
	}
	b.WriteByte('\n')
}

// writeChart draws one series. Coordinates are numbers formatted by chart.go;
// the names and labels are escaped.
func writeChart(b *strings.Builder, c *chart) {
	w := b.WriteString
	n := func(i int) string { return strconv.Itoa(i) }
	w(`<figure class="chart"><figcaption>` + esc(c.Name) + ` (last ` + esc(c.Last) + `)</figcaption>`)
	w(`<svg viewBox="0 0 ` + n(c.W) + ` ` + n(c.H) + `" role="img" aria-label="` + esc(c.Name) + ` against iteration">`)
	w(`<line class="axis" x1="` + n(c.PlotL) + `" y1="` + n(c.PlotB) + `" x2="` + n(c.PlotR) + `" y2="` + n(c.PlotB) + `"></line>`)
	w(`<line class="axis" x1="` + n(c.PlotL) + `" y1="` + n(c.PlotT) + `" x2="` + n(c.PlotL) + `" y2="` + n(c.PlotB) + `"></line>`)
	if c.HasFailure {
		w(`<line class="fail" x1="` + c.FailX + `" y1="` + n(c.PlotT) + `" x2="` + c.FailX + `" y2="` + n(c.PlotB) + `"></line>`)
	}
	w(`<polyline class="line" points="` + c.Points + `"></polyline>`)
	for _, d := range c.Dots {
		w(`<circle class="dot" cx="` + d.X + `" cy="` + d.Y + `" r="3"></circle>`)
	}
	w(`<text x="` + n(c.PlotL) + `" y="` + n(c.LabelY) + `">` + esc(c.XMin) + `</text>`)
	w(`<text x="` + n(c.PlotR) + `" y="` + n(c.LabelY) + `" text-anchor="end">` + esc(c.XMax) + `</text>`)
	w(`<text x="` + n(c.PlotL) + `" y="` + n(c.PlotT) + `" dx="4" dy="8">max ` + esc(c.YMax) + `</text>`)
	w(`<text x="` + n(c.PlotL) + `" y="` + n(c.PlotB) + `" dx="4" dy="-3">min ` + esc(c.YMin) + `</text>`)
	if c.HasFailure {
		anchor, dx := "start", "4"
		if c.FailRight {
			anchor, dx = "end", "-4"
		}
		w(`<text class="failtext" x="` + c.FailX + `" y="` + n(c.PlotT) + `" dy="20" dx="` + dx + `" text-anchor="` + anchor + `">✗ ` + esc(c.FailLabel) + `</text>`)
	}
	w("</svg></figure>\n")
}

// navHTML lists the checks, each linking to its section (same rules as
// checkHTML).
func navHTML(cs []checkView) template.HTML {
	var b strings.Builder
	for i := range cs {
		c := &cs[i]
		vc := verdictClass(c.Verdict)
		b.WriteString(`<li><span class="badge v-` + vc + `">` + esc(string(c.Verdict)) + `</span> <a href="#` + esc(c.Anchor) + `"><code>` + esc(c.ID) + `</code></a>`)
		switch {
		case c.NotRun:
			b.WriteString(` <span class="badge v-error notrun">never ran</span>`)
		case c.Tally != "":
			b.WriteString(` <span class="tally">` + esc(c.Tally) + `</span>`)
		}
		if c.Flaky {
			b.WriteString(` <span class="badge v-mixed">flaky</span>`)
		}
		b.WriteString(`</li>`)
	}
	return template.HTML(b.String()) //nolint:gosec // see checkHTML
}
