package html

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/netconform/netconform/observation"
)

func writeUserFilter(b *strings.Builder, f *observation.UserFilter) {
	w := b.WriteString
	itoa := strconv.Itoa
	w(`<p class="line">User-space filter on the path: NFQUEUE ` + itoa(int(f.Queue)) + ` on ` + esc(f.Hook) + `, mode <code>` + esc(string(f.Mode)) + `</code>; it saw ` +
		itoa(f.Seen) + ` packets, accepted ` + itoa(f.Accepted) + `, `)
	if f.Dropped > 0 {
		w(`<strong class="disagrees">dropped ` + itoa(f.Dropped) + `</strong>`)
	} else {
		w(`dropped 0`)
	}
	w(`.</p>`)
	if len(f.Rules) > 0 || len(f.DroppedFlows) > 0 {
		w(`<details><summary>filter rules and dropped flows</summary>`)
		writeLines(b, "rules installed", f.Rules)
		writeLines(b, "dropped flows", f.DroppedFlows)
		w(`</details>`)
	}
}

// writeCase: one line saying what was called on which socket, the table by
// datagram number, the peer's ARP note, the per-socket detail folded, and
// the content-filter attribution.
func writeCase(b *strings.Builder, c *observation.FirstDatagram, titled bool) {
	w := b.WriteString
	w(`<div class="dgcase">`)
	if titled {
		w(`<h4 class="mono">` + esc(c.Case) + `</h4>`)
	}
	w(`<p class="line">` + caseSentence(c) + `</p>`)
	writeByNumber(b, c)
	if c.Destination == observation.DestinationPeer && c.PeerARPReplies == 0 {
		w(`<p class="disagrees wrap">The SUT never resolved the peer's address: the emulated peer answered no ARP request.</p>`)
	}
	writeSocketRecords(b, c)
	if c.CFIL != nil {
		writeCfil(b, c.CFIL)
	}
	w(`</div>`)
}

// caseSentence: "sendto() on 10 fresh AF_INET6 dual-stack sockets, bound,
// not connected, to its own address [::ffff:192.0.2.1]:34202 (socket 1);
// window 1 s per datagram." Every value is escaped here.
func caseSentence(c *observation.FirstDatagram) string {
	call := c.Call
	if call == "" {
		call = "sendto"
	}
	socket := "AF_INET6 dual-stack (IPV6_V6ONLY off)"
	if c.Family == "inet" {
		socket = "AF_INET"
	} else if c.Family != "inet6" && c.Family != "" {
		socket = c.Family
	}
	bound := "bound"
	if !c.Bound {
		bound = "not bound"
	}
	if c.Connected {
		bound += ", connected"
	}
	var dest string
	switch c.Destination {
	case observation.DestinationSelf:
		dest = "its own address"
	case observation.DestinationPeer:
		dest = "the peer (emulated host)"
	default:
		dest = esc(string(c.Destination))
	}
	if len(c.SocketRecords) > 0 && c.SocketRecords[0].To.IsValid() {
		dest += ` <code>` + esc(c.SocketRecords[0].To.String()) + `</code>`
		if len(c.SocketRecords) > 1 {
			dest += ` (socket 1)`
		}
	}
	s := `<strong>` + esc(call) + `()</strong> on ` + strconv.Itoa(c.Sockets) + ` fresh ` + esc(socket) + ` UDP sockets, ` + esc(bound) + `, to ` + dest
	if c.Timeout > 0 {
		s += `; each datagram has ` + esc(seconds(c.Timeout.Seconds())) + ` to arrive`
	}
	return s + "."
}

// writeByNumber: six narrow number columns that fit a phone, and under each
// row where something went wrong a full-width row saying it in words: a
// words column would be pushed off a narrow screen, and the words are the
// point.
func writeByNumber(b *strings.Builder, c *observation.FirstDatagram) {
	w := b.WriteString
	itoa := strconv.Itoa
	call := c.Call
	if call == "" {
		call = "sendto"
	}
	w(`<div class="scroll"><table class="dg"><thead><tr><th>datagram</th><th>sent</th><th>delivered</th><th>silent drops</th><th>errno</th><th>late</th></tr></thead><tbody>`)
	for _, n := range c.ByNumber {
		bad := n.Sent-n.Delivered > 0 || n.Errnos > 0 || n.Late > 0
		if bad {
			w(`<tr class="bad">`)
		} else {
			w(`<tr>`)
		}
		w(`<td>` + esc(ordinal(n.Number)) + `</td><td>` + itoa(n.Sent) + `</td><td>` + itoa(n.Delivered) + `</td><td>` + itoa(n.SilentDrops) +
			`</td><td>` + itoa(n.Errnos) + `</td><td>` + itoa(n.Late) + `</td></tr>`)
		if bad {
			w(`<tr class="bad words"><td colspan="6">` + esc(ordinal(n.Number)) + ` datagram: ` + numberWords(n, call, c.Timeout.Seconds()) + `</td></tr>`)
		}
	}
	w(`</tbody></table></div>`)
}

