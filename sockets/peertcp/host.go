// Package peertcp emulates a TCP host on a lab link, for the TCP churn and
// RST checks: it answers ARP (IPv4) and Neighbor Solicitation (IPv6) for its
// addresses so the SUT can reach it, drops every SYN to its drop port (the
// peer of sockets.churn.close-connecting*: connects to it never complete),
// completes the handshake on its accept port, and records, per connection,
// whether the SUT ended it with an RST or a FIN. It never sends data, never
// acknowledges anything but a SYN, and never sends an RST: what a check
// reads is only what the SUT put on the wire.
package peertcp

import (
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/ipv6"
	"github.com/netconform/netconform/sockets/peer4"
	"github.com/netconform/netconform/topology"
)

// Ports are the host's TCP ports.
type Ports struct {
	// Drop: SYNs to it are recorded and dropped.
	Drop uint16
	// Accept: SYNs to it are answered with a SYN-ACK.
	Accept uint16
}

// Conn is what the host saw of one connection to its accept port, keyed by
// the SUT's address and port.
type Conn struct {
	From netip.AddrPort `json:"from"`
	SYNs int            `json:"syns"`
	// RST and FIN are when the SUT's first RST or FIN arrived (zero: none).
	RST time.Time `json:"rst,omitzero"`
	FIN time.Time `json:"fin,omitzero"`
}

// Host is an emulated TCP host attached to a port.
type Host struct {
	decl  topology.Host
	port  *topology.Port
	ports Ports

	mu      sync.Mutex
	dropped map[netip.Addr]int // SYNs to the drop port, by destination address
	conns   map[netip.AddrPort]*Conn
	arps    int
	nas     int
	changed chan struct{}
	errs    []error
}

// Start attaches the host described by decl (a MAC, an IPv4 address and/or
// IPv6 addresses) to port.
func Start(port *topology.Port, decl topology.Host, ports Ports) (*Host, error) {
	if len(decl.MAC) != 6 || (!decl.IPv4.Is4() && len(decl.IPv6) == 0) {
		return nil, fmt.Errorf("peer %s needs a 6-byte MAC and an IPv4 or IPv6 address", decl.Name)
	}
	if ports.Drop == 0 || ports.Accept == 0 || ports.Drop == ports.Accept {
		return nil, fmt.Errorf("peer %s needs two distinct non-zero ports, has %+v", decl.Name, ports)
	}
	h := &Host{decl: decl, port: port, ports: ports, dropped: map[netip.Addr]int{}, conns: map[netip.AddrPort]*Conn{}, changed: make(chan struct{})}
	port.Handle(h.handle)
	return h, nil
}

// Decl is the host's declaration.
func (h *Host) Decl() topology.Host { return h.decl }

// Ports are the host's ports.
func (h *Host) Ports() Ports { return h.ports }

// Dropped is how many SYNs to the drop port the host dropped, per
// destination address.
func (h *Host) Dropped(a netip.Addr) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dropped[a]
}

// Conns returns a copy of every connection to the accept port.
func (h *Host) Conns() map[netip.AddrPort]Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[netip.AddrPort]Conn, len(h.conns))
	for k, c := range h.conns {
		out[k] = *c
	}
	return out
}

// TakeConns returns every connection to the accept port and forgets them:
// a check measuring in rounds starts each with none.
func (h *Host) TakeConns() map[netip.AddrPort]Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[netip.AddrPort]Conn, len(h.conns))
	for k, c := range h.conns {
		out[k] = *c
	}
	h.conns = map[netip.AddrPort]*Conn{}
	return out
}

// Changed returns a channel closed at the next recorded SYN, RST or FIN.
func (h *Host) Changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.changed
}

// Err returns what went wrong while answering the SUT.
func (h *Host) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.errs) == 0 {
		return nil
	}
	return fmt.Errorf("peer %s: %w", h.decl.Name, errors.Join(h.errs...))
}

func (h *Host) owns(a netip.Addr) bool {
	if a.Is4() {
		return a == h.decl.IPv4
	}
	for _, b := range h.decl.IPv6 {
		if b.WithZone("") == a.WithZone("") {
			return true
		}
	}
	return false
}

func (h *Host) noteLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

func (h *Host) fail(err error) {
	h.mu.Lock()
	h.errs = append(h.errs, err)
	h.mu.Unlock()
}

// handle runs on the port's reader goroutine for every frame from the SUT.
func (h *Host) handle(f topology.Frame) {
	pkt := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.DecodeOptions{NoCopy: true, Lazy: true})
	eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	if eth == nil {
		return
	}
	if arp, ok := pkt.Layer(layers.LayerTypeARP).(*layers.ARP); ok {
		h.answerARP(arp)
		return
	}
	var src, dst netip.Addr
	if ip, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
	} else if ip, ok := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6); ok {
		src, _ = netip.AddrFromSlice(ip.SrcIP)
		dst, _ = netip.AddrFromSlice(ip.DstIP)
		if ns, ok := pkt.Layer(layers.LayerTypeICMPv6NeighborSolicitation).(*layers.ICMPv6NeighborSolicitation); ok {
			h.answerNS(eth, src, ns)
			return
		}
	} else {
		return
	}
	tcp, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok || !h.owns(dst) {
		return
	}
	h.handleTCP(f.Time, eth, src, dst, tcp)
}

