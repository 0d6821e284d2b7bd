package ipv6

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// prefixC is the prefix that replaces A in flash renumbering.
var prefixC = netip.MustParsePrefix("2001:db8:c::/64")

// The lifetimes of the renumbering steps. deprecateValid keeps a deprecated
// prefix valid for ten more minutes (nothing runs out during the check);
// flashValid is RFC 8978's short valid lifetime for the prefix replaced,
// two seconds: the only lifetime a check here may see run out, and only on
// a SUT that honours it (most hold it at two hours, RFC 4862 §5.5.3(e)).
const (
	deprecateValid = 600 * time.Second
	flashValid     = 2 * time.Second
	// stalePause is the interval at which the router re-advertises C
	// alone, three times: the window in which the stale-prefix lab
	// watches new flows (about a second).
	stalePause = 500 * time.Millisecond
)

// Rule3Deprecated checks RFC 6724 rule 3 with RFC 4862 §5.5.4: one router
// advertises prefixes A and B and the SUT holds an address in each. The
// check first finds which address the SUT uses for new flows from an
// unbound socket, then the router advertises that address's prefix with
// Preferred Lifetime 0 (valid for ten more minutes): new flows move to the
// other address, also towards a destination that rule 8 alone would serve
// from the deprecated one. The PIOs go in both orders (two labs): a stack
// that prefers its newest address uses a different one in each, so each
// address gets deprecated once.
func Rule3Deprecated(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDRule3Deprecated, Spec: "RFC 6724 §5 rule 3; RFC 4862 §5.5.4",
		Title: "The address in use for new flows is deprecated (Preferred Lifetime 0): new flows move to the other address"}
	var labs []timelineLab
	for _, pios := range [][]netip.Prefix{{prefixA, prefixB}, {prefixB, prefixA}} {
		labs = append(labs, timelineLab{
			label: fmt.Sprintf("router a advertises %s then %s in one RA", pios[0], pios[1]),
			tag:   fmt.Sprintf("rule3-%s", pioTag(pios)),
			decl:  oneLink("rule3", withPrefixes(routerA(), prefixA, prefixB)),
			play:  playRule3(pios),
		})
	}
	return timelineCheck(ctx, env, p, res, labs, timelineJudge(headlines{
		source:  "new flows still used the deprecated address",
		wrong:   "traffic went to a router other than the only one",
		refused: "the stack refused to send while its router is on the link",
		lost:    "the stack accepted datagrams and did not send them",
	}, "once the address in use was deprecated, every new flow used the other address (%d flows over %d labs: each PIO order)"))
}

// playRule3 advertises pios in that order, finds the address new flows
// use, deprecates its prefix and sends new flows that must move to the
// other address.
func playRule3(pios []netip.Prefix) func(ctx context.Context, lr *labRun) error {
	return func(ctx context.Context, lr *labRun) error {
		first := rule3Advert(pios, netip.Prefix{})
		if err := lr.do(ctx, Step{Name: fmt.Sprintf("router a advertises %s and %s", pios[0], pios[1]), Adverts: []Advert{first}}); err != nil {
			return err
		}
		probe, err := lr.flows(ctx, flowSpec{purpose: "which address does the SUT use for new flows?", judged: true, dst: offLink, link: "l0", routers: []string{"a"}})
		if err != nil {
			return err
		}
		used, _ := netip.ParseAddr(probe[0].Source)
		var dep, keep netip.Prefix
		switch {
		case prefixA.Contains(used):
			dep, keep = prefixA, prefixB
		case prefixB.Contains(used):
			dep, keep = prefixB, prefixA
		case used.IsValid():
			return fmt.Errorf("the SUT sent its probe flow from %s, in neither %s nor %s", used, prefixA, prefixB)
		default:
			// Refused: the probe's judgement says so, and there is
			// no address in use to deprecate.
			lr.note("the probe flow was refused: there was no address in use to deprecate")
			return nil
		}
		other, ok := lr.slaac("l0", keep)
		if !ok {
			return fmt.Errorf("the SUT holds no address in %s", keep)
		}
		second := rule3Advert(pios, dep)
		if err := lr.do(ctx, Step{Name: fmt.Sprintf("router a deprecates %s, the prefix of %s (Preferred Lifetime 0)", dep, used), Adverts: []Advert{second}}); err != nil {
			return err
		}
		if _, err := lr.recordAddresses("l0", dep, "the address in use before, after its prefix was deprecated"); err != nil {
			return err
		}
		why := fmt.Sprintf("RFC 6724 rule 3: the router deprecated %s, the prefix of %s; %s stays preferred", dep, used, other)
		_, err = lr.flows(ctx,
			flowSpec{purpose: "new flow, unbound, off-link", judged: true, dst: offLink, link: "l0", routers: []string{"a"}, sourceIn: keep, sourceWhy: why},
			flowSpec{purpose: fmt.Sprintf("new flow, unbound, to a destination near %s (rule 8 alone would pick %s)", dep, used), judged: true,
				dst: near(dep), link: "l0", routers: []string{"a"}, sourceIn: keep, sourceWhy: why})
		return err
	}
}

