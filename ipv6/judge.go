package ipv6

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/topology"
)

// judged is one observation as the verdict sees it: where its datagrams went
// and which routers were allowed to receive them.
type judged struct {
	order       []string
	what        string // "source 2001:db8:a::1", "destination 2001:db8:b:ffff::1"
	sent        int
	allowed     []string
	wire        []Hop
	sendErrors  []string
	tableAgrees bool
	table       topology.RouteEntry
	// wrong describes datagrams that went to a router not allowed.
	wrong func(Hop) string
}

// judgeFirstHops: fail when any datagram reached a router not allowed (the
// stack chose wrongly); error when an observation has no datagram on the wire
// at all (nothing to judge); else pass. Where the routing table names another
// first hop than the wire shows, the reason says so whatever the verdict.
// passf takes the number of observations and of RA orders.
func judgeFirstHops(cases []judged, failWhat, passf string) (check.Verdict, string) {
	var wrong, silent, disagree []string
	orders := map[string]bool{}
	for _, c := range cases {
		orders[orderString(c.order)] = true
		total := 0
		for _, h := range c.wire {
			total += h.Frames
			if !slices.Contains(c.allowed, h.Router) {
				wrong = append(wrong, fmt.Sprintf("RA order %s, %s: %s", orderString(c.order), c.what, c.wrong(h)))
			}
		}
		if total == 0 {
			silent = append(silent, fmt.Sprintf("RA order %s, %s: none of the %d datagrams reached the wire (socket errors: %s)",
				orderString(c.order), c.what, c.sent, orNone(c.sendErrors)))
		}
		if !c.tableAgrees && total > 0 {
			disagree = append(disagree, fmt.Sprintf("RA order %s, %s: the routing table says %s, the wire shows %s",
				orderString(c.order), c.what, c.table, hopList(c.wire)))
		}
	}
	note := ""
	if len(disagree) > 0 {
		note = "; the routing table disagrees with the wire: " + strings.Join(disagree, "; ")
	}
	switch {
	case len(wrong) > 0:
		return check.Fail, failWhat + ": " + strings.Join(wrong, "; ") + note
	case len(silent) > 0:
		return check.Error, "cannot decide: " + strings.Join(silent, "; ") + note
	case len(cases) == 0:
		return check.Error, "cannot decide: nothing was tested"
	}
	return check.Pass, fmt.Sprintf(passf, len(cases), len(orders)) + note
}
