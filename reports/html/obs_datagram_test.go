package html

import (
	"strings"
	"testing"
)

func TestDatagramRendering(t *testing.T) {
	one := `{"case":"sockets.mapped-sendto.self","family":"inet6","bound":true,"call":"sendto","destination":"self","sockets":10,"timeout":1,
	  "by_number":[{"number":1,"sent":10,"delivered":0,"silent_drops":9,"errnos":1,"late":0,"errno_names":{"sendto EINVAL":1}},
	               {"number":2,"sent":10,"delivered":10,"silent_drops":0,"errnos":0,"late":0}],
	  "cfil":{"summary":"<script>alert(1)</script> filter","filter_on_path":true,"reinject_failure":"sosend_reinject() failed, errno 22 (EINVAL)",
	          "log_lines":["cfil_service_inject_queue:4472 CFIL: sosend() failed 22 \"</pre><img src=x>"],"before":{"os":"macos"},"after":{"os":"macos"}}}`
	wrapped := `{"filter":{"queue":3,"hook":"OUTPUT","mode":"drop-first","seen":40,"accepted":39,"dropped":1,"dropped_flows":["udp 192.0.2.1:1 -> 192.0.2.1:2"]},"cases":[` + one + `]}`
	tests := []struct {
		name, id, raw string
		want          []string
	}{
		{"one case", "sockets.mapped-sendto.self", one, []string{"1st", "2nd", "sendto said success but nothing arrived",
			"sendto EINVAL ×1", "AF_INET6 dual-stack, bound", "sosend_reinject() failed, errno 22 (EINVAL)", `<tr class="bad">`}},
		{"through a filter", "cfil.userspace-filter.first-datagram", wrapped, []string{"NFQUEUE 3 on OUTPUT", "dropped 1", "udp 192.0.2.1:1 -&gt; 192.0.2.1:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := observations(tt.id, []byte(tt.raw))
			if o.Dgram == nil {
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
			for _, bad := range []string{"<script>", "<img", "</pre><img"} {
				if strings.Contains(html, bad) {
					t.Errorf("unescaped %q in the rendering", bad)
				}
			}
		})
	}
	// An unknown shape falls back to the generic rendering instead of an empty one.
	if o := observations("sockets.mapped-sendto.self", []byte(`{"something":"else"}`)); o.Dgram != nil || o.Generic == "" {
		t.Errorf("unknown shape: %+v", o)
	}
	if ordinal(11) != "11th" || ordinal(22) != "22nd" || ordinal(3) != "3rd" || ordinal(101) != "101st" {
		t.Error("ordinals")
	}
}
