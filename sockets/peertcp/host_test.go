package peertcp

import (
	"bytes"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/sockets/peer4"
	"github.com/netconform/netconform/topology"
)

var (
	sutMAC  = labtest.MAC("02:00:00:00:00:01")
	peerMAC = labtest.MAC("02:00:00:00:05:02")
	sut4    = netip.MustParseAddr("192.0.2.1")
	peer4IP = netip.MustParseAddr("192.0.2.2")
	sut6    = netip.MustParseAddr("fe80::ff:fe00:1")
	peer6   = netip.MustParseAddr("fe80::2")
	ports   = Ports{Drop: 4702, Accept: 4701}
)

func startHost(t *testing.T) (*Host, *labtest.Wire) {
	t.Helper()
	port, w := labtest.FakePort(t, "l0")
	h, err := Start(port, topology.Host{Name: "p", MAC: peerMAC, IPv4: peer4IP, IPv6: []netip.Addr{peer6}}, ports)
	if err != nil {
		t.Fatal(err)
	}
	return h, w
}

// send plays a frame as the SUT and waits until the host has handled it:
// a marker SYN to the drop port at the host's IPv6 address follows it, and
// once the marker is counted the frame was handled too (one reader
// goroutine, frames in order).
func send(t *testing.T, h *Host, w *labtest.Wire, frame []byte) {
	t.Helper()
	before := h.Dropped(peer6)
	w.In <- frame
	w.In <- segment(t, sut6, 1, peer6, ports.Drop, &layers.TCP{SYN: true})
	for {
		changed := h.Changed()
		if h.Dropped(peer6) > before {
			return
		}
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatal("frame never handled")
		}
	}
}

func segment(t *testing.T, src netip.Addr, sport uint16, dst netip.Addr, dport uint16, tcp *layers.TCP) []byte {
	t.Helper()
	f, err := Segment(sutMAC, peerMAC, netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport), tcp)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func reply(t *testing.T, w *labtest.Wire) gopacket.Packet {
	t.Helper()
	select {
	case f := <-w.Out:
		return gopacket.NewPacket(f, layers.LayerTypeEthernet, gopacket.Default)
	default:
		t.Fatal("no reply")
	}
	return nil
}

func noReply(t *testing.T, w *labtest.Wire) {
	t.Helper()
	select {
	case f := <-w.Out:
		t.Fatalf("unexpected reply %x", f)
	default:
	}
}

func TestDropsSYNsToTheDropPort(t *testing.T) {
	h, w := startHost(t)
	for _, dst := range []netip.Addr{peer4IP, peer4IP} {
		send(t, h, w, segment(t, sut4, 40000, dst, ports.Drop, &layers.TCP{SYN: true, Seq: 7}))
	}
	if got := h.Dropped(peer4IP); got != 2 {
		t.Errorf("dropped %d SYNs, want 2", got)
	}
	noReply(t, w)
	if err := h.Err(); err != nil {
		t.Error(err)
	}
}

