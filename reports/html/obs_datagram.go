package html

import (
	"encoding/json"
	"html/template"
	"strconv"
	"strings"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// The first-datagram views (observation.ViewFirstDatagram,
// ViewFilteredFirstDatagram) observe per socket case a delivery count by
// datagram number, every socket's datagrams, and a content-filter
// attribution with before/after states. Rendered generically that nests into
// an unreadable squeezed table; a person needs, per case, what was called on
// which socket, the datagram-number table with the losses marked, and one
// sentence from cfil. The shapes are package observation's.
func init() {
	registerRenderer(observation.ViewFirstDatagram, renderFirstDatagram)
	registerRenderer(observation.ViewFilteredFirstDatagram, renderFilteredFirstDatagram)
}

// renderFirstDatagram draws one case; false when the JSON is not one case
// with its datagram-number table (then the generic rendering applies, so a
// new or old shape is still shown in full).
func renderFirstDatagram(c reports.CheckResult) (template.HTML, bool) {
	var one observation.FirstDatagram
	if err := json.Unmarshal(c.Observations, &one); err != nil || len(one.ByNumber) == 0 {
		return "", false
	}
	var b strings.Builder
	writeCase(&b, &one, false)
	return template.HTML(b.String()), true //nolint:gosec // every value goes through esc (see checkHTML)
}

// renderFilteredFirstDatagram draws the user-space filter the check put on
// the path, then every case run through it.
func renderFilteredFirstDatagram(c reports.CheckResult) (template.HTML, bool) {
	var f observation.FilteredFirstDatagram
	if err := json.Unmarshal(c.Observations, &f); err != nil || len(f.Cases) == 0 {
		return "", false
	}
	for _, c := range f.Cases {
		if len(c.ByNumber) == 0 {
			return "", false
		}
	}
	var b strings.Builder
	writeUserFilter(&b, &f.Filter)
	for i := range f.Cases {
		writeCase(&b, &f.Cases[i], len(f.Cases) > 1)
	}
	return template.HTML(b.String()), true //nolint:gosec // every value goes through esc (see checkHTML)
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

// seconds prints a duration in seconds the way a person reads it: 1 s,
// 0.3 s, 0.11 ms.
func seconds(s float64) string {
	a := s
	if a < 0 {
		a = -a
	}
	switch {
	case a == 0:
		return "0 s"
	case a < 1e-3:
		return strconv.FormatFloat(s*1e6, 'f', 0, 64) + " µs"
	case a < 1:
		return strconv.FormatFloat(s*1e3, 'g', 3, 64) + " ms"
	}
	return strconv.FormatFloat(s, 'g', 4, 64) + " s"
}
