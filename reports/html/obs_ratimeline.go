package html

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

func init() { registerRenderer(observation.ViewRATimeline, renderRATimeline) }

// renderRATimeline draws the observations of a check with the
// observation.ViewRATimeline view: per lab, one table whose rows are the
// events in time order, with one column per router (the advertisements it
// sent), one for what the SUT's tables showed, and one for where each new
// flow went on the wire beside what the routing table claimed. A step of
// the check's timeline starts a row of its own. ok is false when the
// observations are not of that shape (the generic rendering is used then).
//
// Safety as in checkHTML: every string from results.json goes through esc,
// class names come from closed sets.
func renderRATimeline(c reports.CheckResult) (template.HTML, bool) {
	tls, ok := decodeRATimelines(c.Observations)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for i := range tls {
		writeRATimeline(&b, &tls[i])
	}
	return template.HTML(b.String()), true //nolint:gosec // see checkHTML
}

// decodeRATimelines reads the observations strictly: an unknown field or a
// lab without routers or events is not this view's shape.
func decodeRATimelines(raw []byte) ([]observation.RATimeline, bool) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var tls []observation.RATimeline
	if err := dec.Decode(&tls); err != nil || len(tls) == 0 {
		return nil, false
	}
	for _, tl := range tls {
		if len(tl.Routers) == 0 {
			return nil, false
		}
	}
	return tls, true
}

// writeRATimeline writes one lab's timeline: a heading with its routers,
// the table of events, then the check's notes on the lab.
func writeRATimeline(b *strings.Builder, tl *observation.RATimeline) {
	writeRATimelineHead(b, tl)
	writeRATimelineTable(b, tl)
	if len(tl.Notes) > 0 {
		w := b.WriteString
		w(`<ul class="facts">`)
		for _, n := range tl.Notes {
			w(`<li>` + esc(n) + `</li>`)
		}
		w("</ul>\n")
	}
}

// writeRATimelineHead writes the lab's heading and the sentence naming its
// routers (with their addresses, so the columns below need only the name).
func writeRATimelineHead(b *strings.Builder, tl *observation.RATimeline) {
	w := b.WriteString
	w(`<h4>` + esc(tl.Lab))
	if tl.ObservationOnly {
		w(` <span class="badge v-skip">observation only</span>`)
	}
	w(`</h4><p class="muted">`)
	for i, r := range tl.Routers {
		if i > 0 {
			w(`; `)
		}
		w(`router <strong>` + esc(r.Name) + `</strong> <span class="mono">` + esc(r.LinkLocal) + ` ` + esc(r.MAC) + `</span> on ` + esc(r.Link))
	}
	w(`. Times in ms from the start of the lab's routers.</p>`)
}

// writeRATimelineTable writes the events' table: one column per router,
// then the SUT's tables and the new flows, one row per event, and a row of
// its own wherever the check's timeline starts a step.
func writeRATimelineTable(b *strings.Builder, tl *observation.RATimeline) {
	w := b.WriteString
	w(`<div class="scroll"><table class="ra"><thead><tr><th>ms</th>`)
	col := map[string]int{}
	for i, r := range tl.Routers {
		col[r.Name] = i
		w(`<th>router ` + esc(r.Name) + ` sends</th>`)
	}
	w(`<th>the SUT's tables</th><th>new flow: where it went (wire) and what the routing table claims</th></tr></thead><tbody>`)
	ncol := len(tl.Routers) + 3
	step := ""
	for i := range tl.Events {
		e := &tl.Events[i]
		// A solicited answer is no step of the timeline: it starts no row.
		if e.Step != step && (e.RA == nil || !e.RA.Solicited) {
			step = e.Step
			if step != "" {
				w(`<tr><td colspan="` + strconv.Itoa(ncol) + `"><strong>` + esc(step) + `</strong></td></tr>`)
			}
		}
		writeRAEventRow(b, tl, e, col)
	}
	w("</tbody></table></div>\n")
}

// writeRAEventRow writes one event's row: its time, then the event in the
// column it belongs to (the sending router's for an RA, the tables' for an
// effect or an address, the flows' for a flow), the other cells empty. A
// flow judged against expectation is marked so the eye finds it.
func writeRAEventRow(b *strings.Builder, tl *observation.RATimeline, e *observation.TimelineEvent, col map[string]int) {
	w := b.WriteString
	if e.Flow != nil && e.Flow.Judged && e.Flow.Outcome != "" && e.Flow.Outcome != "as expected" {
		w(`<tr class="bad">`)
	} else {
		w(`<tr>`)
	}
	w(`<td class="mono">` + esc(strconv.FormatFloat(e.AtMS, 'f', 1, 64)) + `</td>`)
	// One cell per router, then the tables' and the flows'.
	cells := make([]string, len(tl.Routers)+2)
	switch {
	case e.RA != nil:
		i, ok := col[e.RA.Router]
		if !ok {
			i = len(tl.Routers) // an unknown router's RA: shown in the tables' column, named
			cells[i] = `router ` + esc(e.RA.Router) + `: `
		}
		cells[i] += raCell(e.RA)
	case e.Effect != nil:
		cells[len(tl.Routers)] = effectCell(e.Effect)
	case e.Address != nil:
		cells[len(tl.Routers)] = addressCell(e.Address)
	case e.Flow != nil:
		cells[len(tl.Routers)+1] = flowCell(e.Flow)
	}
	for _, c := range cells {
		if c == "" {
			w(`<td></td>`)
		} else {
			w(`<td>` + c + `</td>`)
		}
	}
	w("</tr>\n")
}

// lifetime renders seconds, "∞" for the all-ones lifetime.
func lifetime(s uint32) string {
	if s == observation.InfiniteLifetime {
		return "∞"
	}
	return strconv.FormatUint(uint64(s), 10) + " s"
}

