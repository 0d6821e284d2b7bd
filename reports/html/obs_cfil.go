package html

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/netconform/netconform/observation"
)

// writeCfil draws an observation.Attribution (cfil fills it): the
// content-filter states before and after a check's window, the kernel log
// lines in it and the conclusion. The report shows the conclusion as one
// line and folds the evidence, shown as before/after comparisons rather than
// two JSON blobs, so what changed during the check stands out.
func writeCfil(b *strings.Builder, cf *observation.Attribution) {
	w := b.WriteString
	// Red only for what loses data; a filter that is merely on the path is
	// information, not a finding, and an accept-all filter the check put
	// there itself must not look like a failure.
	cls := "cfil"
	if cf.ReinjectFailure != "" {
		cls = "cfil bad"
	}
	w(`<p class="` + cls + `"><strong>Content filter:</strong> ` + esc(orDash(cf.Summary)))
	// cfil's summary names the reinject failure; say it when one does not.
	if cf.ReinjectFailure != "" && !strings.Contains(cf.Summary, cf.ReinjectFailure) {
		w(` — <strong>` + esc(cf.ReinjectFailure) + `</strong>`)
	}
	w(`</p>`)
	w(`<details><summary>content-filter evidence: ` + esc(cfilContents(cf)) + `</summary>`)
	writeLines(b, "kernel log lines (CFIL) in the check's window", cf.LogLines)
	for _, e := range append(append(append([]string{}, cf.Errors...), cf.Before.Errors...), cf.After.Errors...) {
		w(`<p class="muted wrap">not read: ` + esc(e) + `</p>`)
	}
	if !slices.Equal(cf.Before.Rules, cf.After.Rules) {
		writeLines(b, "queueing rules before", cf.Before.Rules)
		writeLines(b, "queueing rules after", cf.After.Rules)
	} else {
		writeLines(b, "queueing rules (unchanged)", cf.After.Rules)
	}
	writeRowsBeforeAfter(b, "NFQUEUE queues (/proc/net/netfilter/nfnetlink_queue)", rowsOf(cf.Before.Queues), rowsOf(cf.After.Queues))
	writeRowsBeforeAfter(b, "netconform's user-space filters", rowsOf(cf.Before.Filters), rowsOf(cf.After.Filters))
	writeMapBeforeAfter(b, "sysctl net.cfil", toAny(cf.Before.Sysctls), toAny(cf.After.Sysctls), false)
	writeMapBeforeAfter(b, "net.cfil.stats counters that changed", toAny(cf.Before.Stats), toAny(cf.After.Stats), true)
	w(`</details>`)
}

// cfilContents names what the fold holds, so a reader knows whether opening
// it is worth it.
func cfilContents(cf *observation.Attribution) string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+what)
		}
	}
	add(max(len(cf.Before.Rules), len(cf.After.Rules)), "rules")
	add(max(len(cf.Before.Queues), len(cf.After.Queues)), "queues")
	add(max(len(cf.Before.Filters), len(cf.After.Filters)), "filters")
	add(max(len(cf.Before.Sysctls), len(cf.After.Sysctls)), "sysctls")
	add(max(len(cf.Before.Stats), len(cf.After.Stats)), "stats counters")
	add(len(cf.LogLines), "log lines")
	add(len(cf.Errors)+len(cf.Before.Errors)+len(cf.After.Errors), "read errors")
	if len(parts) == 0 {
		return "before and after states, nothing recorded"
	}
	return "before and after (" + strings.Join(parts, ", ") + ")"
}

// writeMapBeforeAfter is a name | before | after table; changed rows are
// marked. onlyChanged leaves out unchanged rows (the ~80 cfil stats
// counters), counting them instead.
func writeMapBeforeAfter(b *strings.Builder, title string, before, after map[string]string, onlyChanged bool) {
	if len(before) == 0 && len(after) == 0 {
		return
	}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	w := b.WriteString
	var rows strings.Builder
	same := 0
	for _, k := range sortedKeys(keys) {
		bv, bok := before[k]
		av, aok := after[k]
		changed := bv != av || bok != aok
		if !changed && onlyChanged {
			same++
			continue
		}
		if changed {
			rows.WriteString(`<tr class="changed">`)
		} else {
			rows.WriteString(`<tr>`)
		}
		rows.WriteString(`<td class="mono">` + esc(k) + `</td><td>` + esc(orDash(bv)) + `</td><td>` + esc(orDash(av)) + `</td></tr>`)
	}
	w(`<p class="muted">` + esc(title))
	if same > 0 {
		w(` (` + strconv.Itoa(same) + ` unchanged not shown)`)
	}
	w(`</p>`)
	if rows.Len() == 0 {
		w(`<p class="muted">none changed</p>`)
		return
	}
	w(`<div class="scroll"><table class="ba"><thead><tr><th>name</th><th>before</th><th>after</th></tr></thead><tbody>` + rows.String() + `</tbody></table></div>`)
}

// writeRowsBeforeAfter shows queue or filter rows, matched by their "queue"
// number, with "before → after" in the cells that changed.
func writeRowsBeforeAfter(b *strings.Builder, title string, before, after []map[string]json.RawMessage) {
	if len(before) == 0 && len(after) == 0 {
		return
	}
	var cols []string
	seen := map[string]bool{}
	for _, r := range append(append([]map[string]json.RawMessage{}, before...), after...) {
		for _, k := range sortedKeys(r) {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	if seen["queue"] { // the key rows are matched by, so it leads
		cols = append([]string{"queue"}, slices.DeleteFunc(cols, func(c string) bool { return c == "queue" })...)
	}
	prev := map[string]map[string]json.RawMessage{}
	for _, r := range before {
		prev[string(r["queue"])] = r
	}
	rows := after
	if len(rows) == 0 {
		rows = before
	}
	w := b.WriteString
	w(`<p class="muted">` + esc(title) + ` (after the check; “before → after” where it changed)</p><div class="scroll"><table class="ba"><thead><tr>`)
	for _, c := range cols {
		w(`<th>` + esc(c) + `</th>`)
	}
	w(`</tr></thead><tbody>`)
	for _, r := range rows {
		p := prev[string(r["queue"])]
		w(`<tr>`)
		for _, c := range cols {
			av, bv := rawText(r[c]), rawText(p[c])
			if p != nil && av != bv {
				w(`<td class="changedcell">` + esc(orDash(bv)) + ` → ` + esc(orDash(av)) + `</td>`)
			} else {
				w(`<td>` + esc(orDash(av)) + `</td>`)
			}
		}
		w(`</tr>`)
	}
	w(`</tbody></table></div>`)
}

// rowsOf turns typed rows (queues, filters) into their JSON fields, the
// columns of a before/after table.
func rowsOf[T any](rows []T) []map[string]json.RawMessage {
	out := make([]map[string]json.RawMessage, 0, len(rows))
	for _, r := range rows {
		b, err := json.Marshal(r)
		var m map[string]json.RawMessage
		if err != nil || json.Unmarshal(b, &m) != nil {
			continue // a struct of numbers and strings always marshals
		}
		out = append(out, m)
	}
	return out
}

// rawText is a JSON value as text: strings unquoted, anything else compact.
func rawText(r json.RawMessage) string {
	if len(r) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	return string(r)
}

func toAny[V string | int64](m map[string]V) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch x := any(v).(type) {
		case string:
			out[k] = x
		case int64:
			out[k] = strconv.FormatInt(x, 10)
		}
	}
	return out
}
