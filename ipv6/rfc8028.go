package ipv6

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// Check ids are stable public names: reports across releases are keyed by them.
const (
	IDSameLink       = "ipv6.rfc8028.same-link"
	IDMultiInterface = "ipv6.rfc8028.multi-interface"
	IDRule55         = "ipv6.rfc6724.rule5-5"
)

// SourceObservation is what one source address did in one RA order: the
// shape of the RFC 8028 checks' observations, in package observation so
// the reports read the same type.
type SourceObservation = observation.SourceHops

func orderString(o []string) string { return strings.Join(o, ",") }

// JudgeSources gives the RFC 8028 verdict over every source in every order: a
// datagram whose source is in prefix P must reach a router that advertised P.
// It marks in obs every hop it finds wrong (judgeFirstHops).
func JudgeSources(obs []SourceObservation) (check.Verdict, string) {
	cases := make([]judged, len(obs))
	for i, o := range obs {
		cases[i] = judged{order: o.RAOrder, sent: o.Sent, allowed: o.Expected, wire: o.Wire, refusals: refusalTexts(o.Refusals), accepted: accepted(o.Sent, o.Refusals),
			silentLinks: o.SilentLinks, tableAgrees: o.TableAgrees, table: o.Table.String(), what: "source " + o.Source.String(),
			where:    fmt.Sprintf(" (in %s, advertised by router %s on %s)", o.Prefix, strings.Join(o.Expected, "/"), o.Interface),
			prefixOf: fmt.Sprintf("the prefix of source %s (%s)", o.Source, o.Prefix),
			wrong: func(h Hop) string {
				return fmt.Sprintf("%d of %d datagrams from %s (in %s, advertised by router %s) went to %s",
					h.Frames, o.Sent, o.Source, o.Prefix, strings.Join(o.Expected, "/"), h)
			}}
	}
	return judgeFirstHops(cases, headlines{
		wrong:   "traffic left via a router that did not advertise its source prefix",
		refused: "the stack refused to send from an address it holds while the router that advertised its prefix is on the link",
		lost:    "the stack accepted datagrams from an address it holds and did not send them",
	}, "every source (%d observations over %d RA orders) left via a router that advertised its prefix")
}

func hopList(hs []Hop) string {
	var s []string
	for _, h := range hs {
		s = append(s, h.String())
	}
	return strings.Join(s, " and ")
}

// learn has the routers advertise in order, waiting after each until the SUT
// holds an address in each of its prefixes, so the SUT learns them in exactly
// that order. It returns the SUT's address per prefix.
func learn(ctx context.Context, lab *harness.Lab, routers map[string]*Router, order []string, p config.IPv6Params) (map[netip.Prefix]netip.Addr, error) {
	// Subscribed before the first RA: no address change is missed.
	w, err := topology.WatchAddresses(lab.SUT())
	if err != nil {
		return nil, err
	}
	defer w.Close()
	addrs := map[netip.Prefix]netip.Addr{}
	for _, name := range order {
		r := routers[name]
		if err := r.Advertise(); err != nil {
			return nil, err
		}
		link := linkOf(lab.Lab(), name)
		for _, prefix := range r.Decl().Prefixes {
			a, err := awaitSLAAC(ctx, lab.SUT(), w, link, prefix, p.SettleTimeout)
			if err != nil {
				return nil, err
			}
			addrs[prefix] = a
		}
	}
	return addrs, nil
}

func linkOf(lab *topology.Lab, router string) string {
	for _, r := range lab.Routers() {
		if r.Name == router {
			return r.Link
		}
	}
	return ""
}

func startRouters(lab *harness.Lab) map[string]*Router {
	rs := map[string]*Router{}
	for _, r := range lab.Lab().Routers() {
		rs[r.Name] = StartRouter(lab.Port(r.Link), r.Router)
	}
	return rs
}

func routerErrs(rs map[string]*Router) error {
	var errs []error
	for _, r := range rs {
		errs = append(errs, r.Err())
	}
	return errors.Join(errs...)
}

// SameLink checks RFC 8028 §3 on one link with two routers.
func SameLink(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	return sourcesCheck(ctx, env, p, check.Result{ID: IDSameLink, Spec: "RFC 8028 §3",
		Title: "One link, two routers: each source address leaves via the router that advertised its prefix"}, SameLinkLab())
}

// MultiInterface checks RFC 8028 §3 with one router per interface.
func MultiInterface(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	return sourcesCheck(ctx, env, p, check.Result{ID: IDMultiInterface, Spec: "RFC 8028 §3",
		Title: "Two interfaces, one router each: each interface's address leaves through that interface to its router"}, MultiInterfaceLab())
}

func sourcesCheck(ctx context.Context, env *harness.Env, p config.IPv6Params, res check.Result, decl topology.Lab) check.Result {
	return overOrders(ctx, env, p, res, decl, decl.Name, observeSources, JudgeSources)
}

// observeSources sends from every source the SUT configured, each bound to
// its address, and sees where the datagrams went. Every source sends first,
// then one wait covers them all: it ends as soon as every datagram the stack
// accepted is on the wire (at once when it accepted none), or at wire_timeout.
func observeSources(ctx context.Context, lab *harness.Lab, p config.IPv6Params, order []string, tag string, addrs map[netip.Prefix]netip.Addr) ([]SourceObservation, error) {
	l := lab.Lab()
	ports := portsOf(lab)
	type sending struct {
		router topology.PlacedRouter
		prefix netip.Prefix
		src    netip.Addr
		msgTag string
		sent   sent
	}
	var all []sending
	for _, r := range l.Routers() {
		for _, prefix := range r.Prefixes {
			src := addrs[prefix]
			msgTag := tag + " " + src.String()
			s, err := sendUDP(lab.SUT(), src, offLink, r.SUTIf, p.Datagrams, msgTag)
			if err != nil {
				return nil, err
			}
			all = append(all, sending{router: r, prefix: prefix, src: src, msgTag: msgTag, sent: s})
		}
	}
	complete := func() bool {
		for _, s := range all {
			if len(fromSource(ports, offLink, s.src, s.msgTag)) < s.sent.accepted() {
				return false
			}
		}
		return true
	}
	silent, err := awaitAccepted(ctx, lab, ports, p.WireTimeout, complete)
	if err != nil {
		return nil, err
	}
	var obs []SourceObservation
	for _, s := range all {
		table, err := routeGet(lab.SUT(), offLink, s.src)
		if err != nil {
			return nil, err
		}
		o := SourceObservation{RAOrder: order, Source: s.src, Interface: s.router.SUTIf, Prefix: s.prefix,
			Expected: advertisers(l, s.src), Sent: p.Datagrams, SendErrors: s.sent.errors(), Refusals: s.sent.refusals,
			Wire: hops(l, fromSource(ports, offLink, s.src, s.msgTag)), Table: table, TableRouter: routerOf(l, table),
			SilentLinks: silent}
		o.TableAgrees = len(o.Wire) == 1 && o.Wire[0].Router == o.TableRouter
		obs = append(obs, o)
	}
	return obs, nil
}
