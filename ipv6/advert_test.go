package ipv6

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/topology"
)

// decodeRA parses a frame AdvertFrame built, as a host would.
func decodeRA(t *testing.T, frame []byte) (*layers.IPv6, *layers.ICMPv6RouterAdvertisement) {
	t.Helper()
	pkt := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if el := pkt.ErrorLayer(); el != nil {
		t.Fatalf("frame does not decode: %v", el.Error())
	}
	ip, _ := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
	ra, _ := pkt.Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
	if ip == nil || ra == nil {
		t.Fatalf("no RA in %x", frame)
	}
	return ip, ra
}

func TestAdvertFrame(t *testing.T) {
	r := routerB()
	a := Advert{Router: "b", Preference: topology.PrefLow, RouterLifetime: 0,
		Prefixes: []PrefixInfo{{Prefix: prefixC, Valid: flashValid, Preferred: 0}, stdPrefix(prefixA)},
		Routes: []RouteInfo{
			{Prefix: rioPrefix, Preference: topology.PrefHigh, Lifetime: 600 * time.Second},
			{Prefix: netip.MustParsePrefix("2001:db8:5000:1:2::/80"), Preference: topology.PrefLow, Lifetime: Infinite},
			{Prefix: netip.MustParsePrefix("2001:db8:6000::/36"), Preference: topology.PrefMedium, Lifetime: 0},
		}}
	frame, err := AdvertFrame(r, a, multicastMAC(allNodes), allNodes)
	if err != nil {
		t.Fatal(err)
	}
	ip, ra := decodeRA(t, frame)
	if ip.HopLimit != 255 || netip.AddrFrom16([16]byte(ip.SrcIP)) != r.LinkLocal {
		t.Errorf("hop limit %d from %s: want 255 from %s", ip.HopLimit, ip.SrcIP, r.LinkLocal)
	}
	if ra.RouterLifetime != 0 || ra.Flags&0x18 != 0x18 {
		t.Errorf("router lifetime %d flags %#x: want 0 and Low (0x18 in bits 4-3)", ra.RouterLifetime, ra.Flags)
	}
	// On the wire in the order declared: SLLA, the PIOs, the RIOs.
	var types []layers.ICMPv6Opt
	for _, o := range ra.Options {
		types = append(types, o.Type)
	}
	want := []layers.ICMPv6Opt{layers.ICMPv6OptSourceAddress, layers.ICMPv6OptPrefixInfo, layers.ICMPv6OptPrefixInfo, 24, 24, 24}
	if len(types) != len(want) {
		t.Fatalf("options %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("options %v, want %v", types, want)
		}
	}
	pi := ra.Options[1].Data
	if p := netip.AddrFrom16([16]byte(pi[14:30])); p != prefixC.Addr() || pi[0] != 64 || pi[1] != 0xc0 ||
		binary.BigEndian.Uint32(pi[2:]) != 2 || binary.BigEndian.Uint32(pi[6:]) != 0 {
		t.Errorf("first PIO %x: want %s/64, L and A, valid 2, preferred 0", pi, prefixC)
	}
	if pi := ra.Options[2].Data; binary.BigEndian.Uint32(pi[2:]) != 86400 || binary.BigEndian.Uint32(pi[6:]) != 14400 {
		t.Errorf("second PIO %x: want the usual lifetimes", pi)
	}
	// RFC 4191 §2.3: Length 2 up to /64 (prefix in 8 bytes), 3 above;
	// Prf in bits 4-3 of the byte after the prefix length.
	rios := []struct {
		units    int
		plen     byte
		prf      byte
		lifetime uint32
		prefix   string
	}{{2, 48, 0x08, 600, "2001:db8:5000::"}, {3, 80, 0x18, 0xffffffff, "2001:db8:5000:1:2::"}, {2, 36, 0x00, 0, "2001:db8:6000::"}}
	for i, w := range rios {
		d := ra.Options[3+i].Data
		if (len(d)+2)/8 != w.units || (len(d)+2)%8 != 0 || d[0] != w.plen || d[1] != w.prf || binary.BigEndian.Uint32(d[2:]) != w.lifetime {
			t.Errorf("RIO %d: %x: want %d units, /%d, flags %#x, lifetime %d", i, d, w.units, w.plen, w.prf, w.lifetime)
			continue
		}
		var b [16]byte
		copy(b[:], d[6:])
		if got := netip.AddrFrom16(b); got != netip.MustParseAddr(w.prefix) {
			t.Errorf("RIO %d prefix %s, want %s", i, got, w.prefix)
		}
	}
	// The event records what went on the wire.
	e := a.event(false)
	if e.Preference != "low" || e.RouterLifetime != 0 || e.Prefixes[0].Valid != 2 || e.Prefixes[0].Preferred != 0 ||
		e.Routes[1].Lifetime != 0xffffffff || e.Routes[0].Preference != "high" {
		t.Errorf("event %+v does not say what was sent", e)
	}
}

func TestAdvertValidate(t *testing.T) {
	tests := []struct {
		name string
		a    Advert
		want string
	}{
		{"fine", Advert{Router: "a", RouterLifetime: 1800 * time.Second, Prefixes: []PrefixInfo{stdPrefix(prefixA)}}, ""},
		{"router lifetime too long", Advert{Router: "a", RouterLifetime: 9001 * time.Second}, "0..9000 s"},
		{"router lifetime not whole seconds", Advert{Router: "a", RouterLifetime: 1500 * time.Millisecond}, "0..9000 s"},
		{"prefix outside documentation", Advert{Router: "a", Prefixes: []PrefixInfo{stdPrefix(netip.MustParsePrefix("2001:db9::/64"))}}, "inside 2001:db8::/32"},
		{"prefix not /64", Advert{Router: "a", Prefixes: []PrefixInfo{stdPrefix(netip.MustParsePrefix("2001:db8:a::/60"))}}, "must be /64"},
		{"preferred above valid", Advert{Router: "a", Prefixes: []PrefixInfo{{Prefix: prefixA, Valid: time.Second, Preferred: 2 * time.Second}}}, "above valid lifetime"},
		{"preferred infinite, valid not", Advert{Router: "a", Prefixes: []PrefixInfo{{Prefix: prefixA, Valid: time.Second, Preferred: Infinite}}}, "above valid lifetime"},
		{"route outside documentation", Advert{Router: "a", Routes: []RouteInfo{{Prefix: netip.MustParsePrefix("::/0")}}}, "inside 2001:db8::/32"},
		{"negative lifetime", Advert{Router: "a", Routes: []RouteInfo{{Prefix: rioPrefix, Lifetime: -2 * time.Second}}}, "whole seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			}
			if _, ferr := AdvertFrame(routerA(), tt.a, multicastMAC(allNodes), allNodes); ferr == nil {
				t.Error("AdvertFrame built a frame for an invalid advertisement")
			}
		})
	}
}
