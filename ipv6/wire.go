package ipv6

import (
	"net"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/topology"
)

// Datagram is a UDP datagram the SUT put on a link, with the Ethernet
// destination that says which first hop it chose.
type Datagram struct {
	Link    string
	DstMAC  net.HardwareAddr
	Src     netip.Addr
	Dst     netip.Addr
	DstPort uint16
	Payload []byte
}

// UDPFromSUT extracts the IPv6 UDP datagrams the SUT sent to dst.
func UDPFromSUT(frames []topology.Frame, dst netip.Addr) []Datagram {
	var out []Datagram
	for _, f := range frames {
		if f.Dir != topology.FromSUT {
			continue
		}
		pkt := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.NoCopy)
		eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
		ip, _ := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
		udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if eth == nil || ip == nil || udp == nil {
			continue
		}
		d, _ := netip.AddrFromSlice(ip.DstIP)
		if d != dst {
			continue
		}
		s, _ := netip.AddrFromSlice(ip.SrcIP)
		out = append(out, Datagram{Link: f.Link, DstMAC: eth.DstMAC, Src: s, Dst: d, DstPort: uint16(udp.DstPort), Payload: append([]byte(nil), udp.Payload...)})
	}
	return out
}
