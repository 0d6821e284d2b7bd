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
	} {
		r := rs[i]
		if r.Addr != netip.MustParseAddr(want.addr) || r.Interface != want.ifname || r.Pref != want.pref ||
			r.Expire != want.expire || r.Installed() != want.installed || r.IfScoped() != want.ifscoped {
			t.Errorf("router %d: %+v", i, r)
		}
	}
	if len(rs) != 4 {
		t.Errorf("%d routers", len(rs))
	}
}

func TestParseNDPRoutersOdd(t *testing.T) {
	rs, err := ParseNDPRouters(fixture(t, "ndp/ndp-rn-odd.txt"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v", err)
	}
	// The last line is cut after the interface: keep what is there.
	if len(rs) != 2 || rs[1].Interface != "feth0" || rs[1].Pref != "" {
		t.Fatalf("routers %+v", rs)
	}
	if rs, err := ParseNDPRouters(""); err != nil || len(rs) != 0 {
		t.Errorf("empty: %v %v", rs, err)
	}
}

func TestParseNDPNeighbors(t *testing.T) {
	ns, err := ParseNDPNeighbors(fixture(t, "ndp/ndp-an.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 7 {
		t.Fatalf("%d neighbours", len(ns))
	}
	routers := 0
	for _, n := range ns {
		if n.IsRouter() {
			routers++
		}
	}
	if routers != 2 {
		t.Errorf("%d routers", routers)
	}
	a := ns[3]
	if a.Addr != netip.MustParseAddr("fe80::a%feth0") || a.LinkLayer != "2:0:0:0:0:a" || a.State != "S" || a.Expire != "23h59m58s" {
		t.Errorf("fe80::a: %+v", a)
	}
	// ndp cuts long addresses to the column: the text stays, the address does not parse to something wrong.
	cut := ns[6]
	if cut.AddrText != "2001:db8:1:2:10c5:6d2e:4a1b:77f" || cut.State != "N" || cut.Flags != "1" {
		t.Errorf("cut line: %+v", cut)
	}
	if _, err := ParseNDPNeighbors("Neighbor Linklayer\nfe80::1 x\n"); err == nil {
		t.Error("short line accepted")
	}
}
