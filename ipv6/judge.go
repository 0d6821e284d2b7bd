package ipv6

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netconform/netconform/check"
)

// judged is one observation as the verdict sees it: where its datagrams went
// and which routers were allowed to receive them.
type judged struct {
	order []string
	// lab, when set, names the lab instead of the RA order ("RA order
	// a,b; a High, b Low"): the timeline checks vary more than the order.
	lab  string
	what string // "source 2001:db8:a::1", "destination 2001:db8:b:ffff::1"
	// where says what makes a refusal or a loss the stack's doing: "in
	// 2001:db8:b::/64, advertised by router b, on the link".
	where string
	sent  int
	// accepted is how many datagrams the stack took; refusals are the
	// calls it refused, as text ("connect: EACCES (permission denied)").
	accepted    int
	allowed     []string
	wire        []Hop
	refusals    []string
	silentLinks []string
	// badSource, when set, says how the source the kernel chose broke the
	// check's rule (RFC 6724 rule 3, RFC 8978).
	badSource   string
	tableAgrees bool
	table       string // the routing table's answer, as `ip -6 route` prints it
	// wrong describes datagrams that went to a router not allowed, for the
	// reason; prefixOf names the prefix they needed ("the prefix of source
	// 2001:db8:b::1 (2001:db8:b::/64)"), for the mark on the hop (whyWrong).
	wrong    func(Hop) string
	prefixOf string
}

// headlines of a failure, per check: what went wrong in general terms,
// followed by every observation that shows it.
type headlines struct {
	wrong, refused, lost string
	// source heads the flows whose source was wrong (checks of source
	// address selection only).
	source string
}

// judgeFirstHops gives the verdict of the first-hop checks:
//   - fail when any datagram reached a router not allowed (the stack chose
//     wrongly), when the stack refused a call needed to send (socket, bind,
//     connect or write failed with an errno: its answer, named with the call
//     and the errno), or when it accepted datagrams that never reached the
//     wire while the capture was seeing the SUT's frames on every link;
//   - error when nothing was tested, or when accepted datagrams are missing on
//     a lab whose capture saw no frame at all from the SUT on some link (a
//     lost datagram cannot be told from a broken capture there);
//   - pass otherwise.
//
// It marks each hop of the cases' wire that it finds wrong (Hop.Wrong and
// Hop.Why, in the observations the cases' wire slices belong to): the
// verdict's facts are judged here once, and the report shows the marks.
//
// Where the routing table names another first hop than the wire shows, the
// reason says so whatever the verdict. passf takes the number of
// observations and of RA orders.
func judgeFirstHops(cases []judged, h headlines, passf string) (check.Verdict, string) {
	var wrong, refused, lost, unsure, disagree, source []string
	orders := map[string]bool{}
	for _, c := range cases {
		at := fmt.Sprintf("RA order %s, %s", orderString(c.order), c.what)
		if c.lab != "" {
			at = c.lab + ", " + c.what
			orders[c.lab] = true
		} else {
			orders[orderString(c.order)] = true
		}
		if c.badSource != "" {
			source = append(source, at+": "+c.badSource)
		}
		total := 0
		for j, h := range c.wire {
			total += h.Frames
			bad := !slices.Contains(c.allowed, h.Router)
			if bad {
				wrong = append(wrong, at+": "+c.wrong(h))
			}
			c.wire[j].Wrong, c.wire[j].Why = bad, whyWrong(h, bad, c.allowed, c.prefixOf)
		}
		if len(c.refusals) > 0 {
			refused = append(refused, fmt.Sprintf("%s%s: %s", at, c.where, strings.Join(c.refusals, ", ")))
		}
		if acc := c.accepted; total < acc {
			missing := fmt.Sprintf("%s%s: %d of the %d datagrams the stack accepted never reached the wire", at, c.where, acc-total, acc)
			if len(c.silentLinks) > 0 {
				unsure = append(unsure, fmt.Sprintf("%s, and the capture saw no frame at all from the SUT on %s", missing, strings.Join(c.silentLinks, ", ")))
			} else {
				lost = append(lost, missing)
			}
		}
		if !c.tableAgrees && total > 0 {
			disagree = append(disagree, fmt.Sprintf("%s: the routing table says %s, the wire shows %s", at, c.table, hopList(c.wire)))
		}
	}
	note := ""
	if len(disagree) > 0 {
		note = "; the routing table disagrees with the wire: " + strings.Join(disagree, "; ")
	}
	var fails []string
	for _, f := range []struct {
		head  string
		items []string
	}{{h.source, source}, {h.wrong, wrong}, {h.refused, refused}, {h.lost, lost}} {
		if len(f.items) > 0 {
			fails = append(fails, f.head+": "+strings.Join(f.items, "; "))
		}
	}
	switch {
	case len(fails) > 0:
		return check.Fail, strings.Join(fails, "; ") + note
	case len(unsure) > 0:
		return check.Error, "cannot decide: " + strings.Join(unsure, "; ") + note
	case len(cases) == 0:
		return check.Error, "cannot decide: nothing was tested"
	}
	return check.Pass, fmt.Sprintf(passf, len(cases), len(orders)) + note
}

// whyWrong says why datagrams must not reach hop h (bad), in the words the
// report shows beside it; "" for a hop that is right.
func whyWrong(h Hop, bad bool, allowed []string, prefixOf string) string {
	switch {
	case !bad:
		return ""
	case h.Router == "":
		return fmt.Sprintf("no router of the lab has MAC %s", h.MAC)
	case len(allowed) == 0:
		return fmt.Sprintf("no router advertised %s", prefixOf)
	}
	return fmt.Sprintf("router %s did not advertise %s; router %s did", h.Router, prefixOf, strings.Join(allowed, "/"))
}
