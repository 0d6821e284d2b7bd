package regression

import (
	"html/template"
	"strings"
)

var esc = template.HTMLEscapeString

// stateClass maps a cell state to a CSS class from a closed set: states come
// from verdicts in files we do not trust.
func stateClass(s string) string {
	switch s {
	case "pass", "fail", "error", "skip", StateMissing, StateMixed:
		return s
	}
	return "unknown"
}

// rowHTML renders one matrix row. It is Go, not template code, because a
// 100 × 200 matrix is 20,000 cells and html/template's reflection made it the
// slowest part of the page. Every value from a results file goes through
// esc (html/template's escaper, quotes included, so attributes are safe);
// classes come from closed sets; hrefs are paths Build made (runs/…).
func rowHTML(r *rowView) template.HTML {
	var b strings.Builder
	b.Grow(200 + 90*len(r.Cells))
	w := b.WriteString
	w(`<tr id="row-` + esc(r.ID) + `" data-check="` + esc(r.ID) + `" data-labels="` + esc(r.Labels) + `"><td class="check"><code>` + esc(r.ID) + `</code>`)
	for _, h := range r.History {
		w(`<br><span class="muted">` + esc(h) + `</span>`)
	}
	w(`</td>`)
	for _, c := range r.Cells {
		sc := stateClass(c.State)
		w(`<td class="cell s-` + sc + `" data-os="` + esc(c.OS) + `" data-state="` + sc + `"`)
		if c.Mark != "" {
			w(` data-mark="` + esc(c.Mark) + `"`)
		}
		if c.Flaky {
			w(` data-flaky="1"`)
		}
		w(`>`)
		for _, run := range c.Runs {
			vc := stateClass(run.Verdict)
			cls := `r v-` + vc
			if run.NotRun {
				cls += ` notrun`
			}
			if run.Href != "" {
				w(`<a class="` + cls + `" href="` + esc(run.Href) + `" title="` + esc(run.Title) + `">` + esc(run.Text) + `</a>`)
			} else {
				w(`<span class="` + cls + `" title="` + esc(run.Title) + `">` + esc(run.Text) + `</span>`)
			}
			if run.Flaky {
				w(`<span class="mark flaky">≈ flaky</span>`)
			}
		}
		switch c.Mark {
		case "regressed":
			w(`<span class="mark regressed">▼ regressed</span>`)
		case "fixed":
			w(`<span class="mark fixed">▲ fixed</span>`)
		}
		w(`</td>`)
	}
	w(`</tr>`)
	return template.HTML(b.String()) //nolint:gosec // see above
}
