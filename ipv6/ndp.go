// Package ipv6 emulates the IPv6 side of a link (routers that advertise
// prefixes and answer neighbour discovery) and holds the checks of first-hop
// router selection: RFC 8028 and RFC 6724 rule 5.5. Verdicts come from what
// crossed the wire; the SUT's routing table is recorded beside them.
package ipv6

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/topology"
)

var allNodes = netip.MustParseAddr("ff02::1")

// multicastMAC is the Ethernet address of an IPv6 multicast group (RFC 2464).
func multicastMAC(group netip.Addr) net.HardwareAddr {
	b := group.As16()
	return net.HardwareAddr{0x33, 0x33, b[12], b[13], b[14], b[15]}
}

// serializeICMPv6 builds an Ethernet frame carrying an ICMPv6 message with a
// hop limit of 255, as neighbour discovery requires (RFC 4861 §6.1.2, §7.1.2).
func serializeICMPv6(srcMAC, dstMAC net.HardwareAddr, src, dst netip.Addr, typ uint8, msg gopacket.SerializableLayer) ([]byte, error) {
	eth := &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
	icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
	if err := icmp.SetNetworkLayerForChecksum(ip); err != nil {
		return nil, err
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, icmp, msg); err != nil {
		return nil, fmt.Errorf("serialize ICMPv6 type %d: %w", typ, err)
	}
	return buf.Bytes(), nil
}

// prefixInformation is an RFC 4861 §4.6.2 option, on-link and autonomous.
func prefixInformation(p netip.Prefix, valid, preferred time.Duration) layers.ICMPv6Option {
	data := make([]byte, 30)
	data[0] = byte(p.Bits())
	data[1] = 0xc0 // L and A
	binary.BigEndian.PutUint32(data[2:], seconds32(valid))
	binary.BigEndian.PutUint32(data[6:], seconds32(preferred))
	a := p.Masked().Addr().As16()
	copy(data[14:], a[:])
	return layers.ICMPv6Option{Type: layers.ICMPv6OptPrefixInfo, Data: data}
}

func seconds32(d time.Duration) uint32 {
	if d < 0 {
		return 0xffffffff // infinity
	}
	return uint32(d / time.Second)
}

// raFlags puts the RFC 4191 preference into the RA's flag byte (bits 4-3).
func raFlags(p topology.Preference) uint8 {
	switch p {
	case topology.PrefHigh:
		return 0x08
	case topology.PrefLow:
		return 0x18
	}
	return 0
}

// RouterAdvertisement builds the RA router r sends to dst (all-nodes for an
// unsolicited one). Lifetime zero withdraws the router (RFC 4861 §6.3.4).
func RouterAdvertisement(r topology.Router, dstMAC net.HardwareAddr, dst netip.Addr) ([]byte, error) {
	lifetime := r.Lifetime
	if lifetime == 0 {
		lifetime = 1800 * time.Second
	}
	if lifetime < 0 {
		lifetime = 0
	}
	opts := layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: r.MAC}}
	for _, p := range r.Prefixes {
		opts = append(opts, prefixInformation(p, 86400*time.Second, 14400*time.Second))
	}
	ra := &layers.ICMPv6RouterAdvertisement{
		HopLimit:       64,
		Flags:          raFlags(r.Preference),
		RouterLifetime: uint16(lifetime / time.Second),
		Options:        opts,
	}
	return serializeICMPv6(r.MAC, dstMAC, r.LinkLocal, dst, layers.ICMPv6TypeRouterAdvertisement, ra)
}

// NeighborAdvertisement answers a solicitation for target (RFC 4861 §7.2.4).
func NeighborAdvertisement(mac net.HardwareAddr, target netip.Addr, router, solicited bool, dstMAC net.HardwareAddr, dst netip.Addr) ([]byte, error) {
	flags := uint8(0x20) // override
	if router {
		flags |= 0x80
	}
	if solicited {
		flags |= 0x40
	}
	na := &layers.ICMPv6NeighborAdvertisement{
		Flags:         flags,
		TargetAddress: target.AsSlice(),
		Options:       layers.ICMPv6Options{{Type: layers.ICMPv6OptTargetAddress, Data: mac}},
	}
	return serializeICMPv6(mac, dstMAC, target, dst, layers.ICMPv6TypeNeighborAdvertisement, na)
}

// solicitedNode is the solicited-node multicast group of a (RFC 4291 §2.7.1).
func solicitedNode(a netip.Addr) netip.Addr {
	b := a.As16()
	return netip.AddrFrom16([16]byte{0xff, 0x02, 10: 0, 11: 0x01, 12: 0xff, 13: b[13], 14: b[14], 15: b[15]})
}

// NeighborSolicitation asks, from src (with its MAC as source link-layer
// address), for target's link-layer address, to target's solicited-node
// group (RFC 4861 §4.3, §7.2.2).
func NeighborSolicitation(mac net.HardwareAddr, src, target netip.Addr) ([]byte, error) {
	group := solicitedNode(target)
	ns := &layers.ICMPv6NeighborSolicitation{
		TargetAddress: target.AsSlice(),
		Options:       layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: mac}},
	}
	return serializeICMPv6(mac, multicastMAC(group), src, group, layers.ICMPv6TypeNeighborSolicitation, ns)
}
