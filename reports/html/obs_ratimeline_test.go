package html

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// The fixture has the shape of a real run (netconform run --labels ipv6 on
// Linux 6.18: ipv6.rfc4861.router-lifetime-zero with a route given by hand
// that keeps the traffic on the withdrawn router, and the RFC 8978 stale
// lab), with markup in every string that comes from the SUT or the check.
const timelineFixture = `[{"lab":"RA order a,b; <b>both</b> routers","routers":[{"name":"a","mac":"02:00:00:00:0a:01","link_local":"fe80::a","link":"l0"},{"name":"b<i>","mac":"02:00:00:00:0b:01","link_local":"fe80::b","link":"l0"}],
 "events":[
  {"at_ms":0.021,"step":"router a advertises 2001:db8:a::/64","ra":{"router":"a","preference":"medium","router_lifetime":1800,"prefixes":[{"prefix":"2001:db8:a::/64","valid_lifetime":86400,"preferred_lifetime":14400}]}},
  {"at_ms":0.5,"step":"router a advertises 2001:db8:a::/64","effect":{"awaited":["router a (fe80::a) in the neighbour cache of sut0","a preferred address in 2001:db8:a::/64 on sut0"],"seen":true,"after_ms":0.48}},
  {"at_ms":2.0,"step":"router b advertises 2001:db8:a::/64","ra":{"router":"b<i>","preference":"medium","router_lifetime":1800,"prefixes":[{"prefix":"2001:db8:a::/64","valid_lifetime":4294967295,"preferred_lifetime":14400}]}},
  {"at_ms":2.4,"step":"answer to the SUT's Router Solicitation","ra":{"router":"a","solicited":true,"preference":"medium","router_lifetime":1800}},
  {"at_ms":2.6,"step":"router b advertises 2001:db8:a::/64","effect":{"awaited":["router b in the neighbour cache of sut0"],"seen":true,"after_ms":0.6}},
  {"at_ms":4.0,"step":"router b advertises 2001:db8:a::/64","flow":{"purpose":"which router does the SUT use?","judged":true,"source":"2001:db8:a::1","destination":"2001:db8:ffff::1","sent":3,"accepted":3,"wire":[{"router":"a","link":"l0","mac":"02:00:00:00:0a:01","frames":3}],"expected_routers":["a","b<i>"],"table":"2001:db8:ffff::1/128 via fe80::a dev sut0","table_router":"a","table_agrees":true,"outcome":"as expected"}},
  {"at_ms":4.5,"step":"router a, the one in use, sends Router Lifetime 0","ra":{"router":"a","preference":"high","router_lifetime":0,"routes":[{"prefix":"2001:db8:5000::/48","preference":"medium","lifetime":0}]}},
  {"at_ms":505.0,"step":"router a, the one in use, sends Router Lifetime 0","effect":{"awaited":["no default route via fe80::a <script>x</script>","router a in the neighbour cache of sut0"],"seen":false,"after_ms":500.4,"missing":["no default route via fe80::a <script>x</script>"]}},
  {"at_ms":506.0,"step":"router a, the one in use, sends Router Lifetime 0","flow":{"purpose":"off-link, unbound","judged":true,"source":"2001:db8:a::1","destination":"2001:db8:ffff::1","sent":3,"accepted":3,"wire":[{"router":"a","link":"l0","mac":"02:00:00:00:0a:01","frames":3}],"expected_routers":["b<i>"],"table":"via fe80::a \"dev\" sut0","table_router":"a","table_agrees":true,"outcome":"wrong router: router a on l0 (3 frames) <img src=x>"}}],
 "notes":["a note <svg onload=x>"]},
 {"lab":"stale prefix","observation_only":true,"routers":[{"name":"a","mac":"02:00:00:00:0a:01","link_local":"fe80::a","link":"l0"}],
 "events":[
  {"at_ms":1.0,"step":"router a advertises 2001:db8:c::/64 alone","ra":{"router":"a","preference":"medium","router_lifetime":1800,"prefixes":[{"prefix":"2001:db8:c::/64","valid_lifetime":86400,"preferred_lifetime":0}]}},
  {"at_ms":1.5,"step":"router a advertises 2001:db8:c::/64 alone","address":{"address":"2001:db8:a::1","flags":["autoconf","deprecated"],"valid_lifetime":7200,"preferred_lifetime":0,"note":"after <renumbering>"}},
  {"at_ms":1.6,"step":"router a advertises 2001:db8:c::/64 alone","address":{"address":"2001:db8:b::/64","gone":true}},
  {"at_ms":2.0,"step":"router a advertises 2001:db8:c::/64 alone","flow":{"purpose":"new flow near A","judged":false,"bound_to":"2001:db8:a::1","source":"2001:db8:a::1","destination":"2001:db8:a:ffff::1","sent":3,"accepted":3,"send_errors":["write: EPERM <x>"],"wire":[{"router":"","link":"l0","mac":"02:99:00:00:00:01","frames":1}],"expected_source_prefix":"2001:db8:c::/64","table":"t","table_router":"","table_agrees":false}}]}]`