// inPrefix reports whether address a lies in prefix p, both as text.
func inPrefix(a, p string) bool {
	addr, err1 := netip.ParseAddr(a)
	pfx, err2 := netip.ParsePrefix(p)
	return err1 == nil && err2 == nil && pfx.Contains(addr)
}

func raCell(ra *observation.RAEvent) string {
	var b strings.Builder
	w := b.WriteString
	if ra.Solicited {
		w(`<span class="muted">answer to a Router Solicitation:</span> `)
	}
	w(`RA, preference <strong>` + esc(ra.Preference) + `</strong>, router lifetime `)
	if ra.RouterLifetime == 0 {
		w(`<strong class="disagrees">0</strong> (not a default router)`)
	} else {
		w(esc(lifetime(ra.RouterLifetime)))
	}
	for _, p := range ra.Prefixes {
		w(`<div>prefix <span class="mono">` + esc(p.Prefix) + `</span> valid ` + esc(lifetime(p.Valid)) + `, preferred `)
		if p.Preferred == 0 && p.Valid != 0 {
			w(`<strong>0</strong> (deprecated)`)
		} else {
			w(esc(lifetime(p.Preferred)))
		}
		w(`</div>`)
	}
	for _, r := range ra.Routes {
		w(`<div>route <span class="mono">` + esc(r.Prefix) + `</span> ` + esc(r.Preference) + `, lifetime `)
		if r.Lifetime == 0 {
			w(`<strong>0</strong> (withdrawn)`)
		} else {
			w(esc(lifetime(r.Lifetime)))
		}
		w(`</div>`)
	}
	return b.String()
}

func effectCell(e *observation.EffectEvent) string {
	var b strings.Builder
	w := b.WriteString
	after := esc(strconv.FormatFloat(e.AfterMS, 'f', 1, 64))
	if e.Seen {
		w(`<span class="agrees">✓ shown after ` + after + ` ms:</span>`)
	} else {
		w(`<span class="disagrees">✗ not shown within ` + after + ` ms:</span>`)
	}
	missing := map[string]bool{}
	for _, m := range e.Missing {
		missing[m] = true
	}
	for _, a := range e.Awaited {
		if missing[a] {
			w(`<div><span class="disagrees">✗</span> ` + esc(a) + `</div>`)
		} else {
			w(`<div>` + esc(a) + `</div>`)
		}
	}
	return b.String()
}

func addressCell(a *observation.AddressEvent) string {
	var b strings.Builder
	w := b.WriteString
	if a.Note != "" {
		w(`<span class="muted">` + esc(a.Note) + `:</span> `)
	}
	if a.Gone {
		w(`no address in <span class="mono">` + esc(a.Address) + `</span>`)
		return b.String()
	}
	w(`<span class="mono">` + esc(a.Address) + `</span>`)
	if len(a.Flags) > 0 {
		w(` ` + esc(strings.Join(a.Flags, " ")))
	}
	if a.Valid != nil {
		w(`, valid for ` + esc(lifetime(*a.Valid)))
	}
	if a.Preferred != nil {
		w(`, preferred for ` + esc(lifetime(*a.Preferred)))
	}
	return b.String()
}

func flowCell(f *observation.FlowEvent) string {
	var b strings.Builder
	w := b.WriteString
	w(`<div class="muted">` + esc(f.Purpose) + `</div>`)
	if f.BoundTo != "" {
		w(`bound to <span class="mono">` + esc(f.BoundTo) + `</span>`)
	} else {
		w(`unbound`)
	}
	w(` → <span class="mono">` + esc(f.Destination) + `</span>, source `)
	if f.Source == "" {
		w(`<span class="muted">none</span>`)
	} else {
		w(`<span class="mono">` + esc(f.Source) + `</span>`)
	}
	if f.ExpectedSourcePrefix != "" {
		if inPrefix(f.Source, f.ExpectedSourcePrefix) {
			w(` <span class="agrees">✓</span>`)
		} else {
			w(` <span class="disagrees">✗</span> expected one in <span class="mono">` + esc(f.ExpectedSourcePrefix) + `</span>`)
		}
	}
	for _, e := range f.SendErrors {
		w(`<div><span class="disagrees">✗</span> refused: ` + esc(e) + `</div>`)
	}
	total := 0
	for _, h := range f.Wire {
		total += h.Frames
		wrong := f.Judged && !slices.Contains(f.ExpectedRouters, h.Router)
		router := h.Router
		if router == "" {
			router = "unknown MAC"
		}
		w(`<div>wire: router <strong>` + esc(router) + `</strong> <span class="mono muted">` + esc(h.MAC) + `</span>, ` + strconv.Itoa(h.Frames) + ` of ` + strconv.Itoa(f.Sent))
		if wrong {
			w(` <span class="disagrees">✗</span> expected ` + esc(strings.Join(f.ExpectedRouters, " or ")))
		} else if f.Judged {
			w(` <span class="agrees">✓</span>`)
		}
		w(`</div>`)
	}
	if total < f.Accepted {
		w(`<div><span class="disagrees">✗</span> ` + strconv.Itoa(f.Accepted-total) + ` accepted datagrams never reached the wire</div>`)
	}
	w(`<div>table: <span class="mono">` + esc(f.Table) + `</span>`)
	switch {
	case len(f.Wire) == 0:
	case f.TableAgrees:
		w(` <span class="agrees">agrees</span>`)
	default:
		w(` <span class="disagrees">disagrees with the wire</span>`)
	}
	w(`</div>`)
	if f.Judged && f.Outcome != "" && f.Outcome != "as expected" {
		w(`<div class="reason"><strong>` + esc(f.Outcome) + `</strong></div>`)
	}
	return b.String()
}