// rule3Advert is router a's RA with a PIO for each of pios, in order: the
// order is what the two labs vary. dep's PIO (when dep is one of them)
// deprecates it: Preferred Lifetime 0, still valid for deprecateValid.
func rule3Advert(pios []netip.Prefix, dep netip.Prefix) Advert {
	a := Advert{Router: "a", Preference: topology.PrefMedium, RouterLifetime: stdRouterLifetime}
	for _, pf := range pios {
		pi := stdPrefix(pf)
		if pf == dep {
			pi = PrefixInfo{Prefix: pf, Valid: deprecateValid, Preferred: 0}
		}
		a.Prefixes = append(a.Prefixes, pi)
	}
	return a
}

func pioTag(ps []netip.Prefix) string {
	var s []string
	for _, p := range ps {
		b := p.Addr().As16()
		s = append(s, fmt.Sprintf("%x", b[5]))
	}
	return strings.Join(s, "")
}

// FlashRenumbering checks RFC 8978's case with the router's help: router a
// replaces prefix A with C in one RA (A with Preferred Lifetime 0 and a
// Valid Lifetime of two seconds, C fresh). New flows must use the C address
// through a, also towards a destination that rule 8 alone would serve from
// A. Observed, not judged: what the SUT did with A's valid lifetime
// (honoured, or held at two hours as RFC 4862 §5.5.3(e) allows; when
// honoured, when A went away). A second lab, observation only, plays RFC
// 8978's own case: the router advertises C alone, never mentioning A again,
// for about a second; it records which source new flows used meanwhile and
// how long the SUT would go on holding A preferred.
func FlashRenumbering(ctx context.Context, env *harness.Env, p config.IPv6Params) check.Result {
	res := check.Result{ID: IDFlashRenumbering, Spec: "RFC 8978 §1, §2; RFC 4862 §5.5.3; RFC 6724 rule 3",
		Title: "Prefix A replaced by C in one RA: new flows use the C address (A's fate, and a silently dropped A, observed)"}
	decl := oneLink("flash", withPrefixes(routerA(), prefixA, prefixC))
	first := Advert{Router: "a", Preference: topology.PrefMedium, RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{stdPrefix(prefixA)}}
	labs := []timelineLab{{
		label: fmt.Sprintf("router a replaces %s with %s in one RA", prefixA, prefixC),
		tag:   "flash",
		decl:  decl,
		play:  playFlash(first),
	}, {
		label:           fmt.Sprintf("router a stops advertising %s and advertises %s alone (observation only)", prefixA, prefixC),
		tag:             "flash-stale",
		decl:            decl,
		observationOnly: true,
		play:            playStalePrefix(first),
	}}
	return timelineCheck(ctx, env, p, res, labs, func(tls []observation.RATimeline) (check.Verdict, string) {
		v, reason := judgeTimelines(tls, headlines{
			source:  "after renumbering, new flows did not use the address in the new prefix",
			wrong:   "traffic went to a router other than the only one",
			refused: "the stack refused to send while its router is on the link",
			lost:    "the stack accepted datagrams and did not send them",
		}, "after renumbering, every new flow used the address in the new prefix through the router (%d flows, %d lab)")
		var notes []string
		for _, tl := range tls {
			notes = append(notes, tl.Notes...)
		}
		if len(notes) > 0 {
			reason += "; observed (not judged): " + strings.Join(notes, "; ")
		}
		return v, reason
	})
}

