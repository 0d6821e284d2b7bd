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

// Observation is what one first-datagram case saw: the documented shape of
// the observations of sockets.mapped-sendto.* and sockets.inet4-sendto.*
// (observation.FirstDatagram).
type Observation = observation.FirstDatagram

// Run runs one first-datagram case as a check on a lab of its own.
func Run(ctx context.Context, env *harness.Env, c Case, p Params) check.Result {
	res := check.Result{ID: c.ID, Title: c.Title, Spec: Spec, Labels: []string{"sockets", "mapped-sendto"}}
	if p.Sockets < 1 || p.Timeout <= 0 {
		res.Errorf("harness: %d sockets and a %v window cannot test anything", p.Sockets, p.Timeout)
		return res
	}
	lab, peer, err := openDualStack(ctx, env, "dualstack")
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	defer lab.Close()
	res.Evidence = lab.Evidence
	obs, err := observeCase(ctx, lab, peer, c, p)
	if err != nil {
		res.Errorf("%v", err)
		_ = res.Observe(obs)
		return res
	}
	res.Verdict, res.Reason = Judge(c.Call(), p.Timeout, obs.SocketRecords)
	if res.Verdict == check.Fail && c.To == Peer && obs.PeerARPReplies == 0 && unaccounted(obs.ByNumber) {
		// Nothing can reach a peer whose address the SUT never resolved:
		// say so, so the reader looks at neighbour resolution first. Not
		// when every lost datagram was refused with an errno: ARP has
		// nothing to do with a refused call.
		res.Reason += "; the SUT never sent an ARP request for the peer"
	}
	res.Reason = withFilterNote(res.Reason, obs.CFIL)
	if err := res.Observe(obs); err != nil {
		res.Errorf("%v", err)
	}
	return res
}

// observeCase runs c on a realised lab, with its peer started, between two
// content-filter snapshots.
func observeCase(ctx context.Context, lab *harness.Lab, peer *peer4.Host, c Case, p Params) (Observation, error) {
	obs := Observation{Case: c.ID, Family: c.Family, Bound: c.Bind, Connected: c.Connect, Call: c.Call(),
		Destination: c.To, Sockets: p.Sockets, Timeout: check.Duration(p.Timeout)}
	watch, err := watchFilters(ctx, lab.SUT())
	if err != nil {
		return obs, err
	}
	records, runErr := newCaseRun(c.spec(), p, lab.SUT(), peer).run(ctx)
	obs.SocketRecords, obs.ByNumber = records, Rates(records)
	obs.PeerARPReplies = peer.ARPReplies()
	attr, err := watch.conclude(ctx)
	if err == nil {
		obs.CFIL = &attr
	}
	if runErr != nil {
		return obs, fmt.Errorf("harness could not finish the datagrams: %w", runErr)
	}
	if err != nil {
		return obs, err
	}
	if err := peer.Err(); err != nil {
		return obs, fmt.Errorf("harness: the emulated peer failed, so the wire cannot be trusted: %w", err)
	}
	return obs, nil
}

// openDualStack realises the dual-stack lab (evidence tagged tag) and starts
// its emulated IPv4 peer; on an error nothing of it is left open.
func openDualStack(ctx context.Context, env *harness.Env, tag string) (*harness.Lab, *peer4.Host, error) {
	lab, err := env.Realize(ctx, DualStackLab(), tag)
	if err != nil {
		return nil, nil, err
	}
	peer, err := startPeer(lab)
	if err != nil {
		lab.Close()
		return nil, nil, err
	}
	return lab, peer, nil
}

// startPeer attaches the emulated IPv4 host declared on the lab's link.
func startPeer(lab *harness.Lab) (*peer4.Host, error) {
	link, ok := lab.Lab().Link(labLink)
	if !ok || len(link.Hosts) == 0 {
		return nil, fmt.Errorf("harness: lab %s has no peer on link %s", lab.Lab().Name, labLink)
	}
	return peer4.Start(lab.Port(labLink), link.Hosts[0])
}

// withFilterNote appends what cfil concluded about the path: a reader of a
// failure must see at once whether a content filter took part, and a reader
// of a pass what it covered: without a filter on the path, a pass says
// nothing about the reported loss (cfil.NoFilterNote).
func withFilterNote(reason string, a *cfil.Attribution) string {
	if a == nil {
		return reason
	}
	switch cfil.CoverageOf(*a) {
	case cfil.OnPath:
		note := "content filter: " + a.Summary
		if a.ReinjectFailure != "" && !strings.Contains(a.Summary, a.ReinjectFailure) {
			note += " (" + a.ReinjectFailure + ")"
		}
		return reason + "; " + note
	case cfil.NoFilter:
		return reason + "; " + cfil.NoFilterNote
	}
	return reason + "; whether a content filter was on the path is not known: " + a.Summary
}

// unaccounted reports whether a call succeeded for a datagram that did not
// arrive in time (silent drop or late).
func unaccounted(rates []NumberRate) bool {
	for _, r := range rates {
		if r.SilentDrops+r.Late > 0 {
			return true
		}
	}
	return false
}
