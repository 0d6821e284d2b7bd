package mapped

import (
	"context"
	"fmt"
	"strings"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/sockets/peer4"
)

// IDUserspaceFilter is the check that repeats the reported cases through a
// user-space content filter that accepts everything.
const IDUserspaceFilter = "cfil.userspace-filter.first-datagram"

// FilterSpec is what cfil.userspace-filter.first-datagram holds the stack to.
const FilterSpec = "A content filter that accepts every packet is transparent: the first datagram of an IPv4-mapped sendto() " +
	"must still arrive when the flow passes through a user-space verdict path " +
	"(seed: macOS 15.6.1's cfil loses it in sosend_reinject() while sendto() returns success; Linux analogue: NFQUEUE)"

// filterQueue is the NFQUEUE number the check's filter uses. Queues are per
// network namespace, so the lab's own namespace never collides with another.
const filterQueue = 3280

// FilteredObservation is the documented shape of the observations of
// cfil.userspace-filter.first-datagram (observation.FilteredFirstDatagram).
type FilteredObservation = observation.FilteredFirstDatagram

// FilterRecord is the filter the check ran and what it decided.
type FilterRecord = observation.UserFilter

// filterCases are the cases repeated through the filter: the seed's own
// case, and the same socket sending off the machine.
var filterCases = []string{IDSelf, IDPeer}

// UserspaceFilter runs the check with a filter that accepts every packet.
func UserspaceFilter(ctx context.Context, env *harness.Env, p Params) check.Result {
	return userspaceFilter(ctx, env, p, cfil.Accept)
}

// userspaceFilter is the check with the filter's mode as a parameter: the
// self-validation runs it with a dropping filter and expects a fail.
func userspaceFilter(ctx context.Context, env *harness.Env, p Params, mode cfil.Mode) check.Result {
	res := check.Result{ID: IDUserspaceFilter, Spec: FilterSpec, Labels: []string{"cfil"},
		Title: "Dual-stack UDP sendto() through a user-space filter that accepts everything: the first datagram still arrives"}
	lab, peer, err := openDualStack(ctx, env, "dualstack-filtered")
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	defer lab.Close()
	res.Evidence = lab.Evidence
	// OUTPUT sees both cases: datagrams to the SUT's own address leave
	// through OUTPUT (then loop back through INPUT), datagrams to the peer
	// leave through OUTPUT to the wire. The same path as cfil's "out".
	cfg := cfil.UDPFilter(filterQueue, cfil.Outbound, mode)
	fp, err := putFilterOnPath(ctx, lab, cfg)
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	if fp.none != "" {
		// The check exists to put the datagrams through a filter: without
		// one it has nothing to say, and a pass would claim otherwise.
		res.Verdict, res.Reason = check.Skip, fp.none
		return res
	}

	obs := FilteredObservation{Filter: fp.record()}
	fc, err := runFilterCases(ctx, lab, peer, p, fp, &obs)
	if err != nil {
		obs.Filter = fp.record()
		res.Errorf("%v", err)
		_ = res.Observe(obs)
		return res
	}
	obs.Filter = fp.record()
	if fp.own != nil {
		res.Verdict, res.Reason = judgeFiltered(cfg, fp.stats(), refusedAny(obs.Cases), fc.verdicts, fc.reasons)
	} else {
		res.Verdict, res.Reason = judgeSystemFiltered(fp, fc.attached, fc.verdicts, fc.reasons)
	}
	if err := res.Observe(obs); err != nil {
		res.Errorf("%v", err)
	}
	return res
}

// filterCaseResults are the cases repeated through the filter, judged one
// by one; the check's verdict combines them with what the filter did.
type filterCaseResults struct {
	verdicts []check.Verdict
	reasons  []string
	// attached: the kernel attached some socket of the check to the
	// machine's content filter (macOS), so a pass covered the filter.
	attached bool
}

