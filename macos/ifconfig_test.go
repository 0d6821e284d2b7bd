package macos

import (
	"net/netip"
	"strings"
	"testing"
)

func mustIfconfig(t *testing.T, name string) []Interface {
	t.Helper()
	ifs, err := ParseIfconfig(fixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ifs
}

func mustInterface(t *testing.T, ifs []Interface, name string) Interface {
	t.Helper()
	i, ok := FindInterface(ifs, name)
	if !ok {
		t.Fatalf("no interface %s", name)
	}
	return i
}

func TestParseIfconfigAll(t *testing.T) {
	ifs := mustIfconfig(t, "ifconfig/ifconfig-a.txt")
	var names []string
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	if got := strings.Join(names, " "); got != "lo0 gif0 stf0 en0 utun0 utun4 feth0 feth1" {
		t.Fatalf("interfaces %s", got)
	}

	lo := mustInterface(t, ifs, "lo0")
	if lo.MTU != 16384 || lo.Flags != 0x8049 || !lo.HasFlag("LOOPBACK") || lo.ND6Options != 0x201 {
		t.Errorf("lo0 %+v", lo)
	}
	if len(lo.Inet) != 1 || lo.Inet[0].Prefix != netip.MustParsePrefix("127.0.0.0/8") {
		t.Errorf("lo0 inet %+v", lo.Inet)
	}
	if len(lo.Inet6) != 2 || lo.Inet6[1].Addr.Zone() != "lo0" || lo.Inet6[1].ScopeID != 1 {
		t.Errorf("lo0 inet6 %+v", lo.Inet6)
	}

	en0 := mustInterface(t, ifs, "en0")
	for _, tc := range []struct {
		idx   int
		flags []string
	}{
		{0, []string{"secured"}},
		{1, []string{"autoconf", "secured"}},
		{2, []string{"deprecated", "autoconf", "temporary"}},
	} {
		a := en0.Inet6[tc.idx]
		if strings.Join(a.Flags, ",") != strings.Join(tc.flags, ",") || a.PrefixLen != 64 {
			t.Errorf("en0 inet6 %d: %+v", tc.idx, a)
		}
	}
	if en0.Inet6[1].Prefix() != netip.MustParsePrefix("2001:db8:1:2::/64") {
		t.Errorf("prefix %v", en0.Inet6[1].Prefix())
	}
	if en0.Inet[0].Broadcast != netip.MustParseAddr("192.168.1.255") || en0.Status != "active" {
		t.Errorf("en0 %+v", en0)
	}
	if utun := mustInterface(t, ifs, "utun4"); utun.Inet[0].Dest != netip.MustParseAddr("10.8.0.1") || utun.Inet[0].Prefix.Bits() != 32 {
		t.Errorf("utun4 %+v", utun.Inet)
	}

	feth0 := mustInterface(t, ifs, "feth0")
	if feth0.Peer != "feth1" || feth0.Ether.String() != FethMAC(0).String() || !feth0.Inet6[0].Has("tentative") {
		t.Errorf("feth0 %+v", feth0)
	}
	if feth0.AcceptsRTAdv() {
		t.Error("plain ifconfig has no eflags: AcceptsRTAdv must be false")
	}
	if stf := mustInterface(t, ifs, "stf0"); stf.Flags != 0 || len(stf.FlagNames) != 0 || stf.MTU != 1280 {
		t.Errorf("stf0 %+v", stf)
	}
}

func TestParseIfconfigVerboseFeth(t *testing.T) {
	ifs := mustIfconfig(t, "ifconfig/ifconfig-v-feth.txt")
	for _, tc := range []struct {
		name      string
		index     int
		peer      string
		rtadv     bool
		nd6       uint64
		autoconf  int
		tentative int
	}{
		{"feth0", 21, "feth1", true, ND6_IFF_PERFORMNUD, 3, 1},
		{"feth1", 22, "feth0", false, ND6_IFF_PERFORMNUD, 0, 0},
	} {
		i := mustInterface(t, ifs, tc.name)
		if i.Index != tc.index || i.Peer != tc.peer || i.AcceptsRTAdv() != tc.rtadv || i.ND6Options != tc.nd6 || i.Type != "Ethernet" {
			t.Errorf("%s: %+v", tc.name, i)
		}
		autoconf, tentative := 0, 0
		for _, a := range i.Inet6 {
			if a.Has("autoconf") {
				autoconf++
			}
			if a.Has("tentative") {
				tentative++
			}
		}
		if autoconf != tc.autoconf || tentative != tc.tentative {
			t.Errorf("%s: %d autoconf, %d tentative", tc.name, autoconf, tentative)
		}
	}
	if i := mustInterface(t, ifs, "feth0"); i.EFlags != 0x20c0 {
		t.Errorf("eflags %#x", i.EFlags)
	}
}

func TestParseIfconfigOdd(t *testing.T) {
	ifs, err := ParseIfconfig(fixture(t, "ifconfig/ifconfig-odd.txt"))
	if err == nil || !strings.Contains(err.Error(), "not-an-address") || !strings.Contains(err.Error(), "not an interface header") {
		t.Fatalf("err = %v", err)
	}
	if len(ifs) != 2 {
		t.Fatalf("%d interfaces", len(ifs))
	}
	f7 := ifs[0]
	if len(f7.Inet6) != 1 || !f7.Inet6[0].Has("duplicated") || len(f7.Raw) != 6 {
		t.Errorf("feth7 %+v", f7)
	}
	if ifs[1].HasFlag("UP") {
		t.Error("feth8 is down")
	}
}

func TestParseIfconfigEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\tinet6 ::1 prefixlen 128\n"} {
		ifs, err := ParseIfconfig(in)
		if err != nil || len(ifs) != 0 {
			t.Errorf("%q: %v %v", in, ifs, err)
		}
	}
}
