// Package browsertest checks the reports as a person sees them: rendered by
// headless Chromium (Debian's chromium package, see
// scripts/install-chromium.sh) driven through chromedp, plus the escaping
// checks on the raw HTML. This file holds the hostile results used by both.
//
// It is test support: it reads the registry of checks (catalog/all), which
// the report packages themselves never import.
package browsertest

import (
	"encoding/json"
	"net/netip"
	"slices"
	"time"

	"github.com/netconform/netconform/catalog"
	_ "github.com/netconform/netconform/catalog/all" // every check registers
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// Payload is what a hostile or merely unlucky system under test could put in
// any string netconform records: it closes the usual raw-text elements,
// opens a script that would mark the page, an image whose error handler
// would, and quotes to break out of attributes.
const Payload = `</textarea></title></style><script>window.__pwned=1;document.title="PWNED"</script><img src=x onerror="window.__pwned=2">'"`

// Hostile returns results whose every string from the system under test
// carries Payload: release identity, reasons, titles, labels, evidence
// paths, known-failure entries, and every text field of the observations of
// every view a registered check uses (catalog/all): the first registered
// check of each view carries its view's hostile observations (views.go), so
// each renderer meets the payload. Addresses are netip values in the
// observation types and cannot carry it. Besides: observations no view
// draws (the generic rendering), and the schema 2 shapes: a repeated run (a
// flaky check's tally) and a check that never ran, its reason hostile too.
func Hostile() *reports.Results {
	p := Payload
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	r := &reports.Results{
		Schema: reports.Schema, SchemaVersion: reports.SchemaVersion,
		Run: reports.Run{ID: "f1x7bad0", Start: start, End: start.Add(time.Minute), ToolVersion: "fixture " + p,
			Profile: "stock" + p, ConfigDigest: "sha256:" + p, LabelFilter: p, Repeat: 3},
		Release: reports.Release{ID: "macos-26.9-" + p, OS: "macos", Name: "macOS" + p, Version: "26.9",
			Build: "25Z1" + p, Kernel: "Darwin " + p, Arch: "arm64" + p, Hardware: "Mac" + p},
	}
	add := func(id, view string, v check.Verdict, obs any) *reports.CheckResult {
		var raw json.RawMessage
		if obs != nil {
			raw, _ = json.Marshal(obs)
		}
		r.Checks = append(r.Checks, reports.CheckResult{
			Result: check.Result{ID: id, View: view, Title: "title " + p, Spec: "RFC " + p, Labels: []string{"sockets", p},
				Verdict: v, Reason: "reason " + p, Observations: raw,
				Evidence: []string{"evidence/" + id + "/" + p + ".pcapng"}, Duration: check.Duration(time.Millisecond)},
			Expected: check.Pass,
		})
		return &r.Checks[len(r.Checks)-1]
	}
	var drawn []string
	for _, e := range catalog.All() {
		if slices.Contains(drawn, e.View) {
			continue
		}
		drawn = append(drawn, e.View)
		h, ok := hostileViews[e.View]
		if !ok {
			// TestHostileCoversEveryView names the view; meanwhile the
			// payload still goes through the generic rendering.
			h = hostileView{verdict: check.Fail, obs: func(p string) any { return map[string]string{p: p} }}
		}
		c := add(e.ID, e.View, h.verdict, h.obs(p))
		if h.decorate != nil {
			h.decorate(c, p)
		}
	}
	add("other.generic", "", check.Error, map[string]any{p: []any{p, map[string]string{p: p}}})
	add("scalar.observations", "", check.Pass, p)
	if nr, ok := neverRan(drawn); ok {
		c := add(nr.ID, nr.View, check.Error, nil)
		c.NotRun = true
		c.Repetitions = &reports.Tally{Runs: 3, Error: 3}
	}
	for i := range r.Checks {
		if r.Checks[i].Repetitions == nil {
			t := reports.Tally{}
			for range 3 {
				t.Add(r.Checks[i].Verdict)
			}
			r.Checks[i].Repetitions = &t
		}
	}
	r.Run.Selected = len(r.Checks)
	return r
}

// neverRan is the check the hostile run selected and never ran: the last
// registered one whose view another check already shows.
func neverRan(drawn []string) (catalog.Entry, bool) {
	all := catalog.All()
	for i := len(all) - 1; i >= 0; i-- {
		e := all[i]
		if slices.Contains(drawn, e.View) && !isFirstOfView(all, i) {
			return e, true
		}
	}
	return catalog.Entry{}, false
}

func isFirstOfView(all []catalog.Entry, i int) bool {
	for _, e := range all[:i] {
		if e.View == all[i].View {
			return false
		}
	}
	return true
}

// hostileView is the hostile result of one view.
type hostileView struct {
	verdict  check.Verdict
	obs      func(p string) any
	decorate func(c *reports.CheckResult, p string)
}

// hostileViews hold, per view, observations of its type with the payload in
// every text field. The verdicts are those the regression report's browser
// test counts on (the fixtures' histories plus this run, macOS 26.9).
var hostileViews = map[string]hostileView{
	observation.ViewFirstHops: {verdict: check.Fail, obs: func(p string) any { return []observation.SourceHops{sourceHops(p)} },
		decorate: func(c *reports.CheckResult, p string) {
			c.Known = &reports.KnownFailure{Reason: p, Bug: "javascript:alert(1)"}
		}},
	observation.ViewRule55: {verdict: check.Pass, obs: func(p string) any {
		s := sourceHops(p)
		return []observation.DestinationHops{{RAOrder: s.RAOrder, Destination: netip.MustParseAddr("2001:db8:b:ffff::1"), Near: s.Prefix,
			Source: s.Source, SourceRouters: s.Expected, Sent: s.Sent, SendErrors: s.SendErrors, Refusals: s.Refusals, Wire: s.Wire,
			SilentLinks: s.SilentLinks, Table: s.Table, TableRouter: s.TableRouter, TableFromSource: s.Table}}
	}},
	observation.ViewFirstDatagram: {verdict: check.Fail, obs: func(p string) any { return firstDatagram(p) },
		decorate: func(c *reports.CheckResult, p string) {
			c.Repetitions, c.Flaky = &reports.Tally{Runs: 3, Pass: 1, Fail: 2}, true
		}},
	observation.ViewFilteredFirstDatagram: {verdict: check.Fail, obs: func(p string) any {
		return observation.FilteredFirstDatagram{Filter: observation.UserFilter{Queue: 1, Hook: p, Match: []string{p}, Mode: observation.FilterMode(p),
			Rules: []string{p}, FilterStats: observation.FilterStats{Seen: 2, Accepted: 1, Dropped: 1, DroppedFlows: []string{p}}},
			Cases: []observation.FirstDatagram{firstDatagram(p)}}
	}},
	observation.ViewChurn: {verdict: check.Fail, obs: func(p string) any {
		return observation.ChurnMeasurement{Config: observation.ChurnConfig{Count: 10, Family: p, Type: p}, OS: p, Arch: p, Kernel: p,
			Iterations: 10, Failures: 2, FirstFailure: &observation.ChurnFailure{Iteration: 10, Call: "socket" + p, Errno: "ENOBUFS" + p, Message: p},
			Recovery: &observation.ChurnRecovery{Tries: 5, Pause: observation.Duration(time.Second), LastErrno: p},
			Killed:   true, Signal: p, Limit: &observation.ChurnLimit{Cgroup: p, Version: 1, MemoryBytes: 2097152, OOMKills: 1, Description: p},
			Samples: []observation.ChurnSample{{Iteration: 0, Counters: map[string]int64{p: 1, "flat" + p: 7}, Errors: []string{p}},
				{Iteration: 10, Counters: map[string]int64{p: 5, "flat" + p: 7}}},
			Stderr: p}
	}},
}

func sourceHops(p string) observation.SourceHops {
	return observation.SourceHops{RAOrder: []string{"A" + p, "B"}, Source: netip.MustParseAddr("2001:db8::1"), Interface: "en0" + p,
		Prefix: netip.MustParsePrefix("2001:db8::/64"), Expected: []string{"B" + p}, Sent: 1, SendErrors: []string{p},
		Refusals: []observation.Refusal{{Call: p, Errno: p, Message: p}},
		Wire:     []observation.Hop{{Router: p, Link: p, MAC: p, Frames: 1, Wrong: true, Why: p}}, SilentLinks: []string{p},
		Table:       observation.Route{Dst: netip.MustParsePrefix("::/0"), Gateway: netip.MustParseAddr("fe80::b"), Interface: p, Proto: p, Pref: p, Error: p},
		TableRouter: p}
}

// firstDatagram: the case, call, family, errno names, socket records, the
// cfil summary, log lines, rules, filters, sysctls and stats carry the
// payload.
func firstDatagram(p string) observation.FirstDatagram {
	state := func(n int) observation.FilterState {
		return observation.FilterState{OS: "darwin" + p, Rules: []string{"rule " + p},
			Queues:  []observation.QueueCounters{{Queue: 1, IDSequence: uint32(n)}},
			Filters: []observation.UserFilterState{{Queue: 1, Hook: p, Mode: observation.FilterMode(p), FilterStats: observation.FilterStats{Seen: n}}},
			Sysctls: map[string]string{p: p + string(rune('0'+n)), "net.cfil.active_count": "1"},
			Stats:   map[string]int64{p: int64(n)}, Errors: []string{"state " + p}}
	}
	a := netip.MustParseAddrPort("[::ffff:192.0.2.1]:4000")
	return observation.FirstDatagram{Case: "sockets.mapped-sendto.self" + p, Family: "inet6" + p, Bound: true, Connected: true, Call: "sendto" + p,
		Destination: observation.DestinationPeer, Sockets: 1, Timeout: observation.Duration(time.Second),
		ByNumber: []observation.NumberRate{{Number: 1, Sent: 1, Errnos: 1, ErrnoNames: map[string]int{"sendto " + p: 1}},
			{Number: 2, Sent: 1, SilentDrops: 1}},
		SocketRecords: []observation.SocketRecord{{Index: 1, Local: a, To: netip.MustParseAddrPort("192.0.2.2:9"), Datagrams: []observation.DatagramResult{
			{Number: 1, Payload: p, Call: p, Return: -1, Errno: p, Outcome: observation.Outcome("errno" + p), Source: a},
			{Number: 2, Payload: p, Call: p, Return: 3, Outcome: observation.OutcomeSilentDrop}}}},
		CFIL: &observation.Attribution{Summary: p, FilterOnPath: true, ReinjectFailure: "sosend_reinject() failed " + p,
			LogLines: []string{"default kernel cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: " + p},
			Before:   state(0), After: state(1), Errors: []string{p}}}
}
