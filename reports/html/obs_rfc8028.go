package html

import (
	"slices"
	"strings"
)

// raTable is one Router Advertisement order of an RFC 8028 / RFC 6724 rule
// 5.5 check: for each source (or destination), where the wire saw the
// datagrams go next to what the routing table claims. The two disagreeing is
// exactly what the seed report asked about ("hidden next-hop selection that
// netstat -rn does not show"), so it is marked, never averaged away.
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
	Sent        string
	SendErrors  []string
	Wire        []hopView
	Table       string // gateway and interface the table names
	TableError  string
	TableRouter string
	Agrees      bool
	HasAgrees   bool
	WrongWire   bool // some frames went to a router not in Expected
}

type hopView struct {
	Router string
	Link   string
	MAC    string
	Frames string
	Wrong  bool
}

// isRAOrderCheck reports whether id has the observation shape of
// docs/results-schema.md "Observations by check" for the RFC 8028 checks.
func isRAOrderCheck(id string) bool {
	return strings.HasPrefix(id, "ipv6.rfc8028.") || id == "ipv6.rfc6724.rule5-5"
}

// raTables groups the observation list by RA order; ok is false when the
// observations do not have the documented shape (then the generic rendering
// is used: a new field or an old file must still be readable).
func raTables(v *value, rule55 bool) ([]raTable, bool) {
	if v == nil || v.kind != kArray || len(v.items) == 0 {
		return nil, false
	}
	var out []raTable
	index := map[string]int{}
	for _, it := range v.items {
		if it.kind != kObject || it.get("wire") == nil {
			return nil, false
		}
		order := joinScalars(it.get("ra_order"), " then ")
		if order == "" {
			order = "(order not recorded)"
		}
		i, ok := index[order]
		if !ok {
			i = len(out)
			index[order] = i
			out = append(out, raTable{Order: order, Rule55: rule55})
		}
		out[i].Rows = append(out[i].Rows, raRowOf(it, rule55))
	}
	return out, true
}

func raRowOf(it *value, rule55 bool) raRow {
	r := raRow{
		Destination: it.str("destination"),
		Near:        it.str("near"),
		Source:      it.str("source"),
		Interface:   it.str("interface"),
		Prefix:      it.str("prefix"),
		Sent:        it.str("sent"),
		SendErrors:  scalars(it.get("send_errors")),
		TableRouter: it.str("table_router"),
	}
	if rule55 {
		r.Expected = scalars(it.get("source_routers"))
	} else {
		r.Expected = scalars(it.get("expected_routers"))
	}
	if w := it.get("wire"); w != nil && w.kind == kArray {
		for _, h := range w.items {
			hv := hopView{Router: h.str("router"), Link: h.str("link"), MAC: h.str("mac"), Frames: h.str("frames")}
			n, _ := h.numOK("frames")
			hv.Wrong = n > 0 && (hv.Router == "" || (len(r.Expected) > 0 && !slices.Contains(r.Expected, hv.Router)))
			r.WrongWire = r.WrongWire || hv.Wrong
			r.Wire = append(r.Wire, hv)
		}
	}
	if t := it.get("table"); t != nil && t.kind == kObject {
		var parts []string
		if g := t.str("gateway"); g != "" {
			parts = append(parts, "via "+g)
		}
		if d := t.str("interface"); d != "" {
			parts = append(parts, "dev "+d)
		}
		if s := t.str("prefsrc"); s != "" {
			parts = append(parts, "src "+s)
		}
		if s := t.str("src"); s != "" {
			parts = append(parts, "from "+s)
		}
		if d := t.str("dst"); d != "" {
			parts = append([]string{d}, parts...)
		}
		r.Table = strings.Join(parts, " ")
		r.TableError = t.str("error")
	}
	if a := it.get("table_agrees"); a != nil && a.kind == kBool {
		r.HasAgrees, r.Agrees = true, a.scalar == "true"
	}
	return r
}

func scalars(v *value) []string {
	if v == nil || v.kind != kArray {
		return nil
	}
	var out []string
	for _, it := range v.items {
		if it.kind != kObject && it.kind != kArray {
			out = append(out, it.scalar)
		}
	}
	return out
}

func joinScalars(v *value, sep string) string { return strings.Join(scalars(v), sep) }