func TestRATimelineRendering(t *testing.T) {
	c := reports.CheckResult{Result: check.Result{ID: "ipv6.rfc4861.router-lifetime-zero", View: observation.ViewRATimeline, Verdict: check.Fail,
		Observations: json.RawMessage(timelineFixture)}}
	h, ok := renderRATimeline(c)
	if !ok {
		t.Fatal("the fixture was not recognised as an RA timeline")
	}
	got := string(h)
	for _, want := range []string{
		"<h4>RA order a,b; &lt;b&gt;both&lt;/b&gt; routers</h4>",
		"<th>router b&lt;i&gt; sends</th>",
		// A step starts a row; the solicited answer does not.
		`<td colspan="5"><strong>router a, the one in use, sends Router Lifetime 0</strong></td>`,
		"answer to a Router Solicitation:",
		`router lifetime <strong class="disagrees">0</strong> (not a default router)`,
		"valid ∞, preferred 14400 s",
		`route <span class="mono">2001:db8:5000::/48</span> medium, lifetime <strong>0</strong> (withdrawn)`,
		"✓ shown after 0.5 ms:",
		"✗ not shown within 500.4 ms:",
		`<div><span class="disagrees">✗</span> no default route via fe80::a &lt;script&gt;x&lt;/script&gt;</div>`,
		`<tr class="bad">`,
		`wire: router <strong>a</strong> <span class="mono muted">02:00:00:00:0a:01</span>, 3 of 3 <span class="disagrees">✗</span> expected b&lt;i&gt;`,
		"wrong router: router a on l0 (3 frames) &lt;img src=x&gt;",
		"via fe80::a &#34;dev&#34; sut0",
		"a note &lt;svg onload=x&gt;",
		`observation only`,
		"after &lt;renumbering&gt;:",
		"autoconf deprecated, valid for 7200 s, preferred for 0 s",
		`no address in <span class="mono">2001:db8:b::/64</span>`,
		"bound to <span class=\"mono\">2001:db8:a::1</span>",
		`<span class="disagrees">✗</span> expected one in <span class="mono">2001:db8:c::/64</span>`,
		"refused: write: EPERM &lt;x&gt;",
		"router <strong>unknown MAC</strong>",
		"2 accepted datagrams never reached the wire",
		"disagrees with the wire",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendering lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "<img", "<svg", "<b>both", "<i>", "<renumbering>"} {
		if strings.Contains(got, bad) {
			t.Errorf("rendering carries %q unescaped", bad)
		}
	}
	// The unjudged flow of the observation-only lab is never marked
	// wrong on the router, however odd its wire.
	if strings.Contains(got, `1 of 3 <span class="disagrees">`) || strings.Count(got, `<tr class="bad">`) != 1 {
		t.Errorf("want exactly one bad row:\n%s", got)
	}
}

func TestRATimelineShapeNotRecognised(t *testing.T) {
	for _, raw := range []string{``, `null`, `[]`, `{"lab":"x"}`, `[{"lab":"x","routers":[]}]`, `[{"lab":"x","routers":[{"name":"a"}],"surprise":1}]`,
		`[{"source":"2001:db8:a::1","wire":[]}]`} {
		c := reports.CheckResult{Result: check.Result{View: observation.ViewRATimeline, Observations: json.RawMessage(raw)}}
		if _, ok := renderRATimeline(c); ok {
			t.Errorf("%s: recognised as an RA timeline", raw)
		}
	}
}