// numberWords says in words what the row's numbers mean; the silent drop,
// the seed's signature, is spelled out because a count alone hides that the
// call reported success.
func numberWords(n observation.NumberRate, call string, timeout float64) string {
	itoa := strconv.Itoa
	var parts []string
	if n.SilentDrops > 0 {
		parts = append(parts, `<strong class="disagrees">`+itoa(n.SilentDrops)+` of `+itoa(n.Sent)+` lost silently: `+esc(call)+`() said success but nothing arrived</strong>`)
	}
	if n.Errnos > 0 {
		s := itoa(n.Errnos) + ` of ` + itoa(n.Sent) + ` failed with an error`
		if names := sortedKeys(n.ErrnoNames); len(names) > 0 {
			var ns []string
			for _, k := range names {
				ns = append(ns, `<span class="mono">`+esc(k)+`</span> ×`+itoa(n.ErrnoNames[k]))
			}
			s += `: ` + strings.Join(ns, `, `)
		}
		parts = append(parts, s)
	}
	if n.Late > 0 {
		s := itoa(n.Late) + ` arrived late`
		if timeout > 0 {
			s += ` (after ` + esc(seconds(timeout)) + `)`
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return itoa(n.Delivered) + ` of ` + itoa(n.Sent) + ` arrived`
	}
	return strings.Join(parts, `; `)
}

// writeSocketRecords folds the per-socket detail: which local address each
// fresh socket had and what became of each of its datagrams.
func writeSocketRecords(b *strings.Builder, c *observation.FirstDatagram) {
	if len(c.SocketRecords) == 0 {
		return
	}
	w := b.WriteString
	maxN := 0
	for _, s := range c.SocketRecords {
		for _, d := range s.Datagrams {
			maxN = max(maxN, d.Number)
		}
	}
	// A socket sending to itself would repeat its address in a "to" column.
	toSelf := true
	for _, s := range c.SocketRecords {
		toSelf = toSelf && s.To == s.Local
	}
	w(`<details><summary>each socket (` + strconv.Itoa(len(c.SocketRecords)) + `): local address, destination, each datagram's outcome</summary>`)
	w(`<div class="scroll"><table class="sockets"><thead><tr><th>socket</th>`)
	if toSelf {
		w(`<th>local address, also the destination</th>`)
	} else {
		w(`<th>local</th><th>to</th>`)
	}
	for i := 1; i <= maxN; i++ {
		w(`<th>` + esc(ordinal(i)) + `</th>`)
	}
	w(`</tr></thead><tbody>`)
	for _, s := range c.SocketRecords {
		w(`<tr><td>` + strconv.Itoa(s.Index) + `</td><td class="mono">` + esc(addrPortText(s.Local)) + `</td>`)
		if !toSelf {
			w(`<td class="mono">` + esc(addrPortText(s.To)) + `</td>`)
		}
		byNum := map[int]observation.DatagramResult{}
		for _, d := range s.Datagrams {
			byNum[d.Number] = d
		}
		for i := 1; i <= maxN; i++ {
			d, ok := byNum[i]
			if !ok {
				w(`<td class="muted">–</td>`)
				continue
			}
			writeRecordCell(b, d)
		}
		w(`</tr>`)
	}
	w(`</tbody></table></div></details>`)
}

// writeRecordCell: one datagram's outcome. A latency of 0 is one the file
// does not hold (results.json omits it).
func writeRecordCell(b *strings.Builder, d observation.DatagramResult) {
	w := b.WriteString
	if d.Outcome == observation.OutcomeDelivered {
		w(`<td>delivered`)
		if d.Latency != 0 {
			w(` <span class="muted">` + esc(seconds(d.Latency.Seconds())) + `</span>`)
		}
		w(`</td>`)
		return
	}
	w(`<td class="badcell">` + esc(string(d.Outcome)))
	if d.Errno != "" {
		w(` <span class="mono">` + esc(d.Call) + ` ` + esc(d.Errno) + `</span>`)
	} else if d.Outcome == observation.OutcomeSilentDrop {
		w(` <span class="muted">(` + esc(d.Call) + ` returned ` + strconv.Itoa(d.Return) + `)</span>`)
		if d.OvertakenBy > 0 {
			w(` <span class="muted">overtaken by datagram ` + strconv.Itoa(d.OvertakenBy) + `</span>`)
		}
	}
	if d.Outcome == observation.OutcomeLate && d.Latency != 0 {
		w(` <span class="muted">` + esc(seconds(d.Latency.Seconds())) + `</span>`)
	}
	w(`</td>`)
}

func addrPortText(a netip.AddrPort) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func writeLines(b *strings.Builder, label string, lines []string) {
	if len(lines) == 0 {
		return
	}
	b.WriteString(`<p class="muted">` + esc(label) + `</p><pre class="wrap">` + esc(strings.Join(lines, "\n")) + `</pre>`)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
