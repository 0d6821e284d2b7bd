package html

import (
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// renderOne renders a report holding one check and returns its section.
func renderOne(t *testing.T, id, obs string) string {
	t.Helper()
	r := &reports.Results{Run: reports.Run{ID: "f1x70000"}, Release: reports.Release{ID: "linux-6.18.44", OS: "linux"}}
	r.Checks = []reports.CheckResult{{Result: check.Result{ID: id, Verdict: check.Fail, Observations: []byte(obs)}, Expected: check.Pass}}
	b, err := RenderRelease(t.TempDir(), t.TempDir(), r)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	i := strings.Index(page, `<section class="check`)
	if i < 0 {
		t.Fatalf("no check section")
	}
	return page[i:]
}

func TestObservationRendering(t *testing.T) {
	tests := []struct {
		name, id, obs string
		want, not     []string
	}{
		{"churn as the brief sketches it: flat sample fields, killed", "sockets.churn.stream6",
			`{"iterations":5000,"target":250000,"first_failure":{"iteration":4000,"errno":"ENOBUFS"},"failures":3,"recovered":false,"rate":1e5,"killed":true,"signal":"SIGKILL",
			  "samples":[{"iteration":0,"sockets_used":10,"tcp_alloc":3,"rss_bytes":1000000},{"iteration":2000,"sockets_used":900,"tcp_alloc":800,"rss_bytes":5000000},{"iteration":4000,"sockets_used":1800,"rss_bytes":9000000}]}`,
			[]string{"iterations completed</strong>: 5000 of 250000", "iteration 4000: ENOBUFS", "rate</strong>: 100000 cycles/s", "recovered after pause</strong>: false",
				"killed</strong>: yes, by SIGKILL", ">sockets_used (last 1800)", ">tcp_alloc (last 800)", ">rss_bytes (last 9.00M)", `class="fail"`, "first failure (ENOBUFS)"},
			[]string{">iteration (last"}},
		{"churn as sockets/churn writes it: counters nested, flat ones listed", "sockets.churn.dgram6",
			`{"config":{"family":"inet6","type":"dgram","count":100},"iterations":100,"failures":0,"rate":150349.41,"samples":[{"iteration":0,"elapsed":0,"counters":{"sockstat.UDP.inuse":4,"proc.rss_bytes":100}},{"iteration":100,"elapsed":0.1,"counters":{"sockstat.UDP.inuse":4,"proc.rss_bytes":200}}]}`,
			[]string{"iterations completed</strong>: 100 of 100", ">proc.rss_bytes (last 200)", "<polyline", "1 counter unchanged in all 2 samples", "<li><code>sockstat.UDP.inuse</code> 4</li>", "150349 cycles/s"},
			[]string{"first failure", ">sockstat.UDP.inuse (last", "counters.", "elapsed (last"}},
		{"churn killed under a memory limit after one sample (the real tight-memory run)", "sockets.churn.stream6",
			`{"config":{"count":250000,"family":"inet6","type":"stream"},"iterations":0,"failures":0,"killed":true,"signal":"SIGKILL","rate":0,
			  "limit":{"cgroup":"/sys/fs/cgroup/memory/x","version":1,"memory_bytes":2097152,"oom_kills":1,"failcnt":0,"max_usage_bytes":2097152},
			  "samples":[{"iteration":0,"elapsed":3.6e-7,"counters":{"memcg.usage_bytes":524288,"sockstat.TCP.alloc":1}}],"stderr":"progress 0"}`,
			[]string{"iterations completed</strong>: 0 of 250000", "killed</strong>: yes, by SIGKILL", `<li class="bad"><strong>memory limit</strong>: 2.0 MiB (cgroup v1): 1 OOM kill, peak 2.0 MiB`,
				"Only one sample was taken", "2 counters in the only sample", "probe's stderr</summary><pre class=\"wrap\">progress 0"},
			[]string{"<svg", "rate</strong>"}},
		{"churn that failed and did not recover", "sockets.churn.stream6",
			`{"iterations":160994,"failures":9,"first_failure":{"iteration":160995,"call":"socket","errno":"ENOBUFS","code":55,"message":"No buffer space available"},
			  "recovery":{"immediate_retries":3,"immediate_failures":3,"pause":1,"tries":5,"succeeded":0,"recovered":false,"last_errno":"ENOBUFS"}}`,
			[]string{"iteration 160995: socket() ENOBUFS (No buffer space available)", "failed calls</strong>: 9", "recovered after pause</strong>: no: 0 of 5 sockets after a 1 s pause (ENOBUFS)"}, nil},
		{"churn with nothing but a count", "sockets.churn.stream4", `{"iterations":7}`,
			[]string{"iterations completed</strong>: 7"}, []string{"<svg"}},
		{"churn observations that are not an object fall back", "sockets.churn.stream6", `[1,2,3]`,
			[]string{`<span class="inline">`}, nil},
		{"RA order: table vs wire disagree", "ipv6.rfc8028.multi-interface",
			`[{"ra_order":["A","B"],"source":"2001:db8:b::10","interface":"en1","prefix":"2001:db8:b::/64","expected_routers":["B"],"sent":3,"wire":[{"router":"A","link":"l1","mac":"m","frames":3,"wrong":true,"why":"router A did not advertise the prefix of source 2001:db8:b::10 (2001:db8:b::/64); router B did"}],"table":{"gateway":"fe80::b","interface":"en1"},"table_router":"B","table_agrees":false}]`,
			[]string{"learned in order: A then B", "✗ disagrees", `<span class="hop wrong">A via l1`, "via fe80::b dev en1", `<tr class="bad">`,
				`<span class="why">router A did not advertise the prefix of source 2001:db8:b::10 (2001:db8:b::/64); router B did</span>`}, nil},
		{"RA rule 5.5 rows are destinations", "ipv6.rfc6724.rule5-5",
			`[{"ra_order":["B"],"destination":"2001:db8:ff::1","near":"2001:db8:b::/64","source":"2001:db8:b::10","source_routers":["B"],"sent":1,"wire":[{"router":"B","link":"l","mac":"m","frames":1}],"table_agrees":true}]`,
			[]string{"<th>destination</th>", "2001:db8:ff::1", "✓ agrees"}, []string{`class="bad"`}},
		{"RA shape not recognised: generic", "ipv6.rfc8028.same-link", `{"note":"lab failed"}`,
			[]string{`<dt>note</dt>`, "lab failed"}, []string{"learned in order"}},
		{"mapped-sendto: per-datagram list as a table", "sockets.mapped-sendto.self",
			`{"datagrams":[{"n":1,"outcome":"silent drop"},{"n":2,"outcome":"delivered","late_ms":3}]}`,
			[]string{"<th>n</th><th>outcome</th><th>late_ms</th>", "silent drop", "–"}, nil},
		{"generic nested", "cfil.x", `{"a":{"b":[{"c":1}],"d":null},"e":[]}`,
			[]string{"<dt>a</dt>", "<dt>b</dt>", "<th>c</th>", "(none)"}, nil},
		{"no observations", "cfil.y", ``, []string{"No observations recorded."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := renderOne(t, tt.id, tt.obs)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(s, n) {
					t.Errorf("has %q", n)
				}
			}
		})
	}
}

