package html

import (
	"html/template"
	"sort"
	"strings"
)

// churnView renders a sockets.churn.* measurement: the facts a person looks
// for first (how far the loop got, where and how it failed, whether socket()
// worked again), one chart per sampled counter against iteration with the
// first failure marked, and the rest of the measurement generically. Field
// names follow sockets/churn's Measurement, but every one is optional.
type churnView struct {
	Facts  []fact
	Charts []chart
	Rest   template.HTML
}

type fact struct {
	Label string
	Value string
	Bad   bool
}

// maxSeries bounds the charts per check; the generic rendering still holds
// every sample.
const maxSeries = 40

func isChurnCheck(id string) bool { return strings.HasPrefix(id, "sockets.churn.") }

func churnOf(v *value) (*churnView, bool) {
	if v == nil || v.kind != kObject {
		return nil, false
	}
	cv := &churnView{}
	add := func(label, val string, bad bool) {
		if val != "" {
			cv.Facts = append(cv.Facts, fact{label, val, bad})
		}
	}
	target := v.str("target")
	if target == "" {
		target = v.get("config").str("count")
	}
	add("iterations completed", v.str("iterations"), false)
	add("target", target, false)
	ff := v.get("first_failure")
	failAt, _ := ff.numOK("iteration")
	if ff != nil && ff.kind == kObject {
		desc := strings.TrimSpace(strings.Join(nonEmpty(ff.str("call")+"()", ff.str("errno"), ff.str("message")), " "))
		add("first failure", "iteration "+ff.str("iteration")+": "+desc, true)
	}
	if n, ok := v.numOK("failures"); ok {
		add("failures", v.str("failures"), n > 0)
	}
	rec := v.get("recovered")
	if rec == nil {
		rec = v.get("recovery").get("recovered")
	}
	if rec != nil && rec.kind == kBool {
		add("recovered after pause", rec.scalar, rec.scalar != "true")
	}
	if r, ok := v.numOK("rate"); ok {
		add("rate (cycles/s)", human(r), false)
	}
	if v.isTrue("killed") {
		add("killed", "yes, by "+orDash(v.str("signal")), true)
	}
	label := "first failure"
	if e := ff.str("errno"); e != "" {
		label += " (" + e + ")"
	}
	cv.Charts = sampleCharts(v.get("samples"), failAt, label)

	rest := &value{kind: kObject}
	for _, k := range v.keys {
		if k != "samples" {
			rest.set(k, v.get(k))
		}
	}
	cv.Rest = nodeHTML(genericNode(rest))
	return cv, true
}

// sampleCharts flattens every numeric field of every sample (nested objects
// such as counters{"sockstat.TCP.alloc": n} included) into one series per
// path, against the sample's iteration (its index when it has none).
func sampleCharts(samples *value, failAt float64, failLabel string) []chart {
	if samples == nil || samples.kind != kArray {
		return nil
	}
	series := map[string][]point{}
	var order []string
	for i, s := range samples.items {
		if s.kind != kObject {
			continue
		}
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
					if prefix == "" && k == "iteration" {
						continue
					}
					if _, seen := series[name]; !seen {
						order = append(order, name)
					}
					series[name] = append(series[name], point{x, f.num})
				case kObject:
					walk(name, f)
				}
			}
		}
		walk("", s)
	}
	if len(order) > maxSeries {
		order = order[:maxSeries]
	}
	out := make([]chart, 0, len(order))
	for _, name := range order {
		pts := series[name]
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].x < pts[j].x })
		out = append(out, newChart(name, pts, failAt, failLabel))
	}
	return out
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
