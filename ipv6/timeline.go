package ipv6

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// The checks of this file's family (router preference, route information,
// router lifetime, rule 3, flash renumbering) declare what their routers
// send as a timeline of steps: each step is a set of advertisements sent
// together. After each step the run waits for the SUT's tables to show what
// a stack that processed the advertisements shows (the effect: an address,
// a deprecated flag, a route gone), an event and never a sleep, bounded by
// settle_timeout; then it sends new flows and the wire says where they
// went. The observations record every advertisement, effect and flow with
// its time.

// Step is one moment of a check's timeline.
type Step struct {
	Name string
	// Pause, when set, is waited before the step: a router's interval
	// between advertisements, for a timeline that watches behaviour over
	// time (RFC 8978's stale prefix). Steps that react to the previous
	// one's effect have none.
	Pause   time.Duration
	Adverts []Advert
}

// labRun is one lab of a timeline check while it runs.
type labRun struct {
	lab     *harness.Lab
	p       config.IPv6Params
	routers map[string]*Router
	ports   []*topology.Port
	watch   topology.AddressWatch
	t0      time.Time
	tag     string
	steps   int
	flowsN  int

	mu   sync.Mutex
	step string // the step being run, for the advertisements' events
	tl   observation.RATimeline
}

// timelineLab is one lab a timeline check runs: its declaration, a label
// saying which variant it is, and the scenario to play in it.
type timelineLab struct {
	label           string
	tag             string
	decl            topology.Lab
	observationOnly bool
	play            func(ctx context.Context, lr *labRun) error
}

// runTimelineLabs plays every lab, each in a fresh lab, and returns their
// timelines. A lab that cannot be built, or a harness failure in it, ends
// the run with that error (with the timelines so far).
func runTimelineLabs(ctx context.Context, env *harness.Env, p config.IPv6Params, labs []timelineLab, evidence *[]string) ([]observation.RATimeline, error) {
	var out []observation.RATimeline
	for _, l := range labs {
		tl, err := inTimelineLab(ctx, env, p, l, evidence)
		out = append(out, tl)
		if err != nil {
			return out, fmt.Errorf("%s: %w", l.label, err)
		}
	}
	return out, nil
}

func inTimelineLab(ctx context.Context, env *harness.Env, p config.IPv6Params, l timelineLab, evidence *[]string) (observation.RATimeline, error) {
	tl := observation.RATimeline{Lab: l.label, ObservationOnly: l.observationOnly}
	lab, err := env.Realize(ctx, l.decl, l.tag)
	if err != nil {
		return tl, err
	}
	defer func() {
		*evidence = append(*evidence, lab.Evidence...)
		lab.Close()
	}()
	// Subscribed before the first advertisement: no change is missed.
	w, err := topology.WatchTables(lab.SUT())
	if err != nil {
		return tl, err
	}
	defer w.Close()
	lr := &labRun{lab: lab, p: p, routers: map[string]*Router{}, ports: portsOf(lab), watch: w, t0: time.Now(), tag: l.tag, tl: tl}
	for _, r := range lab.Lab().Routers() {
		rt := StartRouter(lab.Port(r.Link), r.Router)
		rt.OnSend(lr.sent)
		lr.routers[r.Name] = rt
		lr.tl.Routers = append(lr.tl.Routers, observation.TimelineRouter{Name: r.Name, MAC: r.MAC.String(), LinkLocal: r.LinkLocal.String(), Link: r.Link})
	}
	err = l.play(ctx, lr)
	if err == nil {
		err = lab.SaveTables("end")
	}
	if err == nil {
		err = routerErrs(lr.routers)
	}
	return lr.result(), err
}

// result is the timeline so far, its events in the order they happened.
func (lr *labRun) result() observation.RATimeline {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	tl := lr.tl
	tl.Events = slices.Clone(lr.tl.Events)
	sort.SliceStable(tl.Events, func(i, j int) bool { return tl.Events[i].AtMS < tl.Events[j].AtMS })
	return tl
}

func (lr *labRun) ms(t time.Time) float64 { return float64(t.Sub(lr.t0).Microseconds()) / 1000 }

