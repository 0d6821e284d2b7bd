package html

import (
	"html/template"
	"strconv"
	"strings"
)

// churnView renders a sockets.churn.* measurement (sockets/churn's
// Measurement): the facts a person looks for first (how far the loop got,
// where and how it failed, whether socket() worked again, a kill and the
// memory limit behind it), one chart per sampled counter that moved, the
// counters that did not move as one folded list, and the rest of the
// measurement generically. Every field is optional: an old or partial file
// still renders.
type churnView struct {
	Facts   []fact
	Charts  []chart
	Hidden  int    // moving series beyond maxSeries, not charted
	Flat    []fact // counters equal in every sample: name and value
	Samples int    // number of samples
	Stderr  string
	Rest    template.HTML
}

type fact struct {
	Label string
	Value string
	Bad   bool
}

// maxSeries bounds the charts per check; every sample is still in
// results.json and the folded measurement.
const maxSeries = 12

func isChurnCheck(id string) bool { return strings.HasPrefix(id, "sockets.churn.") }

func churnOf(v *value) (*churnView, bool) {
	if v == nil || v.kind != kObject {
		return nil, false
	}
	cv := &churnView{Facts: churnFacts(v), Stderr: v.str("stderr")}
	ff := v.get("first_failure")
	failAt, _ := ff.numOK("iteration")
	label := "first failure"
	if e := ff.str("errno"); e != "" {
		label += " (" + e + ")"
	}
	cv.Charts, cv.Hidden, cv.Flat, cv.Samples = sampleCharts(v.get("samples"), failAt, label)

	rest := &value{kind: kObject}
	for _, k := range v.keys {
		if k != "samples" && k != "stderr" {
			rest.set(k, v.get(k))
		}
	}
	cv.Rest = nodeHTML(genericNode(rest))
	return cv, true
}

func churnFacts(v *value) []fact {
	var out []fact
	add := func(label, val string, bad bool) {
		if val != "" {
			out = append(out, fact{label, val, bad})
		}
	}
	target := v.str("target")
	if target == "" {
		target = v.get("config").str("count")
	}
	it := v.str("iterations")
	if it != "" && target != "" {
		it += " of " + target
	}
	add("iterations completed", it, false)
	if it == "" {
		add("target", target, false)
	}
	ff := v.get("first_failure")
	if ff != nil && ff.kind == kObject {
		desc := strings.Join(nonEmpty(ff.str("call")+"()", ff.str("errno")), " ")
		if m := ff.str("message"); m != "" {
			desc += " (" + m + ")"
		}
		add("first failure", "iteration "+ff.str("iteration")+": "+desc, true)
	}
	if n, ok := v.numOK("failures"); ok && n > 0 {
		add("failed calls", v.str("failures"), true)
	}
	add("recovered after pause", recoveryText(v), !recovered(v))
	if r, ok := v.numOK("rate"); ok && r > 0 {
		add("rate", strconv.FormatFloat(r, 'f', 0, 64)+" cycles/s", false)
	}
	if v.isTrue("killed") {
		add("killed", "yes, by "+orDash(v.str("signal")), true)
	}
	if l := v.get("limit"); l != nil && l.kind == kObject {
		kills, _ := l.numOK("oom_kills")
		add("memory limit", limitText(l), kills > 0)
	}
	return out
}

// recoveryText: "no: 0 of 5 sockets after a 1 s pause (ENOBUFS)"; "" when
// nothing failed (no recovery was tried).
func recoveryText(v *value) string {
	if r := v.get("recovered"); r != nil && r.kind == kBool {
		return r.scalar // the flat shape of early probes
	}
	r := v.get("recovery")
	if r == nil || r.kind != kObject {
		return ""
	}
	s := "yes"
	if !recovered(v) {
		s = "no"
	}
	if tries := r.str("tries"); tries != "" {
		s += ": " + orDash(r.str("succeeded")) + " of " + tries + " sockets"
		if p, ok := r.numOK("pause"); ok {
			s += " after a " + seconds(p) + " pause"
		}
	}
	if e := r.str("last_errno"); e != "" {
		s += " (" + e + ")"
	}
	return s
}

func recovered(v *value) bool {
	if r := v.get("recovered"); r != nil && r.kind == kBool {
		return r.scalar == "true"
	}
	r := v.get("recovery")
	if r == nil || r.kind != kObject {
		return true // nothing to recover from
	}
	return r.isTrue("recovered")
}

// limitText: "2.0 MiB (cgroup v1): 1 OOM kill, peak 2.0 MiB".
func limitText(l *value) string {
	s := "–"
	if m, ok := l.numOK("memory_bytes"); ok {
		s = mib(m)
	}
	if ver := l.str("version"); ver != "" {
		s += " (cgroup v" + ver + ")"
	}
	var parts []string
	if k, ok := l.numOK("oom_kills"); ok {
		p := l.str("oom_kills") + " OOM kill"
		if k != 1 {
			p += "s"
		}
		parts = append(parts, p)
	}
	if m, ok := l.numOK("max_usage_bytes"); ok && m > 0 {
		parts = append(parts, "peak "+mib(m))
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

func mib(b float64) string { return strconv.FormatFloat(b/(1<<20), 'f', 1, 64) + " MiB" }

// sampleCharts flattens every numeric field of every sample (counters such
// as counters{"sockstat.TCP.alloc": n} included, without the "counters."
// prefix) into one series per name against the sample's iteration. Only
// series that move are charted, in the order they first appear: a flat line
// per unchanged counter (most of /proc/net/sockstat) buries the one that
// grows. Flat series come back as name/value facts; with fewer than two
// samples nothing is charted.
func sampleCharts(samples *value, failAt float64, failLabel string) (charts []chart, hidden int, flat []fact, n int) {
	if samples == nil || samples.kind != kArray {
		return nil, 0, nil, 0
	}
	series := map[string][]point{}
	var order []string
	for i, s := range samples.items {
		if s.kind != kObject {
			continue
		}
		n++
		x, ok := s.numOK("iteration")
		if !ok {
			x = float64(i)
		}
		var walk func(prefix string, v *value)
		walk = func(prefix string, v *value) {
			for i, k := range v.keys {
				f := v.vals[i]
				name := k
				if prefix != "" {
					name = prefix + "." + k
				}
				switch f.kind {
				case kNumber:
					if prefix == "" && (k == "iteration" || k == "elapsed") {
						continue
					}
					if _, seen := series[name]; !seen {
						order = append(order, name)
					}
					series[name] = append(series[name], point{x, f.num})
				case kObject:
					if prefix == "" && k == "counters" {
						walk("", f)
					} else {
						walk(name, f)
					}
				}
			}
		}
		walk("", s)
	}
	for _, name := range order {
		pts := series[name]
		if n < 2 || !moves(pts) {
			flat = append(flat, fact{Label: name, Value: human(pts[len(pts)-1].y)})
			continue
		}
		if len(charts) == maxSeries {
			hidden++
			continue
		}
		sortPoints(pts)
		charts = append(charts, newChart(name, pts, failAt, failLabel))
	}
	return charts, hidden, flat, n
}

func moves(pts []point) bool {
	for _, p := range pts {
		if p.y != pts[0].y {
			return true
		}
	}
	return false
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && s != "()" {
			out = append(out, s)
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
