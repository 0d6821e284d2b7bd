package topology

import (
	"net"
	"net/netip"
	"strings"
	"testing"
)

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func validLab() Lab {
	return Lab{Name: "t", Links: []Link{{
		Name: "l0", SUTIf: "sut0", SUTMAC: mac("02:00:00:00:00:01"),
		Routers: []Router{{Name: "a", MAC: mac("02:00:00:00:0a:01"), LinkLocal: netip.MustParseAddr("fe80::a"),
			Prefixes: []netip.Prefix{netip.MustParsePrefix("2001:db8:a::/64")}}},
	}}}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Lab)
		want   string // substring of the error; empty: valid
	}{
		{"valid", func(*Lab) {}, ""},
		{"no name", func(l *Lab) { l.Name = "" }, "no name"},
		{"no links", func(l *Lab) { l.Links = nil }, "no links"},
		{"long interface", func(l *Lab) { l.Links[0].SUTIf = "averyveryverylongname" }, "longer than 15"},
		{"shared MAC", func(l *Lab) { l.Links[0].Routers[0].MAC = l.Links[0].SUTMAC }, "share MAC"},
		{"global prefix", func(l *Lab) { l.Links[0].Routers[0].Prefixes[0] = netip.MustParsePrefix("2a00:1::/64") }, "2001:db8::/32"},
		{"not a /64", func(l *Lab) { l.Links[0].Routers[0].Prefixes[0] = netip.MustParsePrefix("2001:db8:a::/56") }, "/64"},
		{"router not link-local", func(l *Lab) { l.Links[0].Routers[0].LinkLocal = netip.MustParseAddr("2001:db8::1") }, "fe80::/10"},
		{"private IPv4", func(l *Lab) { l.Links[0].SUTIPv4 = netip.MustParsePrefix("10.0.0.1/24") }, "documentation"},
		{"host outside ranges", func(l *Lab) {
			l.Links[0].Hosts = []Host{{Name: "h", MAC: mac("02:00:00:00:0b:01"), IPv4: netip.MustParseAddr("8.8.8.8")}}
		}, "outside"},
		{"route to unknown link", func(l *Lab) {
			l.Routes = []Route{{Dst: netip.MustParsePrefix("::/0"), Gateway: netip.MustParseAddr("fe80::a"), Link: "nope"}}
		}, "unknown link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLab()
			tt.modify(&l)
			err := l.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestObjectNames(t *testing.T) {
	id := NewRunID()
	if !ValidRunID(id) {
		t.Fatalf("NewRunID gave %q", id)
	}
	name := ObjectName(id, 4242, 7, "sut")
	run, pid, ok := ObjectOwner(name)
	if !ok || run != id || pid != 4242 {
		t.Fatalf("ObjectOwner(%q) = %q, %d, %v", name, run, pid, ok)
	}
	for _, foreign := range []string{"ns1", "nc-zz-1-1-sut", "nc-0123456-1-1-sut", "cni-0123"} {
		if _, _, ok := ObjectOwner(foreign); ok {
			t.Errorf("ObjectOwner accepted foreign name %q", foreign)
		}
	}
}