func TestAnswersSYNAndRecordsHowTheSUTEnds(t *testing.T) {
	tests := []struct {
		name     string
		sut, dst netip.Addr
		end      layers.TCP
		rst, fin bool
	}{
		{"IPv4 RST", sut4, peer4IP, layers.TCP{RST: true, ACK: true}, true, false},
		{"IPv4 FIN", sut4, peer4IP, layers.TCP{FIN: true, ACK: true}, false, true},
		{"IPv6 RST", sut6, peer6, layers.TCP{RST: true}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, w := startHost(t)
			send(t, h, w, segment(t, tt.sut, 40001, tt.dst, ports.Accept, &layers.TCP{SYN: true, Seq: 1000}))
			p := reply(t, w)
			tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
			eth, _ := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
			from := netip.AddrPortFrom(tt.sut, 40001)
			if tcp == nil || !tcp.SYN || !tcp.ACK || tcp.Ack != 1001 || tcp.Seq != ISN(from) || tcp.SrcPort != layers.TCPPort(ports.Accept) || tcp.DstPort != 40001 {
				t.Fatalf("bad SYN-ACK: %+v", tcp)
			}
			if !bytes.Equal(eth.DstMAC, sutMAC) || !bytes.Equal(eth.SrcMAC, peerMAC) {
				t.Errorf("SYN-ACK from %s to %s", eth.SrcMAC, eth.DstMAC)
			}
			if p.ErrorLayer() != nil {
				t.Errorf("SYN-ACK does not decode: %v", p.ErrorLayer().Error())
			}
			end := tt.end
			end.Seq = 1001
			send(t, h, w, segment(t, tt.sut, 40001, tt.dst, ports.Accept, &end))
			c, ok := h.Conns()[from]
			if !ok || c.SYNs != 1 || c.RST.IsZero() != !tt.rst || c.FIN.IsZero() != !tt.fin {
				t.Errorf("connection %+v (found %v)", c, ok)
			}
		})
	}
}

func TestAnswersNeighborSolicitationForItsAddressOnly(t *testing.T) {
	for _, tt := range []struct {
		name   string
		target netip.Addr
		answer bool
	}{{"own", peer6, true}, {"other", netip.MustParseAddr("fe80::3"), false}} {
		t.Run(tt.name, func(t *testing.T) {
			h, w := startHost(t)
			send(t, h, w, neighborSolicitation(t, tt.target))
			if !tt.answer {
				noReply(t, w)
				return
			}
			p := reply(t, w)
			na, ok := p.Layer(layers.LayerTypeICMPv6NeighborAdvertisement).(*layers.ICMPv6NeighborAdvertisement)
			if !ok || !bytes.Equal(na.TargetAddress, peer6.AsSlice()) || na.Flags&0x40 == 0 {
				t.Fatalf("bad NA: %+v", na)
			}
		})
	}
}

func TestAnswersARP(t *testing.T) {
	h, w := startHost(t)
	req, err := peer4.ARPRequest(sutMAC, sut4, peer4IP)
	if err != nil {
		t.Fatal(err)
	}
	send(t, h, w, req)
	arp, ok := reply(t, w).Layer(layers.LayerTypeARP).(*layers.ARP)
	if !ok || arp.Operation != layers.ARPReply || !bytes.Equal(arp.SourceHwAddress, peerMAC) {
		t.Fatalf("bad ARP reply: %+v", arp)
	}
}

func TestStartRefusesBadDeclarations(t *testing.T) {
	port, _ := labtest.FakePort(t, "l0")
	for _, tt := range []struct {
		decl  topology.Host
		ports Ports
	}{
		{topology.Host{Name: "noaddr", MAC: peerMAC}, ports},
		{topology.Host{Name: "nomac", IPv4: peer4IP}, ports},
		{topology.Host{Name: "sameport", MAC: peerMAC, IPv4: peer4IP}, Ports{Drop: 1, Accept: 1}},
	} {
		if _, err := Start(port, tt.decl, tt.ports); err == nil {
			t.Errorf("%s: started", tt.decl.Name)
		}
	}
}

func neighborSolicitation(t *testing.T, target netip.Addr) []byte {
	t.Helper()
	b := target.As16()
	group := netip.AddrFrom16([16]byte{0xff, 0x02, 11: 1, 12: 0xff, 13: b[13], 14: b[14], 15: b[15]})
	eth := &layers.Ethernet{SrcMAC: sutMAC, DstMAC: net.HardwareAddr{0x33, 0x33, 0xff, b[13], b[14], b[15]}, EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: sut6.AsSlice(), DstIP: group.AsSlice()}
	icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeNeighborSolicitation, 0)}
	icmp.SetNetworkLayerForChecksum(ip)
	ns := &layers.ICMPv6NeighborSolicitation{TargetAddress: target.AsSlice(),
		Options: layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: sutMAC}}}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}, eth, ip, icmp, ns); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
