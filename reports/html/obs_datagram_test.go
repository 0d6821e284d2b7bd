package html

import (
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// The inputs have the shapes of real runs (netconform run --labels sockets on
// Linux, with a drop-first profile for the loss) and of cfil's darwin
// attribution, with markup in every SUT-derived string that is text (the
// addresses are netip values: markup in one makes the shape unknown, and
// the generic rendering shows it, escaped). The results name no view, as a
// file older than views: the id picks it.
func TestDatagramRendering(t *testing.T) {
	one := `{"case":"sockets.mapped-sendto.self<i>","family":"inet6","bound":true,"connected":false,"call":"sendto","destination":"self","sockets":10,"timeout":0.3,
	  "by_number":[{"number":1,"sent":10,"delivered":0,"silent_drops":9,"errnos":1,"late":0,"errno_names":{"sendto EINVAL<b>":1}},
	               {"number":2,"sent":10,"delivered":10,"silent_drops":0,"errnos":0,"late":0}],
	  "socket_records":[{"index":1,"local":"[::ffff:192.0.2.1]:34202","to":"[::ffff:192.0.2.1]:34202","datagrams":[
	     {"number":1,"payload":"p","call":"sendto","return":66,"outcome":"silent drop","source":""},
	     {"number":2,"payload":"p","call":"sendto","return":66,"outcome":"delivered","latency":0.00011,"source":"[::ffff:192.0.2.1]:34202"}]}],
	  "peer_arp_replies":0,
	  "cfil":{"summary":"<script>alert(1)</script> filter","filter_on_path":true,"reinject_failure":"sosend_reinject() failed, errno 22 (EINVAL)",
	          "log_lines":["2026-05-04 10:14:33.123470-0700 cfil_service_inject_queue:4472 CFIL: sosend() failed 22 \"</pre><img src=x>"],
	          "before":{"os":"darwin","sysctls":{"net.cfil.active_count":"1","net.cfil.sock_attached_count":"3"},"stats":{"inject_q_out_fail":0,"sock_attached":3,"ctl_connect_ok":1}},
	          "after":{"os":"darwin","sysctls":{"net.cfil.active_count":"1","net.cfil.sock_attached_count":"13<svg>"},"stats":{"inject_q_out_fail":10,"sock_attached":13,"ctl_connect_ok":1}}}}`
	linuxCfil := `{"summary":"a user-space filter (NFQUEUE 3280, OUTPUT, accept) saw 20 packets and dropped 0","filter_on_path":true,
	  "before":{"os":"linux","rules":["iptables filter: [0:0] -A OUTPUT -p udp -j NFQUEUE --queue-num 3280"],"queues":[{"queue":3280,"queue_total":0,"id_sequence":0}],"filters":[{"queue":3280,"seen":0}]},
	  "after":{"os":"linux","rules":["iptables filter: [20:1882] -A OUTPUT -p udp -j NFQUEUE --queue-num 3280"],"queues":[{"queue":3280,"queue_total":0,"id_sequence":20}],"filters":[{"queue":3280,"seen":20}]}}`
	peer := `{"case":"sockets.mapped-sendto.peer","family":"inet6","bound":true,"call":"sendto","destination":"peer","sockets":10,"timeout":1,
	  "by_number":[{"number":1,"sent":10,"delivered":10,"silent_drops":0,"errnos":0,"late":0}],"peer_arp_replies":1,"cfil":` + linuxCfil + `}`
	wrapped := `{"filter":{"queue":3280,"hook":"OUTPUT","match":["-p","udp"],"mode":"accept","rules":["iptables -A OUTPUT -p udp -j NFQUEUE --queue-num 3280"],"seen":40,"accepted":39,"dropped":1,"dropped_flows":["udp 192.0.2.1:1 -> 192.0.2.1:2"]},"cases":[` + one + `,` + peer + `]}`
	tests := []struct {
		name, id, raw string
		want, not     []string
	}{
		{"one case", "sockets.mapped-sendto.self", one, []string{"1st", "2nd", "9 of 10 lost silently: sendto() said success but nothing arrived",
			`1 of 10 failed with an error: <span class="mono">sendto EINVAL&lt;b&gt;</span> ×1`, "AF_INET6 dual-stack (IPV6_V6ONLY off) UDP sockets, bound, to its own address",
			`<tr class="bad">`, `<p class="cfil bad">`, "sosend_reinject() failed, errno 22 (EINVAL)", "each datagram has 300 ms to arrive",
			"silent drop <span class=\"muted\">(sendto returned 66)", "delivered <span class=\"muted\">110 µs",
			`<td class="mono">net.cfil.sock_attached_count</td><td>3</td><td>13&lt;svg&gt;</td>`, "inject_q_out_fail", "(1 unchanged not shown)"},
			[]string{"ctl_connect_ok", "The SUT never resolved", "2nd datagram:"}},
		{"through a filter", "cfil.userspace-filter.first-datagram", wrapped, []string{"NFQUEUE 3280 on OUTPUT", "dropped 1</strong>", "udp 192.0.2.1:1 -&gt; 192.0.2.1:2",
			`<h4 class="mono">sockets.mapped-sendto.peer</h4>`, "the peer (emulated host)",
			`<p class="cfil"><strong>`, "queueing rules before", `<td class="changedcell">0 → 20</td>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := observations(reports.CheckResult{Result: check.Result{ID: tt.id, Observations: []byte(tt.raw)}})
			if o.View != observation.ViewFirstDatagram && o.View != observation.ViewFilteredFirstDatagram {
				t.Fatalf("not rendered as datagram observations: %+v", o)
			}
			var b strings.Builder
			writeObservations(&b, &o)
			html := b.String()
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("rendering lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(html, n) {
					t.Errorf("rendering has %q", n)
				}
			}
			for _, bad := range []string{"<script>", "<img", "<b>", "<i>", "<svg>"} {
				if strings.Contains(html, bad) {
					t.Errorf("unescaped %q in the rendering", bad)
				}
			}
		})
	}
	// An unknown shape falls back to the generic rendering instead of an empty one.
	for _, raw := range []string{`{"something":"else"}`, `{"cases":[{"case":"x"}]}`} {
		if o := observations(reports.CheckResult{Result: check.Result{ID: "sockets.mapped-sendto.self", Observations: []byte(raw)}}); o.View != "" || o.HTML == "" {
			t.Errorf("unknown shape %s: %+v", raw, o)
		}
	}
	if ordinal(11) != "11th" || ordinal(22) != "22nd" || ordinal(3) != "3rd" || ordinal(101) != "101st" {
		t.Error("ordinals")
	}
}
