package ipv6

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/topology"
)

var (
	// rioPrefix is the more-specific route router b announces; rioDst
	// lies in it and in no prefix of the lab.
	rioPrefix = netip.MustParsePrefix("2001:db8:5000::/48")
	rioDst    = netip.MustParseAddr("2001:db8:5000::1")
)

// RouteInformation checks RFC 4191 §3.1 for a type C host: router a is
// the default router (Medium preference, prefix A); router b, a Low
// preference default router advertising no prefix, announces a Route
// Information Option for 2001:db8:5000::/48. Traffic to that prefix goes to
// b, other off-link traffic to a. Then b sends the option with lifetime 0:
// traffic to the prefix goes to a. Both RA orders.
func RouteInformation(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDRouteInformation, Spec: "RFC 4191 §3.1 (type C host)",
		Title: "A Route Information Option from the non-preferred router draws the traffic to its prefix; lifetime 0 withdraws it"}
	advert := map[string]Advert{
		"a": {Router: "a", Preference: topology.PrefMedium, RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{stdPrefix(prefixA)}},
		"b": {Router: "b", Preference: topology.PrefLow, RouterLifetime: stdRouterLifetime,
			Routes: []RouteInfo{{Prefix: rioPrefix, Preference: topology.PrefMedium, Lifetime: stdRouterLifetime}}},
	}
	withdraw := advert["b"]
	withdraw.Routes = []RouteInfo{{Prefix: rioPrefix, Preference: topology.PrefMedium, Lifetime: 0}}
	var labs []timelineLab
	for _, order := range bothOrders {
		labs = append(labs, timelineLab{
			label: fmt.Sprintf("RA order %s; router a Medium (%s), router b Low with a route to %s", orderString(order), prefixA, rioPrefix),
			tag:   "rio-" + strings.Join(order, ""),
			decl:  oneLink("rio", withPrefixes(routerA(), prefixA), withPrefixes(routerB())),
			play: func(ctx context.Context, lr *labRun) error {
				for _, name := range order {
					step := fmt.Sprintf("router a advertises %s, Medium preference", prefixA)
					if name == "b" {
						step = fmt.Sprintf("router b advertises itself, Low preference, with a route to %s", rioPrefix)
					}
					if err := lr.do(ctx, Step{Name: step, Adverts: []Advert{advert[name]}}); err != nil {
						return err
					}
				}
				if _, err := lr.flows(ctx,
					flowSpec{purpose: "to the announced prefix: router b's route is more specific than any default", judged: true, dst: rioDst, link: "l0", routers: []string{"b"}},
					flowSpec{purpose: "off-link elsewhere: the preferred default router", judged: true, dst: offLink, link: "l0", routers: []string{"a"}},
				); err != nil {
					return err
				}
				if err := lr.do(ctx, Step{Name: fmt.Sprintf("router b withdraws its route to %s (lifetime 0)", rioPrefix), Adverts: []Advert{withdraw}}); err != nil {
					return err
				}
				_, err := lr.flows(ctx,
					flowSpec{purpose: "to the withdrawn prefix: only default routes are left, router a's preferred", judged: true, dst: rioDst, link: "l0", routers: []string{"a"}},
					flowSpec{purpose: "off-link elsewhere: the preferred default router", judged: true, dst: offLink, link: "l0", routers: []string{"a"}},
				)
				return err
			},
		})
	}
	return timelineCheck(ctx, env, p, res, labs, timelineJudge(headlines{
		wrong:   "traffic did not follow the Route Information Option (or its withdrawal)",
		refused: "the stack refused to send while its routers are on the link",
		lost:    "the stack accepted datagrams and did not send them",
	}, "every new flow (%d over %d RA orders) followed the announced route while it was announced, and the default router once it was withdrawn"))
}

// RouterLifetimeZero checks RFC 4861 §6.3.4: both routers advertise the
// same prefix; the one the SUT sends its traffic to (found on the wire
// first) then sends an RA with Router Lifetime 0, and new traffic goes to
// the other at once: such a router is timed out immediately. Both orders.
func RouterLifetimeZero(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDRouterLifetimeZero, Spec: "RFC 4861 §6.3.4",
		Title: "The router in use sends Router Lifetime 0: new traffic moves to the other router at once"}
	advert := func(name string, lifetime bool) Advert {
		a := Advert{Router: name, Preference: topology.PrefMedium, Prefixes: []PrefixInfo{stdPrefix(prefixA)}}
		if lifetime {
			a.RouterLifetime = stdRouterLifetime
		}
		return a
	}
	var labs []timelineLab
	for _, order := range bothOrders {
		labs = append(labs, timelineLab{
			label: fmt.Sprintf("RA order %s; both routers advertise %s, Medium preference", orderString(order), prefixA),
			tag:   "rlz-" + strings.Join(order, ""),
			decl:  oneLink("rlz", withPrefixes(routerA(), prefixA), withPrefixes(routerB(), prefixA)),
			play: func(ctx context.Context, lr *labRun) error {
				for _, name := range order {
					if err := lr.do(ctx, Step{Name: fmt.Sprintf("router %s advertises %s", name, prefixA), Adverts: []Advert{advert(name, true)}}); err != nil {
						return err
					}
				}
				probe, err := lr.flows(ctx, flowSpec{purpose: "which router does the SUT use?", judged: true, dst: offLink, link: "l0", routers: []string{"a", "b"}})
				if err != nil {
					return err
				}
				used := busiest(probe[0])
				if used == "" {
					// Refused or lost: the probe's judgement says so;
					// there is no router in use to withdraw.
					lr.note("no router received the probe flow: there was no router in use to withdraw")
					return nil
				}
				src, ok := lr.slaac("l0", prefixA)
				if !ok {
					return fmt.Errorf("the SUT holds no address in %s", prefixA)
				}
				if err := lr.do(ctx, Step{Name: fmt.Sprintf("router %s, the one in use, sends Router Lifetime 0", used), Adverts: []Advert{advert(used, false)}}); err != nil {
					return err
				}
				why := fmt.Sprintf("router %s sent Router Lifetime 0", used)
				_, err = lr.flows(ctx,
					flowSpec{purpose: "off-link, unbound; " + why, judged: true, dst: offLink, link: "l0", routers: []string{other(used)}},
					flowSpec{purpose: fmt.Sprintf("off-link from the address in %s; %s", prefixA, why), judged: true, bound: src, dst: offLink, link: "l0", routers: []string{other(used)}})
				return err
			},
		})
	}
	return timelineCheck(ctx, env, p, res, labs, timelineJudge(headlines{
		wrong:   "new traffic still went to a router that had sent Router Lifetime 0",
		refused: "the stack refused to send while a default router was on the link",
		lost:    "the stack accepted datagrams and did not send them",
	}, "after the router in use sent Router Lifetime 0, every new flow went to the other router (%d flows over %d RA orders)"))
}
