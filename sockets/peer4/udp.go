package peer4

import (
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Datagram is one UDP datagram the SUT put on the wire for the host.
type Datagram struct {
	Time    time.Time        `json:"time"`
	SrcMAC  net.HardwareAddr `json:"-"`
	Src     netip.AddrPort   `json:"src"`
	Dst     netip.AddrPort   `json:"dst"`
	Payload []byte           `json:"-"`
}

// udpTo extracts an IPv4 UDP datagram addressed to dst from pkt.
func udpTo(pkt gopacket.Packet, dst netip.Addr) (Datagram, bool) {
	eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if eth == nil || ip == nil || udp == nil {
		return Datagram{}, false
	}
	d, _ := netip.AddrFromSlice(ip.DstIP)
	if d != dst {
		return Datagram{}, false
	}
	s, _ := netip.AddrFromSlice(ip.SrcIP)
	return Datagram{
		SrcMAC:  append(net.HardwareAddr(nil), eth.SrcMAC...),
		Src:     netip.AddrPortFrom(s, uint16(udp.SrcPort)),
		Dst:     netip.AddrPortFrom(d, uint16(udp.DstPort)),
		Payload: append([]byte(nil), udp.Payload...),
	}, true
}

// UDPFrame builds an Ethernet frame carrying an IPv4 UDP datagram: the SUT's
// side of the wire, used by the tests.
func UDPFrame(srcMAC, dstMAC net.HardwareAddr, src, dst netip.AddrPort, payload []byte) ([]byte, error) {
	eth := &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
	udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		return nil, err
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
