package ipv6

import (
	"context"
	"time"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
)

// The multihoming checks: router preference, route information, router and
// prefix lifetimes, flash renumbering. Each is proved on Linux by a
// configuration it must pass and one it must fail; the faults are sysctls
// of the SUT's interface (sut0 in every Linux lab), routes and addresses a
// stack may be given by hand, or the shipped source-routing profile, whose
// static routes know no preference and no lifetime.
func init() {
	stock := catalog.Proof{Name: "stock", Want: check.Pass}
	sourceRouting := catalog.Proof{Name: "source-routing", Want: check.Pass, ProfileName: "source-routing"}
	// A fault under which an effect the run waits for never shows: keep
	// the wait short.
	shortSettle := func(p *config.Params) { p.IPv6.SettleTimeout = 500 * time.Millisecond }
	catalog.Register(
		multihoming(DefaultPreference, check.Descriptor{ID: IDDefaultPreference, Labels: []string{"ipv6", "rfc4191"}, Spec: "RFC 4191 §3.2",
			Title: "Two routers, one prefix, High and Low preference: off-link traffic goes to the High one, whichever was learned first"},
			[]catalog.Proof{stock,
				// Linux then takes every router as Medium
				// (ndisc_router_discovery): the first learned wins.
				{Name: "accept_ra_rtr_pref=0", Want: check.Fail,
					Fault:  harness.ShellFault("echo 0 > /proc/sys/net/ipv6/conf/sut0/accept_ra_rtr_pref"),
					Reason: `did not go to the router with the higher Default Router Preference.*router b High.*went to router a`},
				// Static source-specific routes, the first router's
				// with the lower metric: preference is lost.
				{Name: "source-routing", Want: check.Fail, ProfileName: "source-routing",
					Reason: `did not go to the router with the higher Default Router Preference`},
			}),
		multihoming(SourceOverPreference, check.Descriptor{ID: IDSourceOverPreference, Labels: []string{"ipv6", "rfc8028", "rfc4191"}, Spec: "RFC 8028 §3",
			Title: "Router a (prefix A) High, router b (prefix B) Low: traffic from the B address still goes to b"},
			[]catalog.Proof{
				// Stock Linux routes every source by its one best
				// default route: router a, the High one.
				{Name: "stock", Want: check.Fail, Reason: `did not advertise its source prefix.*from 2001:db8:b:.*went to router a`},
				sourceRouting,
			}),
		multihoming(RouteInformation, check.Descriptor{ID: IDRouteInformation, Labels: []string{"ipv6", "rfc4191"}, Spec: "RFC 4191 §3.1 (type C host)",
			Title: "A Route Information Option from the non-preferred router draws the traffic to its prefix; lifetime 0 withdraws it"},
			[]catalog.Proof{stock, sourceRouting,
				// The kernel's default (the lab sets 64): every
				// Route Information Option is ignored.
				{Name: "accept_ra_rt_info_max_plen=0", Want: check.Fail, Params: shortSettle,
					Fault:  harness.ShellFault("echo 0 > /proc/sys/net/ipv6/conf/sut0/accept_ra_rt_info_max_plen"),
					Reason: `did not follow the Route Information Option.*2001:db8:5000::1.*went to router a`},
			}),
		multihoming(RouterLifetimeZero, check.Descriptor{ID: IDRouterLifetimeZero, Labels: []string{"ipv6", "rfc4861"}, Spec: "RFC 4861 §6.3.4",
			Title: "The router in use sends Router Lifetime 0: new traffic moves to the other router at once"},
			[]catalog.Proof{stock,
				// A default route given by hand, which no RA can
				// withdraw, through router a.
				{Name: "static-default-via-a", Want: check.Fail,
					Fault:  harness.ShellFault("ip -6 route add default via fe80::a dev sut0 metric 1"),
					Reason: `still went to a router that had sent Router Lifetime 0.*went to router a`},
				{Name: "source-routing", Want: check.Fail, ProfileName: "source-routing",
					Reason: `still went to a router that had sent Router Lifetime 0`},
			}),
		multihoming(Rule3Deprecated, check.Descriptor{ID: IDRule3Deprecated, Labels: []string{"ipv6", "rfc6724"}, Spec: "RFC 6724 §5 rule 3; RFC 4862 §5.5.4",
			Title: "The address in use for new flows is deprecated (Preferred Lifetime 0): new flows move to the other address"},
			[]catalog.Proof{stock, sourceRouting,
				// Linux ignores a PIO whose valid lifetime is below
				// accept_ra_min_lft (addrconf_prefix_rcv): the
				// deprecation (valid for ten minutes) never lands,
				// while the router lifetime (1800 s) still does.
				{Name: "accept_ra_min_lft=1800", Want: check.Fail, Params: shortSettle,
					Fault:  harness.ShellFault("echo 1800 > /proc/sys/net/ipv6/conf/sut0/accept_ra_min_lft"),
					Reason: `new flows still used the deprecated address`},
			}),
		multihoming(FlashRenumbering, check.Descriptor{ID: IDFlashRenumbering, Labels: []string{"ipv6", "rfc8978"}, Spec: "RFC 8978 §1, §2; RFC 4862 §5.5.3; RFC 6724 rule 3",
			Title: "Prefix A replaced by C in one RA: new flows use the C address (A's fate, and a silently dropped A, observed)"},
			[]catalog.Proof{
				{Name: "stock", Want: check.Pass, Reason: `two-hour rule`},
				sourceRouting,
				// The valid lifetime honoured (Linux 6.9+): the
				// address goes within seconds; still a pass.
				{Name: "ra_honor_pio_life=1", Want: check.Pass,
					Fault:  harness.ShellFault("echo 1 > /proc/sys/net/ipv6/conf/sut0/ra_honor_pio_life"),
					Reason: `honoured the 2s valid lifetime.*removed`},
				// An address in A given by hand: no RA deprecates it,
				// and rule 8 serves the destination near A from it.
				{Name: "static-address-in-A", Want: check.Fail,
					Fault:  harness.ShellFault("ip -6 addr add 2001:db8:a::100/64 dev sut0"),
					Reason: `did not use the address in the new prefix.*chose source 2001:db8:a::100`},
			}),
	)
}

// multihoming is the catalog entry of one multihoming check: all of them are
// ipv6 suite checks shown as RA timelines, need a SUT that configures an
// address from a lab RA (as register.go's checks do), and take the suite's
// IPv6 parameters.
func multihoming(f func(context.Context, *harness.Env, config.IPv6Params) check.Result, d check.Descriptor, proofs []catalog.Proof) catalog.Entry {
	d.Suite, d.View = "ipv6", observation.ViewRATimeline
	return catalog.Entry{Descriptor: d, Proofs: proofs, Needs: []doctor.Need{doctor.NeedRA},
		Run: func(ctx context.Context, env *harness.Env) check.Result { return f(ctx, env, env.Params.IPv6) }}
}