func (h *Host) handleTCP(at time.Time, eth *layers.Ethernet, src, dst netip.Addr, tcp *layers.TCP) {
	from := netip.AddrPortFrom(src, uint16(tcp.SrcPort))
	port := uint16(tcp.DstPort)
	switch {
	case tcp.SYN && !tcp.ACK && port == h.ports.Drop:
		h.mu.Lock()
		h.dropped[dst]++
		h.noteLocked()
		h.mu.Unlock()
	case tcp.SYN && !tcp.ACK && port == h.ports.Accept:
		h.mu.Lock()
		c := h.conns[from]
		if c == nil {
			c = &Conn{From: from}
			h.conns[from] = c
		}
		c.SYNs++
		h.noteLocked()
		h.mu.Unlock()
		frame, err := SynAck(h.decl.MAC, eth.SrcMAC, netip.AddrPortFrom(dst, port), from, ISN(from), tcp.Seq+1)
		if err == nil {
			err = h.port.Send(frame)
		}
		if err != nil {
			h.fail(err)
		}
	case (tcp.RST || tcp.FIN) && port == h.ports.Accept:
		h.mu.Lock()
		if c := h.conns[from]; c != nil {
			if tcp.RST && c.RST.IsZero() {
				c.RST = at
			}
			if tcp.FIN && c.FIN.IsZero() {
				c.FIN = at
			}
			h.noteLocked()
		}
		h.mu.Unlock()
	}
}

func (h *Host) answerARP(req *layers.ARP) {
	target, _ := netip.AddrFromSlice(req.DstProtAddress)
	if req.Operation != layers.ARPRequest || !h.decl.IPv4.Is4() || target != h.decl.IPv4 {
		return
	}
	frame, err := peer4.ARPReply(h.decl.MAC, h.decl.IPv4, req)
	h.sendCounted(frame, err, &h.arps)
}

// answerNS answers a solicitation for one of the host's IPv6 addresses
// (RFC 4861 §7.2.4); DAD probes (from ::) are left alone.
func (h *Host) answerNS(eth *layers.Ethernet, src netip.Addr, ns *layers.ICMPv6NeighborSolicitation) {
	target, _ := netip.AddrFromSlice(ns.TargetAddress)
	if !h.owns(target) || src.IsUnspecified() {
		return
	}
	frame, err := ipv6.NeighborAdvertisement(h.decl.MAC, target, false, true, eth.SrcMAC, src)
	h.sendCounted(frame, err, &h.nas)
}

// sendCounted sends an answer the host built (err: it could not) and
// counts it in *n, a counter h.mu guards; a failure is the host's.
func (h *Host) sendCounted(frame []byte, err error, n *int) {
	if err == nil {
		err = h.port.Send(frame)
	}
	if err != nil {
		h.fail(err)
		return
	}
	h.mu.Lock()
	*n++
	h.mu.Unlock()
}

// ISN is the host's initial sequence number toward from: fixed per
// connection, so a retransmitted SYN gets the same SYN-ACK.
func ISN(from netip.AddrPort) uint32 {
	f := fnv.New32a()
	b, _ := from.MarshalBinary()
	f.Write(b)
	return f.Sum32()
}

// SynAck builds the host's SYN-ACK (MSS 1460, window 65535) from local to
// the SUT's remote.
func SynAck(srcMAC, dstMAC net.HardwareAddr, local, remote netip.AddrPort, seq, ack uint32) ([]byte, error) {
	tcp := &layers.TCP{SrcPort: layers.TCPPort(local.Port()), DstPort: layers.TCPPort(remote.Port()),
		Seq: seq, Ack: ack, SYN: true, ACK: true, Window: 65535,
		Options: []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}}}}
	return tcpFrame(srcMAC, dstMAC, local.Addr(), remote.Addr(), tcp)
}

// Segment builds a TCP segment from the SUT's side: the tests play the SUT
// with it.
func Segment(srcMAC, dstMAC net.HardwareAddr, from, to netip.AddrPort, tcp *layers.TCP) ([]byte, error) {
	tcp.SrcPort, tcp.DstPort = layers.TCPPort(from.Port()), layers.TCPPort(to.Port())
	return tcpFrame(srcMAC, dstMAC, from.Addr(), to.Addr(), tcp)
}

func tcpFrame(srcMAC, dstMAC net.HardwareAddr, src, dst netip.Addr, tcp *layers.TCP) ([]byte, error) {
	src, dst = src.Unmap(), dst.Unmap()
	eth := &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC}
	var network gopacket.NetworkLayer
	var ipLayer gopacket.SerializableLayer
	if src.Is4() {
		eth.EthernetType = layers.EthernetTypeIPv4
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
		network, ipLayer = ip, ip
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: src.WithZone("").AsSlice(), DstIP: dst.WithZone("").AsSlice()}
		network, ipLayer = ip, ip
	}
	if err := tcp.SetNetworkLayerForChecksum(network); err != nil {
		return nil, err
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}, eth, ipLayer, tcp); err != nil {
		return nil, fmt.Errorf("serialize TCP segment: %w", err)
	}
	return buf.Bytes(), nil
}
