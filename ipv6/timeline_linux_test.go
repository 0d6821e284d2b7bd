package ipv6

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/topology"
)

// TestTimelineRecordsWhatWasSent: on a real Linux SUT, every Router
// Advertisement the routers put on the wire (the capture's frames) is in
// the timeline, in the same order, with the lifetime and preference the
// frame carried; and stock Linux shows every step's effect in its tables,
// as the events say.
func TestTimelineRecordsWhatWasSent(t *testing.T) {
	env := labtest.Env(t, "timeline")
	cfg := labtest.Config(t)
	var frames []topology.Frame
	steps := []Step{
		{Name: "a", Adverts: []Advert{{Router: "a", Preference: topology.PrefHigh, RouterLifetime: stdRouterLifetime, Prefixes: []PrefixInfo{stdPrefix(prefixA)}}}},
		{Name: "b", Adverts: []Advert{{Router: "b", Preference: topology.PrefLow, RouterLifetime: stdRouterLifetime,
			Routes: []RouteInfo{{Prefix: rioPrefix, Lifetime: stdRouterLifetime}}}}},
		{Name: "b withdraws its route", Pause: 20 * time.Millisecond, Adverts: []Advert{{Router: "b", Preference: topology.PrefLow, RouterLifetime: stdRouterLifetime,
			Routes: []RouteInfo{{Prefix: rioPrefix, Lifetime: 0}}}}},
		{Name: "a leaves, a deprecates A", Adverts: []Advert{{Router: "a", Preference: topology.PrefMedium,
			Prefixes: []PrefixInfo{{Prefix: prefixA, Valid: 600 * time.Second}}}}},
	}
	tl, err := inTimelineLab(context.Background(), env, cfg.Params.IPv6, timelineLab{label: "test", tag: "timeline",
		decl: oneLink("timeline", withPrefixes(routerA(), prefixA), withPrefixes(routerB())),
		play: func(ctx context.Context, lr *labRun) error {
			for _, s := range steps {
				if err := lr.do(ctx, s); err != nil {
					return err
				}
			}
			frames = lr.ports[0].Frames()
			return nil
		}}, new([]string))
	if err != nil {
		t.Fatal(err)
	}
	type ra struct {
		router   string
		lifetime uint32
		pref     string
	}
	var wire, events []ra
	for _, f := range frames {
		if f.Dir != topology.ToSUT {
			continue
		}
		pkt := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
		m, ok := pkt.Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
		if !ok {
			continue
		}
		ip := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
		name := map[netip.Addr]string{routerA().LinkLocal: "a", routerB().LinkLocal: "b"}[netip.AddrFrom16([16]byte(ip.SrcIP))]
		pref := map[uint8]string{0: "medium", 0x08: "high", 0x18: "low"}[m.Flags&0x18]
		wire = append(wire, ra{name, uint32(m.RouterLifetime), pref})
	}
	for _, e := range tl.Events {
		if e.RA != nil {
			events = append(events, ra{e.RA.Router, e.RA.RouterLifetime, e.RA.Preference})
		}
		if e.Effect != nil && !e.Effect.Seen {
			t.Errorf("step %q: stock Linux did not show %v", e.Step, e.Effect.Missing)
		}
	}
	if len(wire) < len(steps) || len(wire) != len(events) {
		t.Fatalf("wire RAs %v, timeline RAs %v", wire, events)
	}
	for i := range wire {
		if wire[i] != events[i] {
			t.Errorf("RA %d: wire %+v, timeline %+v", i, wire[i], events[i])
		}
	}
	var effects int
	for i, e := range tl.Events {
		if i > 0 && e.AtMS < tl.Events[i-1].AtMS {
			t.Errorf("events out of order at %d: %v after %v", i, e.AtMS, tl.Events[i-1].AtMS)
		}
		if e.Effect != nil {
			effects++
		}
	}
	if effects != len(steps) {
		t.Errorf("%d effect events for %d steps", effects, len(steps))
	}
}
