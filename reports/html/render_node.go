package html

import (
	"html/template"
	"strconv"
	"strings"
)

// nodeHTML renders a generic observation tree. It is written in Go rather
// than as a recursive template because html/template's reflection made the
// regression report (which renders every run's observations) several times
// slower; every piece of text still goes through html/template's own
// escaper, and the markup around it is constant.
func nodeHTML(n *node) template.HTML {
	var b strings.Builder
	writeNode(&b, n)
	return template.HTML(b.String()) //nolint:gosec // every text below is escaped by esc
}

var esc = template.HTMLEscapeString

func writeNode(b *strings.Builder, n *node) {
	switch n.Kind {
	case "scalar":
		writeScalar(b, n)
	case "inline":
		b.WriteString(`<span class="inline">`)
		for _, it := range n.Items {
			writeScalar(b, it)
		}
		b.WriteString(`</span>`)
		if n.More > 0 {
			b.WriteString(`<span class="more"> … and ` + strconv.Itoa(n.More) + ` more</span>`)
		}
	case "object":
		b.WriteString(`<dl class="kv">`)
		for _, f := range n.Fields {
			b.WriteString(`<dt>`)
			b.WriteString(esc(f.Key))
			b.WriteString(`</dt><dd>`)
			writeNode(b, f.Val)
			b.WriteString(`</dd>`)
		}
		b.WriteString(`</dl>`)
	case "table":
		b.WriteString(`<div class="scroll"><table class="obs"><thead><tr>`)
		for _, c := range n.Cols {
			b.WriteString(`<th>` + esc(c) + `</th>`)
		}
		b.WriteString(`</tr></thead><tbody>`)
		for _, row := range n.Rows {
			b.WriteString(`<tr>`)
			for _, cell := range row {
				b.WriteString(`<td>`)
				writeNode(b, cell)
				b.WriteString(`</td>`)
			}
			b.WriteString(`</tr>`)
		}
		b.WriteString(`</tbody></table></div>`)
		if n.More > 0 {
			b.WriteString(`<p class="more">… and ` + strconv.Itoa(n.More) + ` more rows (all are in results.json)</p>`)
		}
	default:
		b.WriteString(`<ol class="list">`)
		for _, it := range n.Items {
			b.WriteString(`<li>`)
			writeNode(b, it)
			b.WriteString(`</li>`)
		}
		b.WriteString(`</ol>`)
		if n.More > 0 {
			b.WriteString(`<p class="more">… and ` + strconv.Itoa(n.More) + ` more (all are in results.json)</p>`)
		}
	}
}

// scalarClass is a closed set, so the class attribute never holds input.
var scalarClass = map[string]string{"str": "str", "num": "num", "bool": "bool", "null": "null"}

func writeScalar(b *strings.Builder, n *node) {
	b.WriteString(`<span class="v `)
	b.WriteString(scalarClass[n.Class])
	b.WriteString(`">`)
	b.WriteString(esc(n.Text))
	b.WriteString(`</span>`)
}