func TestReleasePageIsSelfContained(t *testing.T) {
	dir, r := copyFixture(t, "fixture-linux-6.18.44")
	b, err := RenderRelease(dir, dir, r)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{`name="viewport"`, "@media print", "@media (max-width", "<style>", "Content-Security-Policy"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "src=", "<link", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page would load something: %q", bad)
		}
	}
}

func TestRelHref(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"/out/r", "/out/r/evidence/c/a b#1.pcapng", "./evidence/c/a%20b%231.pcapng"},
		{"/out/reg", "/out/r/report.html", "../r/report.html"},
		{"/out", "/out/javascript:x", "./javascript:x"},
	}
	for _, tt := range tests {
		if got, _ := RelHref(tt.from, tt.to); got != tt.want {
			t.Errorf("RelHref(%s, %s) = %s, want %s", tt.from, tt.to, got, tt.want)
		}
	}
}

// TestViewDispatch: the renderer is chosen by the view the result carries;
// a result without one (a file older than views) by the view its check had
// then, by id, so old files render as before; a view with no renderer, or
// observations without the view's shape, get the generic rendering.
func TestViewDispatch(t *testing.T) {
	hops := `[{"ra_order":["a"],"source":"2001:db8:a::1","interface":"sut0","prefix":"2001:db8:a::/64","expected_routers":["a"],"sent":3,
	  "wire":[{"router":"a","link":"l0","mac":"02:00:00:00:0a:01","frames":3}],"table_agrees":true}]`
	churn := `{"iterations":7,"config":{"count":7}}`
	tests := []struct {
		name, id, view, obs string
		want                string // the view that drew it, "" = generic
	}{
		{"new file: the view names the renderer, whatever the id", "ipv6.rfc4191.something-new", observation.ViewFirstHops, hops, observation.ViewFirstHops},
		{"new file: the view wins over an id that once meant another", "sockets.churn.stream6", observation.ViewFirstHops, hops, observation.ViewFirstHops},
		{"old file: no view, the id gives the view it had", "ipv6.rfc8028.same-link", "", hops, observation.ViewFirstHops},
		{"old file: churn by id", "sockets.churn.dgram6", "", churn, observation.ViewChurn},
		{"old file: rule 5.5 by its id", "ipv6.rfc6724.rule5-5", "", strings.ReplaceAll(hops, `"source"`, `"destination"`), observation.ViewRule55},
		{"no view, an id no old check had: generic", "ipv6.rfc8028x.other", "", hops, ""},
		{"a view without a renderer: generic", "x.y", "no-such-view", hops, ""},
		{"the view's shape is not there: generic", "x.y", observation.ViewChurn, hops, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := observations(reports.CheckResult{Result: check.Result{ID: tt.id, View: tt.view, Verdict: check.Pass, Observations: []byte(tt.obs)}})
			if o.View != tt.want || o.HTML == "" {
				t.Errorf("drawn by view %q (%d bytes), want %q", o.View, len(o.HTML), tt.want)
			}
		})
	}
}

