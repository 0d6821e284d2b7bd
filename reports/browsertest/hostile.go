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
// in RFC 8028 observations, kernel log lines in mapped-sendto observations,
// errno text in churn observations, evidence paths, known-failure entries.
func Hostile() *reports.Results {
	p := Payload
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	r := &reports.Results{
		Schema: reports.Schema, SchemaVersion: reports.SchemaVersion,
		Run: reports.Run{ID: "f1x7bad0", Start: start, End: start.Add(time.Minute), ToolVersion: "fixture " + p,
			Profile: "stock" + p, ConfigDigest: "sha256:" + p, LabelFilter: p},
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
	add("sockets.mapped-sendto.self", check.Fail, obs(map[string]any{
		"kernel_log": []string{"default kernel cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: " + p},
		"datagrams":  []map[string]any{{"n": 1, "outcome": "silent drop " + p, p: p}},
	}), nil)
	add("sockets.churn.stream6", check.Fail, obs(map[string]any{
		"iterations": 10, "first_failure": map[string]any{"iteration": 10, "call": "socket", "errno": "ENOBUFS" + p, "message": p},
		"samples": []map[string]any{{"iteration": 0, "counters": map[string]int{p: 1}}, {"iteration": 10, "counters": map[string]int{p: 5}}},
		"stderr":  p,
	}), nil)
	add("other.generic", check.Error, obs(map[string]any{p: []any{p, map[string]string{p: p}}}), nil)
	add("scalar.observations", check.Pass, obs(p), nil)
	return r
}