// runFilterCases runs every case of filterCases in turn, appends each
// one's observation to obs.Cases and judges it. The first case the harness
// could not run ends the loop: its error, prefixed with the case's
// destination, is returned, and obs holds the cases observed so far, that
// one included, so the error result still shows what was seen.
func runFilterCases(ctx context.Context, lab *harness.Lab, peer *peer4.Host, p Params, fp filterPath, obs *FilteredObservation) (filterCaseResults, error) {
	var fc filterCaseResults
	for _, id := range filterCases {
		c, _ := CaseByID(id)
		o, err := observeCase(ctx, lab, peer, c, p)
		obs.Cases = append(obs.Cases, o)
		if err != nil {
			return fc, fmt.Errorf("%s: %v", c.To, err)
		}
		v, why := Judge(c.Call(), p.Timeout, o.SocketRecords)
		fc.verdicts = append(fc.verdicts, v)
		why = fmt.Sprintf("%s (%s): %s", c.To, c.ID, why)
		if fp.own == nil {
			// The machine's filter: what cfil saw is the evidence (the
			// reinject failure's kernel lines, if any).
			why = withFilterNote(why, o.CFIL)
		}
		fc.reasons = append(fc.reasons, why)
		fc.attached = fc.attached || (o.CFIL != nil && o.CFIL.FilterOnPath)
	}
	return fc, nil
}

// judgeSystemFiltered combines the cases' verdicts when the machine's own
// content filter was the one on offer (macOS). A loss is the stack's, filter
// or not; but a pass only counts when the filter took the check's sockets
// (the kernel attached them): an agent whose policy does not cover these
// flows leaves them unfiltered, and the check then has nothing to say.
func judgeSystemFiltered(fp filterPath, attached bool, verdicts []check.Verdict, reasons []string) (check.Verdict, string) {
	verdict := worstVerdict(verdicts)
	if verdict == check.Pass && !attached {
		return check.Skip, cfil.NoFilterNote + fmt.Sprintf(" (net.cfil.active_count %d, but no socket of the check was attached: the agent's policy does not cover these flows); ", fp.agents) + strings.Join(reasons, "; ")
	}
	return verdict, strings.Join(reasons, "; ") + "; " + fp.sentence(cfil.FilterStats{})
}

// worstVerdict: error over fail over pass (skip counts as pass here: the
// callers never pass one).
func worstVerdict(vs []check.Verdict) check.Verdict {
	verdict := check.Pass
	for _, v := range vs {
		switch {
		case v == check.Error:
			verdict = check.Error
		case v == check.Fail && verdict != check.Error:
			verdict = check.Fail
		}
	}
	return verdict
}

// judgeFiltered combines the cases' verdicts. A filter that was given no
// packet proves nothing about the filter path: the check then cannot decide,
// unless the stack refused the datagrams itself (a call failed with an
// errno, before the filter's hook): that is the stack's answer, a fail.
func judgeFiltered(cfg cfil.FilterConfig, stats cfil.FilterStats, refused bool, verdicts []check.Verdict, reasons []string) (check.Verdict, string) {
	filter := fmt.Sprintf("user-space filter (NFQUEUE %d on %s, %s) saw %d packets, dropped %d", cfg.Queue, cfg.Hook, cfg.Mode, stats.Seen, stats.Dropped)
	if len(stats.DroppedFlows) > 0 {
		filter += " (" + strings.Join(stats.DroppedFlows, ", ") + ")"
	}
	if stats.Seen == 0 && !refused {
		return check.Error, "cannot decide: the " + filter + ": it was not on the datagrams' path, so nothing was tested through it"
	}
	return worstVerdict(verdicts), strings.Join(reasons, "; ") + "; " + filter
}

// refusedAny reports whether any datagram of the cases was refused by a
// call with an errno.
func refusedAny(cases []Observation) bool {
	for _, c := range cases {
		for _, r := range c.ByNumber {
			if r.Errnos > 0 {
				return true
			}
		}
	}
	return false
}
