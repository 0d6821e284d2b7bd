package browsertest

import (
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
)

// The RA timeline view, with the payload in every text field.
func init() {
	hostileViews[observation.ViewRATimeline] = hostileView{verdict: check.Fail, obs: func(p string) any {
		return []observation.RATimeline{{Lab: p, Notes: []string{p},
			Routers: []observation.TimelineRouter{{Name: p, MAC: p, LinkLocal: p, Link: p}},
			Events: []observation.TimelineEvent{
				{Step: p, RA: &observation.RAEvent{Router: p, Preference: p, Prefixes: []observation.PIOEvent{{Prefix: p}},
					Routes: []observation.RIOEvent{{Prefix: p, Preference: p}}}},
				{Step: p, Effect: &observation.EffectEvent{Awaited: []string{p}, Missing: []string{p}}},
				{Step: p, Flow: &observation.FlowEvent{Purpose: p, Judged: true, BoundTo: p, Source: p, Destination: p, Sent: 1, SendErrors: []string{p},
					Wire: []observation.Hop{{Router: p, Link: p, MAC: p, Frames: 1, Wrong: true, Why: p}}, ExpectedRouters: []string{p},
					ExpectedSourcePrefix: p, ExpectedSourceWhy: p, SilentLinks: []string{p}, Table: p, TableRouter: p, Outcome: p}},
				{Step: p, Address: &observation.AddressEvent{Address: p, Flags: []string{p}, Note: p}},
			}}}
	}}
}
