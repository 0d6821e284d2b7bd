package ipv6

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/topology"
)

// TestRouterAdvertisementWire decodes the RA the emulated router sends: what
// the SUT's kernel will parse must be what the lab declared.
func TestRouterAdvertisementWire(t *testing.T) {
	r := routerA()
	r.Preference = topology.PrefHigh
	r.Lifetime = 600 * time.Second
	frame, err := RouterAdvertisement(r, multicastMAC(allNodes), allNodes)
	if err != nil {
		t.Fatal(err)
	}
	pkt := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if errLayer := pkt.ErrorLayer(); errLayer != nil {
		t.Fatalf("frame does not decode: %v", errLayer.Error())
	}
	eth := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
	ra, ok := pkt.Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
	if !ok {
		t.Fatal("no RA layer")
	}
	if eth.DstMAC.String() != "33:33:00:00:00:01" || eth.SrcMAC.String() != r.MAC.String() {
		t.Errorf("Ethernet %s -> %s", eth.SrcMAC, eth.DstMAC)
	}
	if ip.HopLimit != 255 || ip.SrcIP.String() != "fe80::a" || ip.DstIP.String() != "ff02::1" {
		t.Errorf("IPv6 hop limit %d, %s -> %s: ND needs 255 from the link-local address", ip.HopLimit, ip.SrcIP, ip.DstIP)
	}
	if ra.RouterLifetime != 600 || ra.Flags&0x18 != 0x08 {
		t.Errorf("lifetime %d, flags %#x: want 600 and preference high", ra.RouterLifetime, ra.Flags)
	}
	var prefixes []netip.Prefix
	var sll bool
	for _, o := range ra.Options {
		switch o.Type {
		case layers.ICMPv6OptPrefixInfo:
			a, _ := netip.AddrFromSlice(o.Data[14:30])
			prefixes = append(prefixes, netip.PrefixFrom(a, int(o.Data[0])))
			if o.Data[1]&0xc0 != 0xc0 {
				t.Errorf("prefix %s lacks the on-link and autonomous flags", a)
			}
		case layers.ICMPv6OptSourceAddress:
			sll = string(o.Data) == string(r.MAC)
		}
	}
	if len(prefixes) != 1 || prefixes[0] != prefixA || !sll {
		t.Errorf("options: prefixes %v, source link-layer address present %v", prefixes, sll)
	}
	// A withdrawal advertises lifetime zero.
	r.Lifetime = -1
	frame, _ = RouterAdvertisement(r, multicastMAC(allNodes), allNodes)
	ra = gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default).Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
	if ra.RouterLifetime != 0 {
		t.Errorf("withdrawal lifetime %d", ra.RouterLifetime)
	}
}

func TestSolicitedNode(t *testing.T) {
	got := solicitedNode(netip.MustParseAddr("fe80::ff:fe00:101"))
	if want := netip.MustParseAddr("ff02::1:ff00:101"); got != want {
		t.Errorf("solicited-node group %s, want %s", got, want)
	}
	if m := multicastMAC(got).String(); m != "33:33:ff:00:01:01" {
		t.Errorf("its MAC %s", m)
	}
}
