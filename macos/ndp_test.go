package macos

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseNDPRouters(t *testing.T) {
	rs, err := ParseNDPRouters(fixture(t, "ndp/ndp-rn.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		addr, ifname, pref, expire string
		installed, ifscoped        bool
	}{
		{"fe80::a%feth0", "feth0", "high", "29m58s", true, false},
		{"fe80::b%feth0", "feth0", "medium", "29m57s", false, false},
		{"fe80::c%feth2", "feth2", "low", "Never", true, true},
		{"fe80::1c2b:3dff:fe4a:5b6c%en0", "en0", "medium", "26m12s", true, false},
		{"fe80::e%feth4002", "feth4002", "rsv", "29m59s", false, true}, // rtpref_str[2]
	} {
		r := rs[i]
		if r.Addr != netip.MustParseAddr(want.addr) || r.Interface != want.ifname || r.Pref != want.pref ||
			r.Expire != want.expire || r.Installed() != want.installed || r.IfScoped() != want.ifscoped {
			t.Errorf("router %d: %+v", i, r)
		}
	}
	if len(rs) != 5 {
		t.Errorf("%d routers", len(rs))
	}
}

// TestParseNDPRoutersOdd: only whole router lines are routers. A warning, a
// line cut after the interface and the prefix lines of `ndp -p` (which have
// "if=" too) are reported, never returned as routers.
func TestParseNDPRoutersOdd(t *testing.T) {
	rs, err := ParseNDPRouters(fixture(t, "ndp/ndp-rn-odd.txt"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("err = %v", err)
	}
	if len(rs) != 1 || rs[0].Interface != "feth0" || rs[0].Pref != "high" {
		t.Fatalf("routers %+v", rs)
	}
	rs, err = ParseNDPRouters(fixture(t, "ndp/ndp-p.txt"))
	if len(rs) != 0 || err == nil {
		t.Errorf("ndp -p output read as routers: %+v (%v)", rs, err)
	}
	if rs, err := ParseNDPRouters(""); err != nil || len(rs) != 0 {
		t.Errorf("empty: %v %v", rs, err)
	}
}

// TestParseNDPNeighbors reads ndp -an as ndp.c's dump prints it, with the
// address column 39 wide (network_cmds-624 and later) and 31 wide (before),
// where a longer address widens it rather than being cut.
func TestParseNDPNeighbors(t *testing.T) {
	type nb struct {
		addr, ll, ifname, expire, state, flags string
		probes                                 int
	}
	want := []nb{
		{"::1", "(incomplete)", "lo0", "permanent", "R", "", 0},
		{"2001:db8:a::6465:74ff:fe68:fa0", "66:65:74:68:f:a0", "feth4000", "permanent", "R", "", 0},
		{"fe80::1%lo0", "(incomplete)", "lo0", "permanent", "R", "", 0},
		{"fe80::a%feth4000", "2:0:0:0:0:a", "feth4000", "23h59m58s", "S", "R", 0},
		{"fe80::b%feth4000", "2:0:0:0:0:b", "feth4000", "expired", "S", "R", 0},
		// No flags, three probes: split on spaces, the probe count became the flags.
		{"fe80::c%feth4000", "(incomplete)", "feth4000", "expired", "I", "", 3},
		{"fe80::d%feth4000", "2:0:0:0:0:d", "feth4000", "1s", "P", "R", 1},
		{"fe80::6465:74ff:fe68:fa0%feth4000", "66:65:74:68:f:a0", "feth4000", "permanent", "R", "", 0},
		{"2001:db8:1111:2222:3333:4444:5555:6666", "(incomplete)", "en0", "expired", "N", "", 1},
	}
	for _, file := range []string{"ndp/ndp-an-15.txt", "ndp/ndp-an-10.14.txt"} {
		t.Run(file, func(t *testing.T) {
			ns, err := ParseNDPNeighbors(fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) != len(want) {
				t.Fatalf("%d neighbours", len(ns))
			}
			for i, w := range want {
				n := ns[i]
				got := nb{n.AddrText, n.LinkLayer, n.Interface, n.Expire, n.State, n.Flags, n.Probes}
				if got != w || n.Addr != netip.MustParseAddr(w.addr) {
					t.Errorf("line %d: %+v\nwant    %+v", i+2, got, w)
				}
			}
			if ns[5].IsRouter() || !ns[6].IsRouter() {
				t.Error("router flags misread")
			}
		})
	}
	// Trailing spaces removed (as in pasted output), and a line where ndp
	// had no neighbour information ("  " instead of expiry and state).
	ns, err := ParseNDPNeighbors("fe80::a%feth4000                        2:0:0:0:0:a       feth4000 4s        R  R\n" +
		"fe80::f%feth4000                        2:0:0:0:0:f       feth4000     R\n")
	if err != nil || len(ns) != 2 || ns[0].State != "R" || ns[0].Flags != "R" || ns[0].Expire != "4s" ||
		ns[1].Expire != "" || ns[1].State != "" || ns[1].Flags != "R" {
		t.Errorf("%+v, %v", ns, err)
	}
	if _, err := ParseNDPNeighbors("Neighbor Linklayer\nfe80::1 x\n"); err == nil {
		t.Error("short line accepted")
	}
	if _, err := ParseNDPNeighbors("fe80::a%feth4000 2:0:0:0:0:a feth4000 expired S R x\n"); err == nil {
		t.Error("a probe count that is no number accepted")
	}
}