// TestHopMarksAreTheJudges: the page marks exactly the hops the check's
// judge marked, with its words, and never judges a hop itself: a source
// whose prefix no router advertised is wrong when the judge says so; a hop
// to a router outside the expected ones that the judge left unmarked stays
// unmarked. A failing result from a file older than the marks says where
// the wrong hops are named instead.
func TestHopMarksAreTheJudges(t *testing.T) {
	row := func(expected, wire string) string {
		return `[{"ra_order":["a","b"],"source":"2001:db8:c::1","interface":"sut0","prefix":"2001:db8:c::/64","expected_routers":` + expected +
			`,"sent":3,"wire":[` + wire + `],"table_router":"a","table_agrees":true}]`
	}
	tests := []struct {
		name, view string
		verdict    check.Verdict
		obs        string
		want, not  []string
	}{
		{"no router advertised the source's prefix: marked by the judge", observation.ViewFirstHops, check.Fail,
			row(`[]`, `{"router":"a","link":"l0","mac":"m","frames":3,"wrong":true,"why":"no router advertised the prefix of source 2001:db8:c::1 (2001:db8:c::/64)"}`),
			[]string{`<span class="hop wrong">a via l0`, "no router advertised the prefix of source 2001:db8:c::1", `<tr class="bad">`}, []string{"older than the marks"}},
		{"a hop the judge did not mark stays unmarked", observation.ViewFirstHops, check.Pass,
			row(`["b"]`, `{"router":"a","link":"l0","mac":"m","frames":3}`),
			[]string{`<span class="hop">a via l0`}, []string{"hop wrong", `class="why"`, `<tr class="bad">`}},
		{"old file, failing, no marks: the note", "", check.Fail,
			row(`["b"]`, `{"router":"a","link":"l0","mac":"m","frames":3}`),
			[]string{"older than the marks on wrong hops", `<span class="hop">a via l0`}, []string{"hop wrong"}},
		{"old file, passing: no note", "", check.Pass,
			row(`["a"]`, `{"router":"a","link":"l0","mac":"m","frames":3}`),
			nil, []string{"older than the marks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := observations(reports.CheckResult{Result: check.Result{ID: "ipv6.rfc8028.same-link", View: tt.view, Verdict: tt.verdict, Observations: []byte(tt.obs)}})
			if o.View != observation.ViewFirstHops {
				t.Fatalf("drawn by view %q", o.View)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(o.HTML), w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(string(o.HTML), n) {
					t.Errorf("has %q", n)
				}
			}
		})
	}
}
