package peer4

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// ARPReply builds the reply of the host (mac, ip) to an ARP request, sent
// unicast to the requester (RFC 826).
func ARPReply(mac net.HardwareAddr, ip netip.Addr, req *layers.ARP) ([]byte, error) {
	if len(req.SourceHwAddress) != 6 || len(req.SourceProtAddress) != 4 {
		return nil, fmt.Errorf("ARP request with a %d-byte hardware and %d-byte protocol address", len(req.SourceHwAddress), len(req.SourceProtAddress))
	}
	eth := &layers.Ethernet{SrcMAC: mac, DstMAC: net.HardwareAddr(req.SourceHwAddress), EthernetType: layers.EthernetTypeARP}
	reply := &layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPReply,
		SourceHwAddress: mac, SourceProtAddress: ip.AsSlice(),
		DstHwAddress: req.SourceHwAddress, DstProtAddress: req.SourceProtAddress,
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, eth, reply); err != nil {
		return nil, fmt.Errorf("serialize ARP reply: %w", err)
	}
	return buf.Bytes(), nil
}

// ARPRequest builds a broadcast who-has for target from (mac, ip): the SUT's
// side of the exchange, used by the tests.
func ARPRequest(mac net.HardwareAddr, ip, target netip.Addr) ([]byte, error) {
	bcast := net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	eth := &layers.Ethernet{SrcMAC: mac, DstMAC: bcast, EthernetType: layers.EthernetTypeARP}
	req := &layers.ARP{
		AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPRequest,
		SourceHwAddress: mac, SourceProtAddress: ip.AsSlice(),
		DstHwAddress: make([]byte, 6), DstProtAddress: target.AsSlice(),
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, eth, req); err != nil {
		return nil, fmt.Errorf("serialize ARP request: %w", err)
	}
	return buf.Bytes(), nil
}
