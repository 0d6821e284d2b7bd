package html

import (
	"encoding/json"
	"html/template"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

func init() { registerRenderer(observation.ViewMappedMatrix, renderMappedMatrix) }

// renderMappedMatrix draws the observations of view
// observation.ViewMappedMatrix (sockets.mapped-sendto.matrix): what content
// filter the cases went through, the matrix as a table a person reads at a
// glance (one row per bind, one column per call, each cell holding its
// destinations marked pass, fail or skip), then every case that lost
// datagrams with its datagram-number table and sockets (the first-datagram
// renderer's own case view), the skipped and passing cases folded, and the
// content-filter evidence. ok is false when the observations do not have
// the matrix's shape: the generic rendering then shows them in full.
//
// The same rules as checkHTML: every value from results.json goes through
// esc, class names come from closed sets.
func renderMappedMatrix(c reports.CheckResult) (template.HTML, bool) {
	var m observation.MappedMatrix
	if err := json.Unmarshal(c.Observations, &m); err != nil || len(m.Cases) == 0 || len(m.Rows) == 0 || len(m.Calls) == 0 {
		return "", false
	}
	var b strings.Builder
	writeMatrixHead(&b, &m)
	writeMatrixTable(&b, &m)
	writeMatrixCases(&b, &m)
	if len(m.CFIL) > 0 {
		var cf observation.Attribution
		if json.Unmarshal(m.CFIL, &cf) == nil {
			writeCfil(&b, &cf)
		}
	}
	return template.HTML(b.String()), true //nolint:gosec // every value escaped above
}

// writeMatrixHead: what ran, and through which content filter: a pass with
// no filter on the path says nothing about the reported loss, so that line
// is never left out.
func writeMatrixHead(b *strings.Builder, m *observation.MappedMatrix) {
	w := b.WriteString
	counts := map[string]int{}
	for _, c := range m.Cases {
		counts[c.Verdict]++
	}
	w(`<p class="line">The ` + esc(m.Matrix) + ` matrix: ` + strconv.Itoa(len(m.Cases)) + ` cases, each on ` + strconv.Itoa(m.Sockets) +
		` fresh AF_INET6 UDP sockets sending 2 datagrams each; each datagram has ` + esc(seconds(m.Timeout)) + ` to arrive. `)
	for _, v := range []string{"fail", "error", "pass", "skip"} {
		if counts[v] > 0 {
			w(`<span class="badge v-` + v + `">` + strconv.Itoa(counts[v]) + ` ` + v + `</span> `)
		}
	}
	w(`</p>`)
	cls := "cfil"
	switch m.Coverage {
	case "none", "unknown":
		cls = "cfil muted"
	}
	w(`<p class="` + cls + `"><strong>Filter on the cases' path:</strong> ` + esc(orDash(m.Filter.Sentence)) + `</p>`)
}

// cellMark is the short text of one destination in a cell: "self ✓",
// "peer ✗ 1st 10/10".
func cellMark(c observation.MatrixCase) (class, text, title string) {
	title = c.Name + ": " + c.Reason
	switch c.Verdict {
	case "pass":
		return "v-pass", c.Destination + " ✓", title
	case "skip":
		return "v-skip", c.Destination + " –", title
	case "fail":
		for _, r := range c.Rates {
			if lost := r.Sent - r.Delivered; lost > 0 {
				return "v-fail", c.Destination + " ✗ " + ordinal(r.Number) + " " + strconv.Itoa(lost) + "/" + strconv.Itoa(r.Sent), title
			}
		}
		return "v-fail", c.Destination + " ✗", title
	}
	return "v-error", c.Destination + " ?", title
}

// writeMatrixTable: rows are the binds, columns the calls; a cell lists its
// destinations in order, each marked. An empty cell is a combination the
// matrix does not hold.
func writeMatrixTable(b *strings.Builder, m *observation.MappedMatrix) {
	w := b.WriteString
	cells := map[string][]observation.MatrixCase{}
	for _, c := range m.Cases {
		k := c.Row + "\x00" + c.Call
		cells[k] = append(cells[k], c)
	}
	order := map[string]int{}
	for i, d := range m.Destinations {
		order[d] = i
	}
	w(`<div class="scroll"><table class="mxtable"><thead><tr><th>bind \ call</th>`)
	for _, call := range m.Calls {
		w(`<th class="mono">` + esc(call) + `</th>`)
	}
	w(`</tr></thead><tbody>`)
	for _, r := range m.Rows {
		w(`<tr><th><span class="mono">` + esc(r.Key) + `</span><br><span class="muted">` + esc(r.Label) + `</span></th>`)
		for _, call := range m.Calls {
			cs := cells[r.Key+"\x00"+call]
			if len(cs) == 0 {
				w(`<td class="muted">·</td>`)
				continue
			}
			sortByDestination(cs, order)
			w(`<td>`)
			for i, c := range cs {
				if i > 0 {
					w(`<br>`)
				}
				cls, text, title := cellMark(c)
				w(`<span class="badge ` + cls + `" title="` + esc(title) + `">` + esc(text) + `</span>`)
			}
			w(`</td>`)
		}
		w(`</tr>`)
	}
	w(`</tbody></table></div>`)
	w(`<p class="muted">✓ every datagram delivered (or, with IPV6_V6ONLY on, refused with an errno); ✗ the first datagram number that lost some, and how many of the sockets lost it; – skipped here (hover for why); · not in this matrix.</p>`)
}

func sortByDestination(cs []observation.MatrixCase, order map[string]int) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && order[cs[j].Destination] < order[cs[j-1].Destination]; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// writeMatrixCases: every case that failed or erred in full, with the
// first-datagram case view; the skipped ones with their reasons and the
// passing ones by name, folded.
func writeMatrixCases(b *strings.Builder, m *observation.MappedMatrix) {
	w := b.WriteString
	var bad, skipped, passed []observation.MatrixCase
	for _, c := range m.Cases {
		switch c.Verdict {
		case "pass":
			passed = append(passed, c)
		case "skip":
			skipped = append(skipped, c)
		default:
			bad = append(bad, c)
		}
	}
	if len(bad) > 0 {
		// A few are shown open; many (a release that breaks every case)
		// are folded: the table above already says which.
		open := ""
		if len(bad) <= 6 {
			open = " open"
		}
		w(`<details` + open + `><summary>cases that lost datagrams (` + strconv.Itoa(len(bad)) + `): each with its datagram table and sockets</summary>`)
		for _, c := range bad {
			dc := matrixDgCase(m, c)
			writeCase(b, &dc, true)
			if c.Verdict != "fail" || c.Expect == "refusal" {
				// The datagram table does not say it: an error, or a
				// refusal that did not happen.
				w(`<p class="wrap">` + esc(c.Reason) + `</p>`)
			}
			writeLines(b, "kernel CFIL lines about this case's sockets", c.CFILLines)
		}
		w(`</details>`)
	}
	if len(skipped) > 0 {
		w(`<details><summary>skipped cases (` + strconv.Itoa(len(skipped)) + `)</summary><ul class="tight">`)
		for _, c := range skipped {
			w(`<li><span class="mono">` + esc(c.Name) + `</span>: ` + esc(c.Reason) + `</li>`)
		}
		w(`</ul></details>`)
	}
	if len(passed) > 0 {
		w(`<details><summary>cases that passed (` + strconv.Itoa(len(passed)) + `)</summary><ul class="tight">`)
		for _, c := range passed {
			w(`<li><span class="mono">` + esc(c.Name) + `</span>: ` + esc(c.Reason))
			if c.FilterSeen > 0 {
				w(` <span class="muted">(the user-space filter saw ` + strconv.Itoa(c.FilterSeen) + ` packets)</span>`)
			}
			w(`</li>`)
		}
		w(`</ul></details>`)
	}
}

// matrixDgCase is a matrix case in the first-datagram case view's shape
// (observation.FirstDatagram), so it is drawn as those are.
func matrixDgCase(m *observation.MappedMatrix, c observation.MatrixCase) observation.FirstDatagram {
	dc := observation.FirstDatagram{Case: c.Name, Family: "inet6", Call: syscallOf(c.Call), Destination: observation.Destination(c.Destination),
		Sockets: m.Sockets, Timeout: observation.Duration(m.Timeout * float64(time.Second)), Connected: strings.HasPrefix(c.Call, "connect+")}
	for _, r := range m.Rows {
		if r.Key == c.Row {
			dc.Bound = r.Bind != ""
		}
	}
	dc.ByNumber = append([]observation.NumberRate(nil), c.Rates...)
	for _, s := range c.Sockets {
		ds := observation.SocketRecord{Index: s.Index}
		// A text that is not an address and port stays out (zero): the
		// matrix's own table names the case's row and destination.
		ds.Local, _ = netip.ParseAddrPort(s.Local)
		ds.To, _ = netip.ParseAddrPort(s.To)
		for _, d := range s.Datagrams {
			rec := observation.DatagramResult{Number: d.Number, Call: d.Call, Return: d.Return, Errno: d.Errno, Outcome: observation.Outcome(d.Outcome),
				Latency: observation.Duration(d.Latency * float64(time.Second)), OvertakenBy: d.OvertakenBy}
			rec.Source, _ = netip.ParseAddrPort(d.Source)
			ds.Datagrams = append(ds.Datagrams, rec)
		}
		dc.SocketRecords = append(dc.SocketRecords, ds)
	}
	return dc
}

// syscallOf is the system call of a matrix column ("connect+send" sends
// with send, the PKTINFO columns with sendmsg).
func syscallOf(call string) string {
	switch {
	case call == "connect+send":
		return "send"
	case call == "connect+sendmsg_x":
		return "sendmsg_x"
	case strings.HasPrefix(call, "sendmsg"):
		return "sendmsg"
	}
	return call
}