// playFlash is the judged lab: A advertised, one new flow, then A
// deprecated with a short valid lifetime and C fresh in one RA; new flows
// must use the C address. What became of the A address is noted.
func playFlash(first Advert) func(ctx context.Context, lr *labRun) error {
	return func(ctx context.Context, lr *labRun) error {
		if err := lr.do(ctx, Step{Name: fmt.Sprintf("router a advertises %s", prefixA), Adverts: []Advert{first}}); err != nil {
			return err
		}
		if _, err := lr.flows(ctx, flowSpec{purpose: "new flow before renumbering", judged: true, dst: near(prefixA), link: "l0", routers: []string{"a"}}); err != nil {
			return err
		}
		renumber := Advert{Router: "a", Preference: topology.PrefMedium, RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{
			{Prefix: prefixA, Valid: flashValid, Preferred: 0}, stdPrefix(prefixC)}}
		if err := lr.do(ctx, Step{Name: fmt.Sprintf("router a renumbers: %s with Preferred Lifetime 0 and Valid Lifetime %s, %s fresh", prefixA, flashValid, prefixC),
			Adverts: []Advert{renumber}}); err != nil {
			return err
		}
		held, err := lr.recordAddresses("l0", prefixA, fmt.Sprintf("after the renumbering RA (valid lifetime %s advertised)", flashValid))
		if err != nil {
			return err
		}
		if _, ok := lr.slaac("l0", prefixC); !ok {
			return fmt.Errorf("the SUT configured no address in %s", prefixC)
		}
		why := fmt.Sprintf("RFC 8978: %s replaced %s, whose address is deprecated", prefixC, prefixA)
		if _, err := lr.flows(ctx,
			flowSpec{purpose: "new flow, unbound, off-link, after renumbering", judged: true, dst: offLink, link: "l0", routers: []string{"a"}, sourceIn: prefixC, sourceWhy: why},
			flowSpec{purpose: fmt.Sprintf("new flow, unbound, to a destination near %s, after renumbering", prefixA), judged: true, dst: near(prefixA), link: "l0", routers: []string{"a"}, sourceIn: prefixC, sourceWhy: why},
		); err != nil {
			return err
		}
		return lr.validLifetimeFate(ctx, held)
	}
}

// validLifetimeFate notes what the SUT made of A's short valid lifetime
// and, when it honoured it, waits (events, bounded by the lifetime and two
// seconds) for the address to go, recording when it did.
func (lr *labRun) validLifetimeFate(ctx context.Context, held []topology.Address) error {
	var addr topology.Address
	for _, a := range held {
		if a.Autoconf {
			addr = a
		}
	}
	switch {
	case !addr.Prefix.IsValid():
		lr.note("the SUT no longer held an autoconfigured address in %s right after the renumbering RA", prefixA)
		return nil
	case addr.ValidLft == nil:
		lr.note("the SUT's remaining valid lifetime for %s cannot be read on this OS", addr.Prefix.Addr())
		return nil
	case *addr.ValidLft > uint32(flashValid/time.Second):
		lr.note("the SUT held %s's valid lifetime at %s, not the %s advertised (RFC 4862 §5.5.3(e): the two-hour rule)",
			addr.Prefix.Addr(), lifetimeWords(*addr.ValidLft), flashValid)
		return nil
	}
	lr.note("the SUT honoured the %s valid lifetime advertised for %s (%s left right after the RA)", flashValid, addr.Prefix.Addr(), lifetimeWords(*addr.ValidLft))
	start := time.Now()
	a := addr.Prefix.Addr()
	link := lr.lab.Lab().Links[0].Name
	ifname := lr.lab.SUT().Interface(link)
	gone := fact{fmt.Sprintf("%s gone from %s", a, ifname), func(t *tables) bool {
		for _, x := range t.addrs[ifname] {
			if x.Prefix.Addr() == a {
				return false
			}
		}
		return true
	}}
	ok, err := lr.await(ctx, []fact{gone}, start, flashValid+2*time.Second)
	if err != nil {
		return err
	}
	if ok {
		lr.note("%s was removed %.1f s after the renumbering RA", a, time.Since(start).Seconds())
	} else {
		lr.note("%s was still there %s after the renumbering RA, its valid lifetime of %s past", a, flashValid+2*time.Second, flashValid)
	}
	_, err = lr.recordAddresses(link, prefixA, "when the wait for the end of its valid lifetime ended")
	return err
}

