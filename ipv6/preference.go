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

// Check ids of the multihoming checks: stable public names.
const (
	IDDefaultPreference    = "ipv6.rfc4191.default-preference"
	IDSourceOverPreference = "ipv6.rfc8028.source-over-preference"
	IDRouteInformation     = "ipv6.rfc4191.route-information"
	IDRouterLifetimeZero   = "ipv6.rfc4861.router-lifetime-zero"
	IDRule3Deprecated      = "ipv6.rfc6724.rule3-deprecated"
	IDFlashRenumbering     = "ipv6.rfc8978.flash-renumbering"
)

// withPrefixes is r declared with the prefixes it advertises at some point
// of the timeline (the profile commands' facts, NC_ROUTER_*_PREFIXES).
func withPrefixes(r topology.Router, ps ...netip.Prefix) topology.Router {
	r.Prefixes = ps
	return r
}

// oneLink is a lab of one link with the given routers.
func oneLink(name string, routers ...topology.Router) topology.Lab {
	return topology.Lab{Name: name, Links: []topology.Link{{
		Name: "l0", SUTIf: "sut0", SUTMAC: hw("02:00:00:00:00:01"), Routers: routers,
	}}}
}

// bothOrders are the orders in which the SUT learns routers a and b.
var bothOrders = [][]string{{"a", "b"}, {"b", "a"}}

func other(name string) string {
	if name == "a" {
		return "b"
	}
	return "a"
}

func prefName(p topology.Preference) string {
	s := p.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// timelineCheck runs the labs and judges them; a lab the harness could not
// play makes the result an error, with the observations made so far.
func timelineCheck(ctx context.Context, env *harness.Env, p config.IPv6Params, res check.Result, labs []timelineLab,
	judge func([]observation.RATimeline) (check.Verdict, string)) check.Result {
	tls, err := runTimelineLabs(ctx, env, p, labs, &res.Evidence)
	if err != nil {
		res.Errorf("%v", err)
		_ = res.Observe(tls)
		return res
	}
	res.Verdict, res.Reason = judge(tls)
	if err := res.Observe(tls); err != nil {
		res.Errorf("%v", err)
	}
	return res
}

// DefaultPreference checks RFC 4191 §3.2: two routers advertise the same
// prefix, one with High and one with Low Default Router Preference;
// off-link traffic goes to the High one whichever the SUT learned first.
// Each router is the High one in turn, in both orders (four labs): a stack
// that ignores the preference and keeps the first-learned router, or always
// prefers one router for another reason (its address), fails one of them.
func DefaultPreference(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDDefaultPreference, Spec: "RFC 4191 §3.2",
		Title: "Two routers, one prefix, High and Low preference: off-link traffic goes to the High one, whichever was learned first"}
	var labs []timelineLab
	for _, high := range []string{"a", "b"} {
		pref := map[string]topology.Preference{high: topology.PrefHigh, other(high): topology.PrefLow}
		for _, order := range bothOrders {
			labs = append(labs, timelineLab{
				label: fmt.Sprintf("RA order %s; router %s High, router %s Low", orderString(order), high, other(high)),
				tag:   fmt.Sprintf("pref-%shigh-%s", high, strings.Join(order, "")),
				decl:  oneLink("pref", withPrefixes(routerA(), prefixA), withPrefixes(routerB(), prefixA)),
				play: func(ctx context.Context, lr *labRun) error {
					for _, name := range order {
						a := Advert{Router: name, Preference: pref[name], RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{stdPrefix(prefixA)}}
						if err := lr.do(ctx, Step{Name: fmt.Sprintf("router %s advertises %s, %s preference", name, prefixA, pref[name]), Adverts: []Advert{a}}); err != nil {
							return err
						}
					}
					src, ok := lr.slaac("l0", prefixA)
					if !ok {
						return fmt.Errorf("the SUT holds no address in %s", prefixA)
					}
					why := fmt.Sprintf("router %s has the higher preference", high)
					_, err := lr.flows(ctx,
						flowSpec{purpose: "off-link, unbound; " + why, judged: true, dst: offLink, link: "l0", routers: []string{high}},
						flowSpec{purpose: "off-link, from the address in " + prefixA.String() + "; " + why, judged: true, bound: src, dst: offLink, link: "l0", routers: []string{high}})
					return err
				},
			})
		}
	}
	return timelineCheck(ctx, env, p, res, labs, timelineJudge(headlines{
		wrong:   "off-link traffic did not go to the router with the higher Default Router Preference",
		refused: "the stack refused to send off-link while two routers are on the link",
		lost:    "the stack accepted off-link datagrams and did not send them",
	}, "every new off-link flow (%d over %d labs: both RA orders, each router High in turn) went to the High-preference router"))
}

// SourceOverPreference checks RFC 8028 §3: router a advertises prefix A
// with High preference, router b prefix B with Low; traffic from the B
// address still goes to b, since a router that advertised the source's
// prefix is preferred "regardless of Default Router Preference"; traffic
// from the A address goes to a. Both RA orders.
func SourceOverPreference(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDSourceOverPreference, Spec: "RFC 8028 §3",
		Title: "Router a (prefix A) High, router b (prefix B) Low: traffic from the B address still goes to b"}
	pref := map[string]topology.Preference{"a": topology.PrefHigh, "b": topology.PrefLow}
	prefix := map[string]netip.Prefix{"a": prefixA, "b": prefixB}
	var labs []timelineLab
	for _, order := range bothOrders {
		labs = append(labs, timelineLab{
			label: fmt.Sprintf("RA order %s; router a High (%s), router b Low (%s)", orderString(order), prefixA, prefixB),
			tag:   "srcpref-" + strings.Join(order, ""),
			decl:  oneLink("srcpref", withPrefixes(routerA(), prefixA), withPrefixes(routerB(), prefixB)),
			play: func(ctx context.Context, lr *labRun) error {
				for _, name := range order {
					a := Advert{Router: name, Preference: pref[name], RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{stdPrefix(prefix[name])}}
					if err := lr.do(ctx, Step{Name: fmt.Sprintf("router %s advertises %s, %s preference", name, prefix[name], pref[name]), Adverts: []Advert{a}}); err != nil {
						return err
					}
				}
				var specs []flowSpec
				for _, name := range []string{"a", "b"} {
					src, ok := lr.slaac("l0", prefix[name])
					if !ok {
						return fmt.Errorf("the SUT holds no address in %s", prefix[name])
					}
					specs = append(specs, flowSpec{judged: true, bound: src, dst: offLink, link: "l0", routers: []string{name},
						purpose: fmt.Sprintf("off-link from the address in %s, which router %s advertised (%s preference)", prefix[name], name, pref[name])})
				}
				_, err := lr.flows(ctx, specs...)
				return err
			},
		})
	}
	return timelineCheck(ctx, env, p, res, labs, timelineJudge(headlines{
		wrong:   "traffic left via a router that did not advertise its source prefix (Default Router Preference put before the source)",
		refused: "the stack refused to send from an address it holds while the router that advertised its prefix is on the link",
		lost:    "the stack accepted datagrams from an address it holds and did not send them",
	}, "every source (%d new flows over %d RA orders) left via the router that advertised its prefix, whatever its preference"))
}
