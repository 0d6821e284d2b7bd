package macos

import (
	"strings"
	"testing"
)

func TestParseNetstatRoutes(t *testing.T) {
	rs := ParseNetstatRoutes(fixture(t, "netstat/netstat-rn-inet6.txt"))
	if len(rs) != 14 {
		t.Fatalf("%d rows", len(rs))
	}
	var defaults []NetstatRoute
	for _, r := range rs {
		if r.Family != "Internet6" {
			t.Errorf("family %q", r.Family)
		}
		if r.Destination == "default" {
			defaults = append(defaults, r)
		}
	}
	if len(defaults) != 2 || defaults[0].HasFlag('I') || !defaults[1].HasFlag('I') || defaults[1].Netif != "feth2" {
		t.Errorf("defaults %+v", defaults)
	}
	// Netif cut to "bridge10" from bridge100 is kept as printed.
	if r := rs[10]; r.Netif != "bridge10" || r.Partial {
		t.Errorf("bridge row %+v", r)
	}
	if r := rs[12]; r.Netif != "" || !r.Partial || r.Flags != "UmCI" {
		t.Errorf("row without netif %+v", r)
	}
	if r := rs[13]; r.Gateway != "" || !r.Partial || !strings.HasPrefix(r.Raw, "2001:db8:ffff::") {
		t.Errorf("cut row %+v", r)
	}
	if len(ParseNetstatRoutes("")) != 0 {
		t.Error("empty input gave rows")
	}
}
