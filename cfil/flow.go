package cfil

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// flowOf names the 5-tuple flow of an IP packet (as NFQUEUE hands it over,
// starting at the IP header): "udp 192.0.2.1:40000 -> 192.0.2.1:40000". A
// packet too short to read, or of another version, still gets a name so that
// the filter can count and drop it; the name then says what was unreadable.
func flowOf(pkt []byte) string {
	if len(pkt) < 1 {
		return "empty packet"
	}
	var (
		src, dst netip.Addr
		proto    byte
		l4       []byte
	)
	switch pkt[0] >> 4 {
	case 4:
		if len(pkt) < 20 {
			return fmt.Sprintf("truncated IPv4 packet (%d bytes)", len(pkt))
		}
		ihl := int(pkt[0]&0x0f) * 4
		src, dst, proto = netip.AddrFrom4([4]byte(pkt[12:16])), netip.AddrFrom4([4]byte(pkt[16:20])), pkt[9]
		if ihl >= 20 && len(pkt) >= ihl {
			l4 = pkt[ihl:]
		}
	case 6:
		if len(pkt) < 40 {
			return fmt.Sprintf("truncated IPv6 packet (%d bytes)", len(pkt))
		}
		// Extension headers are not walked: the suite's traffic has none, and
		// a packet with some is still named by its addresses and next header.
		src, dst, proto = netip.AddrFrom16([16]byte(pkt[8:24])), netip.AddrFrom16([16]byte(pkt[24:40])), pkt[6]
		l4 = pkt[40:]
	default:
		return fmt.Sprintf("IP version %d packet", pkt[0]>>4)
	}
	name := protoName(proto)
	if (proto == 6 || proto == 17) && len(l4) >= 4 {
		sport, dport := binary.BigEndian.Uint16(l4[0:2]), binary.BigEndian.Uint16(l4[2:4])
		return fmt.Sprintf("%s %s -> %s", name, netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport))
	}
	return fmt.Sprintf("%s %s -> %s", name, src, dst)
}

func protoName(p byte) string {
	switch p {
	case 1:
		return "icmp"
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 58:
		return "ipv6-icmp"
	}
	return fmt.Sprintf("proto %d", p)
}

// sourcePort is the UDP or TCP source port of an IP packet (as NFQUEUE hands
// it over); ok is false for anything else or a packet too short to say.
func sourcePort(pkt []byte) (port uint16, ok bool) {
	if len(pkt) < 1 {
		return 0, false
	}
	var proto byte
	var l4 []byte
	switch pkt[0] >> 4 {
	case 4:
		if len(pkt) < 20 {
			return 0, false
		}
		ihl := int(pkt[0]&0x0f) * 4
		if ihl < 20 || len(pkt) < ihl {
			return 0, false
		}
		proto, l4 = pkt[9], pkt[ihl:]
	case 6:
		if len(pkt) < 40 {
			return 0, false
		}
		proto, l4 = pkt[6], pkt[40:]
	default:
		return 0, false
	}
	if (proto != 6 && proto != 17) || len(l4) < 2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(l4[0:2]), true
}
