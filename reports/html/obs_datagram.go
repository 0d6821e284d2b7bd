package html

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// The first-datagram checks (sockets.mapped-sendto.*, sockets.inet4-sendto.*,
// cfil.userspace-filter.*) observe per socket case a delivery count by
// datagram number and a content-filter attribution with before/after states.
// Rendered generically that nests into unreadable tables; a person needs, per
// case, the datagram-number table with the losses marked and one sentence
// from cfil. These types mirror docs/results-schema.md ("sockets"), the
// contract; reports does not import the check code.

type dgNumber struct {
	Number      int            `json:"number"`
	Sent        int            `json:"sent"`
	Delivered   int            `json:"delivered"`
	SilentDrops int            `json:"silent_drops"`
	Errnos      int            `json:"errnos"`
	Late        int            `json:"late"`
	ErrnoNames  map[string]int `json:"errno_names"`
}

type dgCfil struct {
	Summary         string          `json:"summary"`
	FilterOnPath    bool            `json:"filter_on_path"`
	ReinjectFailure string          `json:"reinject_failure"`
	LogLines        []string        `json:"log_lines"`
	Before          json.RawMessage `json:"before"`
	After           json.RawMessage `json:"after"`
	Errors          []string        `json:"errors"`
}

type dgCase struct {
	Case           string     `json:"case"`
	Family         string     `json:"family"`
	Bound          bool       `json:"bound"`
	Connected      bool       `json:"connected"`
	Call           string     `json:"call"`
	Destination    string     `json:"destination"`
	Sockets        int        `json:"sockets"`
	Timeout        float64    `json:"timeout"`
	ByNumber       []dgNumber `json:"by_number"`
	PeerARPReplies *int       `json:"peer_arp_replies"`
	CFIL           *dgCfil    `json:"cfil"`
}

type dgFilter struct {
	Queue        int      `json:"queue"`
	Hook         string   `json:"hook"`
	Mode         string   `json:"mode"`
	Seen         int      `json:"seen"`
	Accepted     int      `json:"accepted"`
	Dropped      int      `json:"dropped"`
	DroppedFlows []string `json:"dropped_flows"`
}

type datagramView struct {
	Filter *dgFilter
	Cases  []dgCase
}

func isDatagramCheck(id string) bool {
	for _, p := range []string{"sockets.mapped-sendto.", "sockets.inet4-sendto.", "cfil.userspace-filter."} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// datagramOf reads either one case or a filter with its cases; ok is false
// when the JSON has neither shape (then the generic rendering applies).
func datagramOf(raw []byte) (*datagramView, bool) {
	var wrapped struct {
		Filter *dgFilter `json:"filter"`
		Cases  []dgCase  `json:"cases"`
	}
	if err := json.Unmarshal(raw, &wrapped); err == nil && len(wrapped.Cases) > 0 {
		return &datagramView{Filter: wrapped.Filter, Cases: wrapped.Cases}, true
	}
	var one dgCase
	if err := json.Unmarshal(raw, &one); err != nil || len(one.ByNumber) == 0 {
		return nil, false
	}
	return &datagramView{Cases: []dgCase{one}}, true
}

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

func writeDatagrams(b *strings.Builder, v *datagramView) {
	w := b.WriteString
	itoa := strconv.Itoa
	if f := v.Filter; f != nil {
		w(`<ul class="facts"><li>user-space filter: NFQUEUE ` + itoa(f.Queue) + ` on ` + esc(f.Hook) + `, mode ` + esc(f.Mode) + `</li>`)
		w(`<li>saw ` + itoa(f.Seen) + `, accepted ` + itoa(f.Accepted) + `</li>`)
		if f.Dropped > 0 {
			w(`<li class="bad">dropped ` + itoa(f.Dropped) + `</li>`)
		}
		w(`</ul>`)
		if len(f.DroppedFlows) > 0 {
			w(`<details><summary>dropped flows</summary><ul class="tight mono">`)
			for _, fl := range f.DroppedFlows {
				w(`<li>` + esc(fl) + `</li>`)
			}
			w(`</ul></details>`)
		}
	}
	for _, c := range v.Cases {
		socket := "AF_INET6 dual-stack"
		if c.Family == "inet" {
			socket = "AF_INET"
		}
		if c.Bound {
			socket += ", bound"
		} else {
			socket += ", unbound"
		}
		if c.Connected {
			socket += ", connected"
		}
		w(`<h4>` + esc(c.Case) + `</h4><ul class="facts"><li>` + esc(socket) + `</li><li>` + esc(c.Call) + ` to ` + esc(c.Destination) + `</li>`)
		w(`<li>` + itoa(c.Sockets) + ` fresh sockets</li><li>window ` + esc(strconv.FormatFloat(c.Timeout, 'f', -1, 64)) + ` s</li></ul>`)
		w(`<div class="scroll"><table class="dg"><thead><tr><th>datagram</th><th>sent</th><th>delivered</th><th>silent drops</th><th>errno</th><th>late</th></tr></thead><tbody>`)
		for _, n := range c.ByNumber {
			lost := n.Sent - n.Delivered
			if lost > 0 {
				w(`<tr class="bad">`)
			} else {
				w(`<tr>`)
			}
			w(`<td>` + esc(ordinal(n.Number)) + `</td><td>` + itoa(n.Sent) + `</td><td>` + itoa(n.Delivered) + `</td><td>` + itoa(n.SilentDrops))
			if n.SilentDrops > 0 {
				w(`<br><span class="disagrees">sendto said success but nothing arrived</span>`)
			}
			w(`</td><td>` + itoa(n.Errnos))
			names := make([]string, 0, len(n.ErrnoNames))
			for k := range n.ErrnoNames {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				w(`<br><span class="mono">` + esc(k) + ` ×` + itoa(n.ErrnoNames[k]) + `</span>`)
			}
			w(`</td><td>` + itoa(n.Late) + `</td></tr>`)
		}
		w(`</tbody></table></div>`)
		if c.PeerARPReplies != nil && c.Destination == "peer" && *c.PeerARPReplies == 0 {
			w(`<p class="disagrees">The SUT never resolved the peer's address (no ARP request answered).</p>`)
		}
		if cf := c.CFIL; cf != nil {
			cls := ""
			if cf.FilterOnPath || cf.ReinjectFailure != "" {
				cls = ` class="disagrees"`
			}
			w(`<p><strong>content filter:</strong> <span` + cls + `>` + esc(cf.Summary) + `</span>`)
			if cf.ReinjectFailure != "" {
				w(` — <strong class="disagrees">` + esc(cf.ReinjectFailure) + `</strong>`)
			}
			w(`</p>`)
			w(`<details><summary>content-filter evidence (before, after, kernel log)</summary>`)
			for _, l := range cf.LogLines {
				w(`<pre class="wrap">` + esc(l) + `</pre>`)
			}
			for _, e := range cf.Errors {
				w(`<p class="muted">not read: ` + esc(e) + `</p>`)
			}
			writeRawJSON(b, "before", cf.Before)
			writeRawJSON(b, "after", cf.After)
			w(`</details>`)
		}
	}
}

// writeRawJSON shows a nested state as indented JSON text: complete, escaped,
// and wrapped inside its own box instead of squeezing a table.
func writeRawJSON(b *strings.Builder, label string, raw json.RawMessage) {
	if len(raw) == 0 {
		return
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return
	}
	pretty, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return
	}
	b.WriteString(`<p class="muted">` + esc(label) + `</p><pre class="wrap">` + esc(string(pretty)) + `</pre>`)
}
