package ipv6

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
)

// timelineJudge is the judge timelineCheck takes for a check whose verdict
// is judgeTimelines's alone, with its headlines and pass text.
func timelineJudge(h headlines, passf string) func([]observation.RATimeline) (check.Verdict, string) {
	return func(tls []observation.RATimeline) (check.Verdict, string) { return judgeTimelines(tls, h, passf) }
}

// judgeTimelines gives the verdict of a timeline check from its
// observations, with judgeFirstHops's rules (fail: a datagram to a router
// not expected, a refused call, an accepted datagram missing while the
// capture heard the SUT on every link; error: a loss on a link the capture
// never heard, or nothing judged), plus one: a judged flow whose source is
// not the one it expects fails. Every judged flow gets its Outcome in
// words. Labs marked observation-only are not judged. Effects the SUT's
// tables never showed are named after the verdict's reason, whatever the
// verdict: they say what the stack did not do, or did without showing it.
// passf takes the number of judged flows and of labs.
func judgeTimelines(tls []observation.RATimeline, h headlines, passf string) (check.Verdict, string) {
	var cases []judged
	var unseen []string
	for i := range tls {
		tl := &tls[i]
		if tl.ObservationOnly {
			continue
		}
		for j := range tl.Events {
			e := &tl.Events[j]
			if e.Effect != nil && !e.Effect.Seen {
				unseen = append(unseen, fmt.Sprintf("%s, step %q: %s", tl.Lab, e.Step, strings.Join(e.Effect.Missing, "; ")))
			}
			if e.Flow == nil || !e.Flow.Judged {
				continue
			}
			f := e.Flow
			c := judged{lab: tl.Lab, what: flowWhat(f), where: fmt.Sprintf(" (%s)", f.Purpose), sent: f.Sent, accepted: f.Accepted,
				allowed: f.ExpectedRouters, refusals: f.SendErrors, silentLinks: f.SilentLinks, tableAgrees: f.TableAgrees, table: f.Table,
				wrong: func(h Hop) string {
					return fmt.Sprintf("%d of %d datagrams went to %s, not to router %s (%s)", h.Frames, f.Sent, h, strings.Join(f.ExpectedRouters, "/"), f.Purpose)
				}}
			for _, w := range f.Wire {
				c.wire = append(c.wire, Hop(w))
			}
			if f.ExpectedSourcePrefix != "" && f.Source != "" && !sourceIn(f.Source, f.ExpectedSourcePrefix) {
				c.badSource = fmt.Sprintf("the kernel chose source %s, not one in %s (%s; %s)", f.Source, f.ExpectedSourcePrefix, f.ExpectedSourceWhy, f.Purpose)
			}
			f.Outcome = flowOutcome(c)
			cases = append(cases, c)
		}
	}
	v, reason := judgeFirstHops(cases, h, passf)
	if len(unseen) > 0 {
		reason += "; the SUT's tables never showed (within settle_timeout): " + strings.Join(unseen, "; ")
	}
	return v, reason
}

// sourceIn reports whether the address src lies in prefix (both as the
// observations write them); anything unparsable does not.
func sourceIn(src, prefix string) bool {
	a, err1 := netip.ParseAddr(src)
	p, err2 := netip.ParsePrefix(prefix)
	return err1 == nil && err2 == nil && p.Contains(a)
}

// flowWhat names a flow in a reason: "new flow from 2001:db8:a::1 to
// 2001:db8:ffff::1" or "new unbound flow to ... (source ...)".
func flowWhat(f *observation.FlowEvent) string {
	if f.BoundTo != "" {
		return fmt.Sprintf("new flow from %s to %s", f.BoundTo, f.Destination)
	}
	if f.Source == "" {
		return fmt.Sprintf("new unbound flow to %s", f.Destination)
	}
	return fmt.Sprintf("new unbound flow to %s (source %s)", f.Destination, f.Source)
}

// flowOutcome is one judged flow's judgement in words, for the report.
func flowOutcome(c judged) string {
	var bad []string
	if c.badSource != "" {
		bad = append(bad, "wrong source: "+c.badSource)
	}
	total := 0
	for _, h := range c.wire {
		total += h.Frames
		if !slices.Contains(c.allowed, h.Router) {
			bad = append(bad, fmt.Sprintf("wrong router: %s", h))
		}
	}
	if len(c.refusals) > 0 {
		bad = append(bad, "refused: "+strings.Join(c.refusals, ", "))
	}
	if total < c.accepted {
		lost := fmt.Sprintf("%d of the %d datagrams the stack accepted never reached the wire", c.accepted-total, c.accepted)
		if len(c.silentLinks) > 0 {
			lost += " (undecidable: the capture never heard the SUT on " + strings.Join(c.silentLinks, ", ") + ")"
		}
		bad = append(bad, lost)
	}
	if len(bad) == 0 {
		return "as expected"
	}
	return strings.Join(bad, "; ")
}
