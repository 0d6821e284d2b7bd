package html

import (
	"encoding/json"
	"html/template"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// The first-hop views (observation.ViewFirstHops, ViewRule55): one table
// per Router Advertisement order, and for each source (or destination)
// where the wire saw the datagrams go next to what the routing table
// claims. The two disagreeing is exactly what the seed report asked about
// ("hidden next-hop selection that netstat -rn does not show"), so it is
// marked, never averaged away. Which hop was wrong, and why, is the check's
// judgement (ipv6/judge.go), carried in the observation: the page shows it
// and judges nothing.
func init() {
	registerRenderer(observation.ViewFirstHops, renderFirstHops)
	registerRenderer(observation.ViewRule55, renderRule55)
}

type raTable struct {
	Order  string
	Rule55 bool // rows are destinations with the source the kernel chose
	Rows   []raRow
}

type raRow struct {
	Destination string
	Near        string
	Source      string
	Interface   string
	Prefix      string
	Expected    []string // routers that advertised the source's prefix
	Sent        int
	SendErrors  []string
	Wire        []observation.Hop
	Table       string // gateway and interface the table names
	TableError  string
	TableRouter string
	Agrees      bool
}

// bad: the judge marked a hop wrong, or the table disagrees with the wire.
func (r *raRow) bad() bool {
	for _, h := range r.Wire {
		if h.Wrong {
			return true
		}
	}
	return !r.Agrees
}

func renderFirstHops(c reports.CheckResult) (template.HTML, bool) {
	var obs []observation.SourceHops
	if !decodeHopList(c.Observations, &obs) {
		return "", false
	}
	rows := make([]raRow, len(obs))
	orders := make([][]string, len(obs))
	for i, o := range obs {
		orders[i] = o.RAOrder
		rows[i] = raRow{Source: addrText(o.Source), Interface: o.Interface, Prefix: prefixText(o.Prefix), Expected: o.Expected,
			Sent: o.Sent, SendErrors: o.SendErrors, Wire: o.Wire, Table: tableText(o.Table), TableError: o.Table.Error,
			TableRouter: o.TableRouter, Agrees: o.TableAgrees}
	}
	return raTablesHTML(c, groupByOrder(orders, rows, false)), true
}

func renderRule55(c reports.CheckResult) (template.HTML, bool) {
	var obs []observation.DestinationHops
	if !decodeHopList(c.Observations, &obs) {
		return "", false
	}
	rows := make([]raRow, len(obs))
	orders := make([][]string, len(obs))
	for i, o := range obs {
		orders[i] = o.RAOrder
		rows[i] = raRow{Destination: addrText(o.Destination), Near: prefixText(o.Near), Source: addrText(o.Source), Expected: o.SourceRouters,
			Sent: o.Sent, SendErrors: o.SendErrors, Wire: o.Wire, Table: tableText(o.Table), TableError: o.Table.Error,
			TableRouter: o.TableRouter, Agrees: o.TableAgrees}
	}
	return raTablesHTML(c, groupByOrder(orders, rows, true)), true
}

// decodeHopList decodes a non-empty list of first-hop observations, each
// naming its RA order or the hops on the wire; false for any other shape
// (then the generic rendering shows the file as it is).
func decodeHopList[T observation.SourceHops | observation.DestinationHops](raw []byte, out *[]T) bool {
	if json.Unmarshal(raw, out) != nil || len(*out) == 0 {
		return false
	}
	for _, o := range *out {
		order, wire := hopsOf(o)
		if len(order) == 0 && len(wire) == 0 {
			return false
		}
	}
	return true
}

func hopsOf[T observation.SourceHops | observation.DestinationHops](o T) (order []string, wire []observation.Hop) {
	switch o := any(o).(type) {
	case observation.SourceHops:
		return o.RAOrder, o.Wire
	case observation.DestinationHops:
		return o.RAOrder, o.Wire
	}
	return nil, nil
}

// groupByOrder puts the rows into one table per RA order, in the order the
// orders first appear.
func groupByOrder(orders [][]string, rows []raRow, rule55 bool) []raTable {
	var out []raTable
	index := map[string]int{}
	for i, o := range orders {
		order := strings.Join(o, " then ")
		if order == "" {
			order = "(order not recorded)"
		}
		j, ok := index[order]
		if !ok {
			j = len(out)
			index[order] = j
			out = append(out, raTable{Order: order, Rule55: rule55})
		}
		out[j].Rows = append(out[j].Rows, rows[i])
	}
	return out
}

// tableText is the routing table's answer in ip-route words: the
// destination, then via, dev, src and from as the lookup gave them.
func tableText(t observation.Route) string {
	var parts []string
	if t.Gateway.IsValid() {
		parts = append(parts, "via "+t.Gateway.String())
	}
	if t.Interface != "" {
		parts = append(parts, "dev "+t.Interface)
	}
	if t.PrefSrc.IsValid() {
		parts = append(parts, "src "+t.PrefSrc.String())
	}
	if t.Src.IsValid() {
		parts = append(parts, "from "+t.Src.String())
	}
	if t.Dst.IsValid() {
		parts = append([]string{t.Dst.String()}, parts...)
	}
	return strings.Join(parts, " ")
}

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func prefixText(p netip.Prefix) string {
	if !p.IsValid() {
		return ""
	}
	return p.String()
}

// raTablesHTML writes the tables. A failing result from a file older than
// the judge's marks on hops (no view recorded) says where to look instead.
func raTablesHTML(c reports.CheckResult, tables []raTable) template.HTML {
	var b strings.Builder
	if c.View == "" && c.Verdict == check.Fail && !anyHopMarked(tables) {
		b.WriteString(`<p class="muted">This results file is older than the marks on wrong hops: the reason above names the hops that went wrong.</p>`)
	}
	for i := range tables {
		writeRATable(&b, &tables[i])
	}
	return template.HTML(b.String()) //nolint:gosec // every value goes through esc (see checkHTML)
}

func anyHopMarked(tables []raTable) bool {
	for _, t := range tables {
		for _, r := range t.Rows {
			for _, h := range r.Wire {
				if h.Wrong {
					return true
				}
			}
		}
	}
	return false
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
	for i := range t.Rows {
		writeRARow(b, &t.Rows[i], t.Rule55)
	}
	w("</tbody></table></div>\n")
}

func writeRARow(b *strings.Builder, r *raRow, rule55 bool) {
	w := b.WriteString
	if r.bad() {
		w(`<tr class="bad">`)
	} else {
		w(`<tr>`)
	}
	if rule55 {
		w(`<td class="mono">` + esc(r.Destination) + `</td><td class="mono">` + esc(r.Near) + `</td><td class="mono">` + esc(r.Source) + `</td>`)
	} else {
		w(`<td class="mono">` + esc(r.Source) + `</td><td class="mono">` + esc(r.Interface) + `</td><td class="mono">` + esc(r.Prefix) + `</td>`)
	}
	w(`<td>` + esc(orDash(strings.Join(r.Expected, ", "))) + `</td><td>` + strconv.Itoa(r.Sent))
	for _, e := range r.SendErrors {
		w(`<br><span class="disagrees">` + esc(e) + `</span>`)
	}
	w(`</td><td>`)
	for _, h := range r.Wire {
		writeHop(b, h)
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
	if r.Agrees {
		w(`<span class="agrees">✓ agrees</span>`)
	} else {
		w(`<span class="disagrees">✗ disagrees</span>`)
	}
	w("</td></tr>\n")
}

// writeHop: where some datagrams went; a hop the judge found wrong is
// marked, with the judge's words for why.
func writeHop(b *strings.Builder, h observation.Hop) {
	w := b.WriteString
	router := h.Router
	if router == "" {
		router = "unknown MAC"
	}
	if h.Wrong {
		w(`<span class="hop wrong">`)
	} else {
		w(`<span class="hop">`)
	}
	w(esc(router) + ` via ` + esc(h.Link) + ` <span class="mono muted">` + esc(h.MAC) + `</span>: ` + strconv.Itoa(h.Frames) + ` frames`)
	if h.Wrong {
		w(` ✗`)
	}
	w(`</span>`)
	if h.Why != "" {
		w(`<span class="why">` + esc(h.Why) + `</span>`)
	}
}
