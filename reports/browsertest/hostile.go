// Package browsertest checks the reports as a person sees them: rendered by
// headless Chromium (Debian's chromium package, see
// scripts/install-chromium.sh) driven through chromedp, plus the escaping
// checks on the raw HTML. This file holds the hostile results used by both.
package browsertest

import (
	"encoding/json"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

// Payload is what a hostile or merely unlucky system under test could put in
// any string netconform records: it closes the usual raw-text elements,
// opens a script that would mark the page, an image whose error handler
// would, and quotes to break out of attributes.
const Payload = `</textarea></title></style><script>window.__pwned=1;document.title="PWNED"</script><img src=x onerror="window.__pwned=2">'"`

// Hostile returns results whose every string from the system under test
// carries Payload: release identity, reasons, titles, labels, interface names
// in RFC 8028 observations, every string of the first-datagram and cfil
// observations (socket records, rules, sysctls, log lines), errno text,
// counter names and the cgroup in churn observations, evidence paths, known-failure entries;
// and the schema 2 shapes: a repeated run (a flaky check's tally) and a
// check that never ran, its reason hostile too.
func Hostile() *reports.Results {
	p := Payload
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	r := &reports.Results{
		Schema: reports.Schema, SchemaVersion: reports.SchemaVersion,
		Run: reports.Run{ID: "f1x7bad0", Start: start, End: start.Add(time.Minute), ToolVersion: "fixture " + p,
			Profile: "stock" + p, ConfigDigest: "sha256:" + p, LabelFilter: p, Repeat: 3, Selected: 7},
		Release: reports.Release{ID: "macos-26.9-" + p, OS: "macos", Name: "macOS" + p, Version: "26.9",
			Build: "25Z1" + p, Kernel: "Darwin " + p, Arch: "arm64" + p, Hardware: "Mac" + p},
	}
	obs := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	add := func(id string, v check.Verdict, o json.RawMessage, known *reports.KnownFailure) {
		r.Checks = append(r.Checks, reports.CheckResult{
			Result: check.Result{ID: id, Title: "title " + p, Spec: "RFC " + p, Labels: []string{"sockets", p},
				Verdict: v, Reason: "reason " + p, Observations: o,
				Evidence: []string{"evidence/" + id + "/" + p + ".pcapng"}, Duration: check.Duration(time.Millisecond)},
			Expected: check.Pass, Known: known,
		})
	}
	add("ipv6.rfc8028.same-link", check.Fail, obs([]map[string]any{{
		"ra_order": []string{"A" + p, "B"}, "source": "2001:db8::1" + p, "interface": "en0" + p, "prefix": p,
		"expected_routers": []string{"B" + p}, "sent": 1, "send_errors": []string{p},
		"wire":  []map[string]any{{"router": p, "link": p, "mac": p, "frames": 1}},
		"table": map[string]any{"dst": p, "gateway": p, "interface": p, "error": p}, "table_router": p, "table_agrees": false,
	}}), &reports.KnownFailure{Reason: p, Bug: "javascript:alert(1)"})
	// The first-datagram shape (docs/results-schema.md "sockets"), so the
	// dedicated renderer, not the generic one, meets the payload: in the
	// case, call, family, destination, errno names, socket records, the
	// cfil summary, log lines, rules, queues, sysctls and stats.
	state := func(n int) map[string]any {
		return map[string]any{"os": "darwin" + p, "rules": []string{"rule " + p},
			"queues":  []map[string]any{{"queue": 1, p: p + string(rune('0'+n))}},
			"filters": []map[string]any{{"queue": 1, "mode": p, "seen": n}},
			"sysctls": map[string]string{p: p + string(rune('0'+n)), "net.cfil.active_count": "1"},
			"stats":   map[string]int64{p: int64(n)}, "errors": []string{"state " + p}}
	}
	dgCase := map[string]any{
		"case": "sockets.mapped-sendto.self" + p, "family": "inet6" + p, "bound": true, "connected": true, "call": "sendto" + p,
		"destination": "peer", "sockets": 1, "timeout": 1,
		"by_number": []map[string]any{{"number": 1, "sent": 1, "delivered": 0, "silent_drops": 0, "errnos": 1, "late": 0, "errno_names": map[string]int{"sendto " + p: 1}},
			{"number": 2, "sent": 1, "delivered": 0, "silent_drops": 1, "errnos": 0, "late": 0}},
		"socket_records": []map[string]any{{"index": 1, "local": p, "to": p, "datagrams": []map[string]any{
			{"number": 1, "payload": p, "call": p, "return": -1, "errno": p, "outcome": "errno" + p, "source": p},
			{"number": 2, "payload": p, "call": p, "return": 3, "outcome": "silent drop", "source": p}}}},
		"peer_arp_replies": 0,
		"cfil": map[string]any{"summary": p, "filter_on_path": true, "reinject_failure": "sosend_reinject() failed " + p,
			"log_lines": []string{"default kernel cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: " + p},
			"before":    state(0), "after": state(1), "errors": []string{p}},
	}
	add("sockets.mapped-sendto.self", check.Fail, obs(dgCase), nil)
	r.Checks[len(r.Checks)-1].Repetitions = &reports.Tally{Runs: 3, Pass: 1, Fail: 2}
	r.Checks[len(r.Checks)-1].Flaky = true
	add("cfil.userspace-filter.first-datagram", check.Fail, obs(map[string]any{
		"filter": map[string]any{"queue": 1, "hook": p, "match": []string{p}, "mode": p, "rules": []string{p}, "seen": 2, "accepted": 1, "dropped": 1, "dropped_flows": []string{p}},
		"cases":  []any{dgCase},
	}), nil)
	add("sockets.churn.stream6", check.Fail, obs(map[string]any{
		"config":     map[string]any{"count": 10, "family": p, "type": p},
		"iterations": 10, "first_failure": map[string]any{"iteration": 10, "call": "socket" + p, "errno": "ENOBUFS" + p, "message": p},
		"failures": 2, "recovery": map[string]any{"tries": 5, "succeeded": 0, "pause": 1, "recovered": false, "last_errno": p},
		"killed": true, "signal": p, "limit": map[string]any{"cgroup": p, "version": 1, "memory_bytes": 2097152, "oom_kills": 1},
		"samples": []map[string]any{{"iteration": 0, "counters": map[string]int{p: 1, "flat" + p: 7}}, {"iteration": 10, "counters": map[string]int{p: 5, "flat" + p: 7}}},
		"stderr":  p,
	}), nil)
	add("other.generic", check.Error, obs(map[string]any{p: []any{p, map[string]string{p: p}}}), nil)
	add("scalar.observations", check.Pass, obs(p), nil)
	add("sockets.churn.stream4", check.Error, nil, nil)
	r.Checks[len(r.Checks)-1].NotRun = true
	r.Checks[len(r.Checks)-1].Repetitions = &reports.Tally{Runs: 3, Error: 3}
	for i := range r.Checks {
		if r.Checks[i].Repetitions == nil {
			t := reports.Tally{}
			for range 3 {
				t.Add(r.Checks[i].Verdict)
			}
			r.Checks[i].Repetitions = &t
		}
	}
	return r
}
