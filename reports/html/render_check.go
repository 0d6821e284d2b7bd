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
	w := b.WriteString
	w(`<section class="check c-` + vc + `" id="` + esc(c.Anchor) + `">` + "\n")
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
	w("</dl>\n<details open><summary>Observations</summary>\n")
	writeObservations(&b, &c.Obs)
	w("</details>\n")
	if len(c.Evidence) > 0 {
		w(`<h4>Evidence</h4><ul class="tight evidence">`)
		for _, e := range c.Evidence {
			if e.Exists {
				w(`<li><a href="` + esc(e.Href) + `">` + esc(e.Path) + `</a></li>`)
			} else {
				w(`<li class="missing"><code>` + esc(e.Path) + `</code> (missing)</li>`)
			}
		}
		w("</ul>\n")
	}
	w("</section>\n")
	return template.HTML(b.String()) //nolint:gosec // see the rules above
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
	case o.RA != nil:
		for i := range o.RA {
			writeRATable(b, &o.RA[i])
		}
	case o.Churn != nil:
		writeChurn(b, o.Churn)
	case o.Dgram != nil:
		writeDatagrams(b, o.Dgram)
	default:
		b.WriteString(string(o.Generic))
	}
	b.WriteByte('\n')
}

func writeRATable(b *strings.Builder, t *raTable) {
	w := b.WriteString
	w(`<h4>Router Advertisements learned in order: ` + esc(t.Order) + `</h4><div class="scroll"><table class="ra"><thead><tr>`)
	if t.Rule55 {
		w(`<th>destination</th><th>near</th><th>source chosen</th><th>source's routers</th>`)
	} else {
		w(`<th>source</th><th>interface</th><th>prefix</th><th>advertised by</th>`)
	}
	w(`<th>sent</th><th>wire: where it went</th><th>routing table claims</th><th>table vs wire</th></tr></thead><tbody>`)
	for _, r := range t.Rows {
		if r.WrongWire || (r.HasAgrees && !r.Agrees) {
			w(`<tr class="bad">`)
		} else {
			w(`<tr>`)
		}
		if t.Rule55 {
			w(`<td class="mono">` + esc(r.Destination) + `</td><td class="mono">` + esc(r.Near) + `</td><td class="mono">` + esc(r.Source) + `</td>`)
		} else {
			w(`<td class="mono">` + esc(r.Source) + `</td><td class="mono">` + esc(r.Interface) + `</td><td class="mono">` + esc(r.Prefix) + `</td>`)
		}
		w(`<td>` + esc(orDash(strings.Join(r.Expected, ", "))) + `</td><td>` + esc(r.Sent))
		for _, e := range r.SendErrors {
			w(`<br><span class="disagrees">` + esc(e) + `</span>`)
		}
		w(`</td><td>`)
		for _, h := range r.Wire {
			router := h.Router
			if router == "" {
				router = "unknown MAC"
			}
			if h.Wrong {
				w(`<span class="hop wrong">`)
			} else {
				w(`<span class="hop">`)
			}
			w(esc(router) + ` via ` + esc(h.Link) + ` <span class="mono muted">` + esc(h.MAC) + `</span>: ` + esc(h.Frames) + ` frames`)
			if h.Wrong {
				w(` ✗`)
			}
			w(`</span>`)
		}
		if len(r.Wire) == 0 {
			w(`<span class="muted">nothing seen</span>`)
		}
		w(`</td><td><span class="mono">` + esc(r.Table) + `</span>`)
		if r.TableError != "" {
			w(`<br><span class="disagrees">` + esc(r.TableError) + `</span>`)
		}
		if r.TableRouter != "" {
			w(`<br>router: ` + esc(r.TableRouter))
		}
		w(`</td><td>`)
		switch {
		case !r.HasAgrees:
			w("–")
		case r.Agrees:
			w(`<span class="agrees">✓ agrees</span>`)
		default:
			w(`<span class="disagrees">✗ disagrees</span>`)
		}
		w("</td></tr>\n")
	}
	w("</tbody></table></div>\n")
}

func writeChurn(b *strings.Builder, c *churnView) {
	w := b.WriteString
	w(`<ul class="facts">`)
	for _, f := range c.Facts {
		if f.Bad {
			w(`<li class="bad">`)
		} else {
			w(`<li>`)
		}
		w(`<strong>` + esc(f.Label) + `</strong>: ` + esc(f.Value) + `</li>`)
	}
	w("</ul>\n")
	if len(c.Charts) > 0 {
		w(`<h4>Counters that moved, against iteration</h4><div class="charts">`)
		for i := range c.Charts {
			writeChart(b, &c.Charts[i])
		}
		w("</div>\n")
		if c.Hidden > 0 {
			w(`<p class="more">` + strconv.Itoa(c.Hidden) + ` more counters moved; their samples are in the measurement below and in results.json.</p>`)
		}
	} else if c.Samples == 1 {
		w(`<p class="muted">Only one sample was taken before the loop ended: nothing to chart.</p>`)
	}
	if len(c.Flat) > 0 {
		what := "unchanged in all " + strconv.Itoa(c.Samples) + " samples"
		if c.Samples < 2 {
			what = "in the only sample"
		}
		noun := " counters "
		if len(c.Flat) == 1 {
			noun = " counter "
		}
		w(`<details><summary>` + strconv.Itoa(len(c.Flat)) + noun + esc(what) + `</summary><ul class="flat">`)
		for _, f := range c.Flat {
			w(`<li><code>` + esc(f.Label) + `</code> ` + esc(f.Value) + `</li>`)
		}
		w(`</ul></details>`)
	}
	if c.Stderr != "" {
		w(`<details><summary>probe's stderr</summary><pre class="wrap">` + esc(c.Stderr) + `</pre></details>`)
	}
	w(`<details><summary>Full measurement (without samples)</summary>` + string(c.Rest) + `</details>`)
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
