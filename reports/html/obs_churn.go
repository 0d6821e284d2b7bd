package html

import (
	"encoding/json"
	"html/template"
	"strconv"
	"strings"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// The churn view (observation.ViewChurn) draws a churn probe's
// measurement (observation.ChurnMeasurement): the facts a person looks for
// first (how far the loop got, where and how it failed, whether socket()
// worked again, a kill and the memory limit behind it), one chart per
// sampled counter that moved, the counters that did not move as one folded
// list, and the rest of the measurement generically.
func init() { registerRenderer(observation.ViewChurn, renderChurn) }

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

// churnDoc is a measurement as files hold it, without its samples: the
// observation, plus what the early probes wrote instead (a "target" for the
// count and a flat "recovered"). The samples are charted field by field,
// whatever their fields (the early probes' flat ones included), from the
// parsed document.
type churnDoc struct {
	observation.ChurnMeasurement
	Target    int   `json:"target"`
	Recovered *bool `json:"recovered"`
}

func renderChurn(c reports.CheckResult) (template.HTML, bool) {
	v, err := parseJSON(c.Observations)
	if err != nil || v.kind != kObject {
		return "", false
	}
	// The rest of the measurement, without the samples (most of its bytes):
	// shown generically, and decoded as the observation for the facts.
	rest := &value{kind: kObject}
	for _, k := range v.keys {
		if k != "samples" {
			rest.set(k, v.get(k))
		}
	}
	var m churnDoc
	if json.Unmarshal(rest.appendJSON(nil), &m) != nil {
		return "", false
	}
	cv := &churnView{Facts: churnFacts(&m), Stderr: m.Stderr}
	failAt, label := 0.0, "first failure"
	if ff := m.FirstFailure; ff != nil {
		failAt = float64(ff.Iteration)
		if ff.Errno != "" {
			label += " (" + ff.Errno + ")"
		}
	}
	cv.Charts, cv.Hidden, cv.Flat, cv.Samples = sampleCharts(v.get("samples"), failAt, label)

	shown := &value{kind: kObject}
	for _, k := range rest.keys {
		if k != "stderr" {
			shown.set(k, rest.get(k))
		}
	}
	cv.Rest = nodeHTML(genericNode(shown))
	var b strings.Builder
	writeChurn(&b, cv)
	return template.HTML(b.String()), true //nolint:gosec // every value goes through esc (see checkHTML)
}

func churnFacts(m *churnDoc) []fact {
	var out []fact
	add := func(label, val string, bad bool) {
		if val != "" {
			out = append(out, fact{label, val, bad})
		}
	}
	target := m.Target
	if target == 0 {
		target = m.Config.Count
	}
	it := strconv.Itoa(m.Iterations)
	if target > 0 {
		it += " of " + strconv.Itoa(target)
	}
	add("iterations completed", it, false)
	if ff := m.FirstFailure; ff != nil {
		desc := strings.Join(nonEmpty(ff.Call+"()", ff.Errno), " ")
		if ff.Message != "" {
			desc += " (" + ff.Message + ")"
		}
		add("first failure", "iteration "+strconv.Itoa(ff.Iteration)+": "+desc, true)
	}
	if m.Failures > 0 {
		add("failed calls", strconv.Itoa(m.Failures), true)
	}
	add("recovered after pause", recoveryText(m), !recovered(m))
	if m.Rate > 0 {
		add("rate", strconv.FormatFloat(m.Rate, 'f', 0, 64)+" cycles/s", false)
	}
	if m.Killed {
		add("killed", "yes, by "+orDash(m.Signal), true)
	}
	if l := m.Limit; l != nil {
		add("memory limit", limitText(l), l.OOMKills > 0)
	}
	return out
}

// recoveryText: "no: 0 of 5 sockets after a 1 s pause (ENOBUFS)"; "" when
// nothing failed (no recovery was tried).
func recoveryText(m *churnDoc) string {
	if m.Recovered != nil {
		return strconv.FormatBool(*m.Recovered) // the flat shape of early probes
	}
	r := m.Recovery
	if r == nil {
		return ""
	}
	s := "yes"
	if !recovered(m) {
		s = "no"
	}
	s += ": " + strconv.Itoa(r.Succeeded) + " of " + strconv.Itoa(r.Tries) + " sockets after a " + seconds(r.Pause.Seconds()) + " pause"
	if r.LastErrno != "" {
		s += " (" + r.LastErrno + ")"
	}
	return s
}

func recovered(m *churnDoc) bool {
	if m.Recovered != nil {
		return *m.Recovered
	}
	if m.Recovery == nil {
		return true // nothing to recover from
	}
	return m.Recovery.Recovered
}

// limitText: "2.0 MiB (cgroup v1): 1 OOM kill, peak 2.0 MiB".
func limitText(l *observation.ChurnLimit) string {
	s := mib(float64(l.MemoryBytes))
	if l.Version != 0 {
		s += " (cgroup v" + strconv.Itoa(l.Version) + ")"
	}
	p := strconv.FormatInt(l.OOMKills, 10) + " OOM kill"
	if l.OOMKills != 1 {
		p += "s"
	}
	parts := []string{p}
	if l.MaxUsage > 0 {
		parts = append(parts, "peak "+mib(float64(l.MaxUsage)))
	}
	return s + ": " + strings.Join(parts, ", ")
}

func mib(b float64) string { return strconv.FormatFloat(b/(1<<20), 'f', 1, 64) + " MiB" }

func writeChurn(b *strings.Builder, c *churnView) {
	w := b.WriteString
	w(`<ul class="facts">`)
	for _, f := range c.Facts {
		if f.Bad {
			w(`<li class="bad">`)
		} else {
			w(`<li>`)
		}
		w(`<strong>` + esc(f.Label) + `</strong>: ` + esc(f.Value) + `</li>`)
	}
	w("</ul>\n")
	if len(c.Charts) > 0 {
		w(`<h4>Counters that moved, against iteration</h4><div class="charts">`)
		for i := range c.Charts {
			writeChart(b, &c.Charts[i])
		}
		w("</div>\n")
		if c.Hidden > 0 {
			w(`<p class="more">` + strconv.Itoa(c.Hidden) + ` more counters moved; their samples are in the measurement below and in results.json.</p>`)
		}
	} else if c.Samples == 1 {
		w(`<p class="muted">Only one sample was taken before the loop ended: nothing to chart.</p>`)
	}
	if len(c.Flat) > 0 {
		what := "unchanged in all " + strconv.Itoa(c.Samples) + " samples"
		if c.Samples < 2 {
			what = "in the only sample"
		}
		noun := " counters "
		if len(c.Flat) == 1 {
			noun = " counter "
		}
		w(`<details><summary>` + strconv.Itoa(len(c.Flat)) + noun + esc(what) + `</summary><ul class="flat">`)
		for _, f := range c.Flat {
			w(`<li><code>` + esc(f.Label) + `</code> ` + esc(f.Value) + `</li>`)
		}
		w(`</ul></details>`)
	}
	if c.Stderr != "" {
		w(`<details><summary>probe's stderr</summary><pre class="wrap">` + esc(c.Stderr) + `</pre></details>`)
	}
	w(`<details><summary>Full measurement (without samples)</summary>` + string(c.Rest) + `</details>`)
}

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