func (lr *labRun) add(at time.Time, e observation.TimelineEvent) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	e.AtMS = lr.ms(at)
	if e.Step == "" {
		e.Step = lr.step
	}
	lr.tl.Events = append(lr.tl.Events, e)
}

// sent records an advertisement a router put on the wire.
func (lr *labRun) sent(a Advert, solicited bool, at time.Time) {
	e := observation.TimelineEvent{RA: a.event(solicited)}
	if solicited {
		e.Step = "answer to the SUT's Router Solicitation"
	}
	lr.add(at, e)
}

// note adds a sentence to the lab's notes (what it showed beyond a verdict).
func (lr *labRun) note(format string, args ...any) {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	lr.tl.Notes = append(lr.tl.Notes, fmt.Sprintf(format, args...))
}

// do plays a step: its pause, its advertisements, then the wait for their
// effect on the SUT's tables, recorded; the tables are saved as evidence.
// An effect that does not show within settle_timeout is recorded as
// missing and the run goes on: the flows after it are judged on the wire
// all the same (a stack may act on an advertisement without showing it in
// the tables we read).
func (lr *labRun) do(ctx context.Context, s Step) error {
	if s.Pause > 0 {
		t := time.NewTimer(s.Pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	lr.mu.Lock()
	lr.step = s.Name
	lr.mu.Unlock()
	start := time.Now()
	for _, a := range s.Adverts {
		r, ok := lr.routers[a.Router]
		if !ok {
			return fmt.Errorf("step %q: lab %s has no router %q", s.Name, lr.lab.Lab().Name, a.Router)
		}
		if err := r.Send(a); err != nil {
			return fmt.Errorf("step %q: %w", s.Name, err)
		}
	}
	facts, err := lr.effects(s.Adverts)
	if err != nil {
		return fmt.Errorf("step %q: %w", s.Name, err)
	}
	if _, err := lr.await(ctx, facts, start, lr.p.SettleTimeout); err != nil {
		return fmt.Errorf("step %q: %w", s.Name, err)
	}
	lr.steps++
	return lr.lab.SaveTables(fmt.Sprintf("step%d", lr.steps))
}

// fact is something the SUT's tables show once it processed an
// advertisement.
type fact struct {
	what  string
	holds func(*tables) bool
}

// tables are the SUT's addresses (per interface), routes and neighbours.
type tables struct {
	addrs  map[string][]topology.Address
	routes []topology.RouteEntry
	neigh  []topology.Neighbor
}

func (lr *labRun) read() (*tables, error) {
	t := &tables{addrs: map[string][]topology.Address{}}
	sut := lr.lab.SUT()
	for _, l := range lr.lab.Lab().Links {
		a, err := sut.Addresses(l.Name)
		if err != nil {
			return nil, err
		}
		t.addrs[sut.Interface(l.Name)] = a
	}
	var err error
	if t.routes, err = sut.Routes(); err != nil {
		return nil, err
	}
	if t.neigh, err = sut.Neighbors(); err != nil {
		return nil, err
	}
	return t, nil
}

// await waits until every fact holds or timeout has passed since start,
// waking on every change of the SUT's tables, and records the wait as an
// effect event. It reports whether all held.
func (lr *labRun) await(ctx context.Context, facts []fact, start time.Time, timeout time.Duration) (bool, error) {
	if len(facts) == 0 {
		return true, nil
	}
	deadline := start.Add(timeout)
	var missing []string
	for {
		t, err := lr.read()
		if err != nil {
			return false, err
		}
		missing = missing[:0]
		for _, f := range facts {
			if !f.holds(t) {
				missing = append(missing, f.what)
			}
		}
		if len(missing) == 0 || !time.Now().Before(deadline) {
			break
		}
		if err := lr.watch.Wait(ctx, deadline); err != nil {
			return false, err
		}
	}
	now := time.Now()
	e := &observation.EffectEvent{Seen: len(missing) == 0, AfterMS: float64(now.Sub(start).Microseconds()) / 1000}
	for _, f := range facts {
		e.Awaited = append(e.Awaited, f.what)
	}
	e.Missing = slices.Clone(missing)
	lr.add(now, observation.TimelineEvent{Effect: e})
	return e.Seen, nil
}

func (lr *labRun) placed(name string) (topology.PlacedRouter, string, bool) {
	for _, r := range lr.lab.Lab().Routers() {
		if r.Name == name {
			return r, lr.lab.SUT().Interface(r.Link), true
		}
	}
	return topology.PlacedRouter{}, "", false
}

// effects are the facts a stack that processed the advertisements shows in
// its tables: the router in its neighbour cache (RFC 4861 §6.3.4, from the
// source link-layer address option); for each prefix with lifetimes, an
// address in it that is preferred, deprecated (preferred lifetime 0) or
// gone (valid lifetime 0); each route information option's route present
// or, at lifetime 0, gone; at router lifetime 0, no default route through
// the router learned from Router Advertisements. They say nothing of what
// happens without an advertisement (a route the SUT was given by hand stays
// where it is).
func (lr *labRun) effects(as []Advert) ([]fact, error) {
	var out []fact
	for _, a := range as {
		r, ifname, ok := lr.placed(a.Router)
		if !ok {
			return nil, fmt.Errorf("lab %s has no router %q", lr.lab.Lab().Name, a.Router)
		}
		ll, mac := r.LinkLocal, r.MAC.String()
		out = append(out, fact{fmt.Sprintf("router %s (%s, %s) in the neighbour cache of %s", r.Name, ll, mac, ifname), func(t *tables) bool {
			return slices.ContainsFunc(t.neigh, func(n topology.Neighbor) bool {
				return n.Addr == ll && n.Interface == ifname && n.MAC == mac && n.State != "INCOMPLETE" && n.State != "FAILED"
			})
		}})
		if a.RouterLifetime == 0 {
			out = append(out, fact{fmt.Sprintf("no default route via %s (router %s) learned from Router Advertisements", ll, r.Name), func(t *tables) bool {
				return !slices.ContainsFunc(t.routes, func(e topology.RouteEntry) bool {
					return e.Dst.Bits() == 0 && !e.Src.IsValid() && e.Gateway == ll && e.Interface == ifname && learnedFromRA(e)
				})
			}})
		}
		for _, p := range a.Prefixes {
			prefix := p.Prefix
			switch {
			case p.Valid == 0:
				out = append(out, fact{fmt.Sprintf("no autoconfigured address in %s on %s", prefix, ifname), func(t *tables) bool {
					return !slices.ContainsFunc(t.addrs[ifname], func(x topology.Address) bool { return x.Autoconf && prefix.Contains(x.Prefix.Addr()) })
				}})
			case p.Preferred == 0:
				out = append(out, fact{fmt.Sprintf("the autoconfigured address in %s on %s deprecated", prefix, ifname), func(t *tables) bool {
					return !slices.ContainsFunc(t.addrs[ifname], func(x topology.Address) bool {
						return x.Autoconf && prefix.Contains(x.Prefix.Addr()) && !x.Deprecated
					})
				}})
			default:
				out = append(out, fact{fmt.Sprintf("a preferred address in %s on %s", prefix, ifname), func(t *tables) bool {
					return slices.ContainsFunc(t.addrs[ifname], func(x topology.Address) bool {
						return prefix.Contains(x.Prefix.Addr()) && !x.Tentative && !x.Deprecated
					})
				}})
			}
		}
		for _, rt := range a.Routes {
			dst := rt.Prefix.Masked()
			via := func(t *tables) bool {
				return slices.ContainsFunc(t.routes, func(e topology.RouteEntry) bool {
					return e.Dst.Masked() == dst && e.Gateway == ll && e.Interface == ifname
				})
			}
			if rt.Lifetime == 0 {
				out = append(out, fact{fmt.Sprintf("no route to %s via %s (router %s)", dst, ll, r.Name), func(t *tables) bool { return !via(t) }})
			} else {
				out = append(out, fact{fmt.Sprintf("a route to %s via %s (router %s) on %s", dst, ll, r.Name, ifname), via})
			}
		}
	}
	return out, nil
}

// linuxProtos are the route origins Linux names (topology's dump): any
// other Proto is macOS's netstat flag letters.
var linuxProtos = map[string]bool{"kernel": true, "boot": true, "static": true, "ra": true}

// learnedFromRA tells a route the kernel learned from a Router
// Advertisement: Linux marks it "proto ra"; on macOS such a route carries
// no RTF_STATIC ("S"): defrouter_addreq (nd6_rtr.c) adds it with
// RTF_GATEWAY only, while `route add` sets RTF_STATIC.
func learnedFromRA(e topology.RouteEntry) bool {
	if e.Proto == "ra" {
		return true
	}
	if linuxProtos[e.Proto] || e.Proto == "" {
		return false
	}
	if _, err := fmt.Sscanf(e.Proto, "%d", new(int)); err == nil {
		return false // a numbered Linux protocol
	}
	return !strings.ContainsRune(e.Proto, 'S')
}

// slaac returns the SUT's autoconfigured address in prefix on link.
func (lr *labRun) slaac(link string, prefix netip.Prefix) (netip.Addr, bool) {
	addrs, err := lr.lab.SUT().Addresses(link)
	if err != nil {
		return netip.Addr{}, false
	}
	for _, a := range addrs {
		if a.Autoconf && prefix.Contains(a.Prefix.Addr()) {
			return a.Prefix.Addr(), true
		}
	}
	return netip.Addr{}, false
}

// recordAddresses records, as the kernel holds them now, the SUT's
// addresses on link in prefix (flags and remaining lifetimes), with note;
// it returns them.
func (lr *labRun) recordAddresses(link string, prefix netip.Prefix, note string) ([]topology.Address, error) {
	addrs, err := lr.lab.SUT().Addresses(link)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var out []topology.Address
	for _, a := range addrs {
		if !prefix.Contains(a.Prefix.Addr()) {
			continue
		}
		out = append(out, a)
		lr.add(now, observation.TimelineEvent{Address: addressEvent(a, note)})
	}
	if len(out) == 0 {
		lr.add(now, observation.TimelineEvent{Address: &observation.AddressEvent{Address: prefix.String(), Gone: true, Note: note}})
	}
	return out, nil
}

func addressEvent(a topology.Address, note string) *observation.AddressEvent {
	e := &observation.AddressEvent{Address: a.Prefix.Addr().String(), Valid: a.ValidLft, Preferred: a.PreferredLft, Note: note}
	for _, f := range []struct {
		on   bool
		name string
	}{{a.Autoconf, "autoconf"}, {a.Deprecated, "deprecated"}, {a.Tentative, "tentative"}} {
		if f.on {
			e.Flags = append(e.Flags, f.name)
		}
	}
	return e
}

// flowSpec is a new flow a check sends: a fresh UDP socket, bound to an
// address or not, towards dst, with what the verdict expects of it.
type flowSpec struct {
	purpose string
	// judged flows make the verdict; the others are observations.
	judged bool
	// bound is the socket's address; invalid: unbound.
	bound netip.Addr
	dst   netip.Addr
	// link is the lab link an unbound socket is scoped to where the OS
	// needs it (macOS: topology.UnboundScope).
	link string
	// routers may receive it; sourceIn, when valid, is the prefix its
	// source must lie in, sourceWhy says why.
	routers   []string
	sourceIn  netip.Prefix
	sourceWhy string
}

// flowSent is one flow as flows sent it: the tag its datagrams carry, when
// it went (its timeline moment) and the interface an unbound socket was
// scoped to, kept for the table lookup after the wait.
type flowSent struct {
	spec   flowSpec
	tag    string
	at     time.Time
	ifname string
	sent   sent
}

// flows sends every flow, then one wait covers them all (as observeSources
// does): it ends when every datagram the stack accepted is on the wire, or
// at wire_timeout. Each flow is recorded at the moment it was sent, with
// the routing table's answer for it beside the wire's.
func (lr *labRun) flows(ctx context.Context, specs ...flowSpec) ([]*observation.FlowEvent, error) {
	sut := lr.lab.SUT()
	all, err := lr.sendFlows(sut, specs)
	if err != nil {
		return nil, err
	}
	silent, err := awaitAccepted(ctx, lr.lab, lr.ports, lr.p.WireTimeout, func() bool { return lr.onWire(all) })
	if err != nil {
		return nil, err
	}
	l := lr.lab.Lab()
	var out []*observation.FlowEvent
	for _, s := range all {
		table, err := flowTable(sut, s)
		if err != nil {
			return nil, err
		}
		f := lr.flowEvent(l, s, table, silent)
		lr.add(s.at, observation.TimelineEvent{Flow: f})
		out = append(out, f)
	}
	return out, nil
}

// sendFlows sends each flow from a fresh socket, tagged with the run's tag
// and a number no other flow of the run has, so that the wire's datagrams
// are told apart between flows.
func (lr *labRun) sendFlows(sut topology.SUT, specs []flowSpec) ([]flowSent, error) {
	var all []flowSent
	for _, f := range specs {
		lr.flowsN++
		s := flowSent{spec: f, tag: fmt.Sprintf("%s f%d", lr.tag, lr.flowsN), at: time.Now(), ifname: sut.Interface(f.link)}
		var err error
		if s.sent, err = sendUDP(sut, f.bound, f.dst, s.ifname, lr.p.Datagrams, s.tag); err != nil {
			return nil, err
		}
		all = append(all, s)
	}
	return all, nil
}

// onWire: every datagram the stack accepted, of every flow, is on the wire.
func (lr *labRun) onWire(all []flowSent) bool {
	for _, s := range all {
		if len(fromSource(lr.ports, s.spec.dst, s.sent.src, s.tag)) < s.sent.accepted() {
			return false
		}
	}
	return true
}

// flowTable is the table's opinion for the flow as it went: from the source
// the kernel used; with no source (a refused connect), the lookup a socket
// of that scope makes.
func flowTable(sut topology.SUT, s flowSent) (topology.RouteEntry, error) {
	switch {
	case s.sent.src.IsValid():
		return routeGet(sut, s.spec.dst, s.sent.src)
	case s.spec.bound.IsValid():
		return routeGet(sut, s.spec.dst, s.spec.bound)
	}
	return tableOpinion(tableLookup(sut, s.spec.dst, s.ifname, topology.UnboundScope(sut, s.ifname) != nil))
}

// flowEvent is the flow's observation: what was asked of it, what the
// stack did, the table's answer and the routers its datagrams reached.
func (lr *labRun) flowEvent(l *topology.Lab, s flowSent, table topology.RouteEntry, silent []string) *observation.FlowEvent {
	f := &observation.FlowEvent{Purpose: s.spec.purpose, Judged: s.spec.judged, Destination: s.spec.dst.String(),
		Sent: s.sent.n, SendErrors: s.sent.errors(), Accepted: s.sent.accepted(), ExpectedRouters: s.spec.routers,
		SilentLinks: silent, Table: table.String(), TableRouter: routerOf(l, table)}
	if s.spec.bound.IsValid() {
		f.BoundTo = s.spec.bound.String()
	}
	if s.sent.src.IsValid() {
		f.Source = s.sent.src.String()
	}
	if s.spec.sourceIn.IsValid() {
		f.ExpectedSourcePrefix, f.ExpectedSourceWhy = s.spec.sourceIn.String(), s.spec.sourceWhy
	}
	for _, h := range hops(l, fromSource(lr.ports, s.spec.dst, s.sent.src, s.tag)) {
		f.Wire = append(f.Wire, observation.Hop(h))
	}
	f.TableAgrees = len(f.Wire) == 1 && f.Wire[0].Router == f.TableRouter
	return f
}

// busiest is the router that received most of a flow's frames ("" when
// none did).
func busiest(f *observation.FlowEvent) string {
	best, n := "", 0
	for _, h := range f.Wire {
		if h.Router != "" && h.Frames > n {
			best, n = h.Router, h.Frames
		}
	}
	return best
}

// near is an off-link destination sharing 48 bits with prefix p (and
// fewer with the lab's other prefixes): RFC 6724 rule 8 alone would pick
// the source in p for it.
func near(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As16()
	b[6], b[7], b[15] = 0xff, 0xff, 1
	return netip.AddrFrom16(b)
}
