package topology

import (
	"testing"

	"github.com/netconform/netconform/macos"
)

// TestIfconfigLifetimes: `ifconfig -L` prints each IPv6 address's remaining
// lifetimes in plain seconds, "infty" for infinite (network_cmds
// ifconfig.tproj af_inet6.c, in6_status and sec2str); an address printed
// without them has none known.
func TestIfconfigLifetimes(t *testing.T) {
	out := "feth3000: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500 index 21\n" +
		"\tether 02:00:00:00:00:01\n" +
		"\tinet6 fe80::ff:fe00:1%feth3000 prefixlen 64 scopeid 0x15\n" +
		"\tinet6 2001:db8:a::ff:fe00:1 prefixlen 64 deprecated autoconf pltime 0 vltime 7199\n" +
		"\tinet6 2001:db8:c::ff:fe00:1 prefixlen 64 autoconf pltime 14399 vltime 86399\n" +
		"\tinet6 2001:db8:d::1 prefixlen 64 pltime infty vltime 600\n"
	ifs, err := macos.ParseIfconfig(out)
	if err != nil || len(ifs) != 1 {
		t.Fatalf("%v %v", ifs, err)
	}
	addrs := ifconfigAddresses(ifs[0])
	want := []struct {
		addr             string
		valid, preferred *uint32
	}{
		{"fe80::ff:fe00:1", nil, nil},
		{"2001:db8:a::ff:fe00:1", lft(7199), lft(0)},
		{"2001:db8:c::ff:fe00:1", lft(86399), lft(14399)},
		{"2001:db8:d::1", lft(600), lft(ForeverLft)},
	}
	if len(addrs) != len(want) {
		t.Fatalf("addresses %+v", addrs)
	}
	same := func(a, b *uint32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	for i, w := range want {
		a := addrs[i]
		if a.Prefix.Addr().String() != w.addr || !same(a.ValidLft, w.valid) || !same(a.PreferredLft, w.preferred) {
			t.Errorf("%d: %s valid %v preferred %v, want %s %v %v", i, a.Prefix.Addr(), a.ValidLft, a.PreferredLft, w.addr, w.valid, w.preferred)
		}
	}
	if !addrs[1].Deprecated || !addrs[1].Autoconf {
		t.Errorf("flags lost: %+v", addrs[1])
	}
}