// playStalePrefix is RFC 8978's case: A advertised, then C alone, three
// times at stalePause, with new flows after each, towards a destination
// rule 8 serves from A and one where A and C tie. It notes which source
// the flows used and how long the SUT would go on preferring A.
func playStalePrefix(first Advert) func(ctx context.Context, lr *labRun) error {
	return func(ctx context.Context, lr *labRun) error {
		if err := lr.do(ctx, Step{Name: fmt.Sprintf("router a advertises %s", prefixA), Adverts: []Advert{first}}); err != nil {
			return err
		}
		a, ok := lr.slaac("l0", prefixA)
		if !ok {
			return fmt.Errorf("the SUT holds no address in %s", prefixA)
		}
		onlyC := Advert{Router: "a", Preference: topology.PrefMedium, RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{stdPrefix(prefixC)}}
		var start time.Time
		stale := map[string]int{}
		total := map[string]int{}
		lastStale := map[string]time.Duration{}
		dsts := []struct {
			dst  netip.Addr
			what string
		}{{near(prefixA), "near " + prefixA.String()}, {offLink, "equally far from both prefixes"}}
		for i := 0; i < 3; i++ {
			s := Step{Name: fmt.Sprintf("router a advertises %s alone (%s no longer mentioned)", prefixC, prefixA), Adverts: []Advert{onlyC}}
			if i > 0 {
				s.Pause, s.Name = stalePause, fmt.Sprintf("router a advertises %s alone again, %s later", prefixC, stalePause)
			}
			if err := lr.do(ctx, s); err != nil {
				return err
			}
			if i == 0 {
				start = time.Now()
			}
			var specs []flowSpec
			for _, d := range dsts {
				specs = append(specs, flowSpec{purpose: fmt.Sprintf("new flow, unbound, to a destination %s", d.what), dst: d.dst, link: "l0", routers: []string{"a"}})
			}
			fs, err := lr.flows(ctx, specs...)
			if err != nil {
				return err
			}
			for k, f := range fs {
				total[dsts[k].what]++
				if f.Source == a.String() {
					stale[dsts[k].what]++
					lastStale[dsts[k].what] = time.Since(start)
				}
			}
		}
		held, err := lr.recordAddresses("l0", prefixA, "the stale address, after the last advertisement of "+prefixC.String()+" alone")
		if err != nil {
			return err
		}
		window := time.Since(start).Round(10 * time.Millisecond)
		for _, d := range dsts {
			if stale[d.what] == 0 {
				lr.note("with %s no longer advertised, new flows to a destination %s used the %s address from the first one on", prefixA, d.what, prefixC)
				continue
			}
			lr.note("with %s no longer advertised, %d of %d new flows to a destination %s still used %s, the last one %s after the first advertisement without it (watched for %s)",
				prefixA, stale[d.what], total[d.what], d.what, a, lastStale[d.what].Round(time.Millisecond), window)
		}
		for _, h := range held {
			if h.Autoconf && h.PreferredLft != nil {
				lr.note("the SUT still held %s preferred for %s and valid for %s: as long as new flows may keep using it",
					h.Prefix.Addr(), lifetimeWords(*h.PreferredLft), lifetimeWords(ptrOr(h.ValidLft)))
			}
		}
		return nil
	}
}

func ptrOr(p *uint32) uint32 {
	if p == nil {
		return 0
	}
	return *p
}

// lifetimeWords renders a lifetime in seconds, with hours beside large
// ones.
func lifetimeWords(s uint32) string {
	switch {
	case s == topology.ForeverLft:
		return "ever"
	case s >= 3600:
		return fmt.Sprintf("%d s (%.1f h)", s, float64(s)/3600)
	}
	return fmt.Sprintf("%d s", s)
}
