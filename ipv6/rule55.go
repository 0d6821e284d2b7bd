package ipv6

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// Rule55Observation is what an unbound socket did towards one destination
// (package observation holds the shape, for the reports).
type Rule55Observation = observation.DestinationHops

// rule55Destinations are off-link destinations each closer (longest common
// prefix) to one router's prefix than to the other's: a stack that picks the
// source by rule 8 before looking at the next hop shows it on one of them.
func rule55Destinations() []struct {
	dst  netip.Addr
	near netip.Prefix
} {
	return []struct {
		dst  netip.Addr
		near netip.Prefix
	}{
		{netip.MustParseAddr("2001:db8:a:ffff::1"), prefixA},
		{netip.MustParseAddr("2001:db8:b:ffff::1"), prefixB},
	}
}

// JudgeRule55: the source the kernel chose must lie in a prefix advertised by
// the router the datagrams went to (RFC 6724 §5, rule 5.5, as RFC 8028 §3 asks).
// It marks in obs every hop it finds wrong (judgeFirstHops).
func JudgeRule55(obs []Rule55Observation) (check.Verdict, string) {
	cases := make([]judged, len(obs))
	for i, o := range obs {
		where := ""
		if o.Source.IsValid() {
			where = fmt.Sprintf(" (source %s, advertised by router %s)", o.Source, strings.Join(o.SourceRouters, "/"))
		}
		cases[i] = judged{order: o.RAOrder, sent: o.Sent, allowed: o.SourceRouters, wire: o.Wire, refusals: refusalTexts(o.Refusals), accepted: accepted(o.Sent, o.Refusals),
			silentLinks: o.SilentLinks, tableAgrees: o.TableAgrees, table: o.Table.String(), what: "destination " + o.Destination.String(),
			where: where, prefixOf: fmt.Sprintf("the prefix of source %s, which the kernel chose", o.Source),
			wrong: func(h Hop) string {
				return fmt.Sprintf("the kernel chose source %s (advertised by router %s) but sent to %s",
					o.Source, strings.Join(o.SourceRouters, "/"), h)
			}}
	}
	return judgeFirstHops(cases, headlines{
		wrong:   "source address and first hop disagree",
		refused: "the stack refused to send from an unbound socket while both routers are on the link",
		lost:    "the stack accepted datagrams from an unbound socket and did not send them",
	}, "for every destination (%d observations over %d RA orders) the chosen source lies in a prefix of the chosen router")
}

// Rule55 checks that an unbound socket's source address and first hop agree.
func Rule55(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDRule55, Spec: "RFC 6724 §5 rule 5.5; RFC 8028 §3",
		Title: "Unbound socket: the chosen source lies in a prefix advertised by the chosen first-hop router"}
	return overOrders(ctx, env, p, res, SameLinkLab(), "rule55", observeRule55, JudgeRule55)
}

// observeRule55 lets the kernel choose the source towards each destination
// and sees which router the datagrams went to. Both destinations are sent
// to first, then one wait covers them (as in observeSources).
func observeRule55(ctx context.Context, lab *harness.Lab, p config.IPv6Params, order []string, tag string, _ map[netip.Prefix]netip.Addr) ([]Rule55Observation, error) {
	l := lab.Lab()
	ports := portsOf(lab)
	dests := rule55Destinations()
	sends := make([]sent, len(dests))
	tags := make([]string, len(dests))
	for i, d := range dests {
		tags[i] = tag + " " + d.dst.String()
		s, err := sendUDP(lab.SUT(), netip.Addr{}, d.dst, l.Links[0].SUTIf, p.Datagrams, tags[i])
		if err != nil {
			return nil, err
		}
		sends[i] = s
	}
	complete := func() bool {
		for i, d := range dests {
			if len(fromSource(ports, d.dst, sends[i].src, tags[i])) < sends[i].accepted() {
				return false
			}
		}
		return true
	}
	silent, err := awaitAccepted(ctx, lab, ports, p.WireTimeout, complete)
	if err != nil {
		return nil, err
	}
	var obs []Rule55Observation
	for i, d := range dests {
		src := sends[i].src
		table, err := tableOpinion(tableLookup(lab.SUT(), d.dst, l.Links[0].SUTIf, topology.UnboundScope(lab.SUT(), l.Links[0].SUTIf) != nil))
		if err != nil {
			return nil, err
		}
		fromSrc, err := routeGet(lab.SUT(), d.dst, src)
		if err != nil {
			return nil, err
		}
		o := Rule55Observation{RAOrder: order, Destination: d.dst, Near: d.near, Source: src, SourceRouters: advertisers(l, src),
			Sent: p.Datagrams, SendErrors: sends[i].errors(), Refusals: sends[i].refusals, Wire: hops(l, fromSource(ports, d.dst, src, tags[i])),
			SilentLinks: silent, Table: table, TableRouter: routerOf(l, table), TableFromSource: fromSrc}
		o.TableAgrees = len(o.Wire) == 1 && o.Wire[0].Router == o.TableRouter
		obs = append(obs, o)
	}
	return obs, nil
}

// tableLookup asks the SUT's routing table which route serves dst with no
// source, in the scope the check's socket has. scoped says the socket is
// bound to ifname (topology.UnboundScope: macOS): there the lookup must be scoped
// too, since a lab's default routes exist only scoped to its interface
// (nd6_rtr.c, defrouter_addreq) and an unscoped lookup reads the Mac's own
// table, which would make every result "disagree with the wire".
func tableLookup(sut topology.SUT, dst netip.Addr, ifname string, scoped bool) (topology.RouteEntry, error) {
	if !scoped {
		return sut.RouteGet(dst, netip.Addr{})
	}
	s, ok := sut.(topology.ScopedRouteGetter)
	if !ok {
		return topology.RouteEntry{}, fmt.Errorf("route get %s: the socket is scoped to %s but this SUT cannot scope a routing-table lookup", dst, ifname)
	}
	return s.RouteGetOn(dst, ifname)
}
