// Package peer4 emulates an IPv4 host on a lab link: it answers ARP for its
// address so the SUT can send to it, and records every UDP datagram the SUT
// sends it, with the time its frame crossed the wire. It never replies at the
// transport layer: a check reads what arrived, nothing more.
package peer4

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/topology"
)

// Host is an emulated IPv4 host attached to a port.
type Host struct {
	decl topology.Host
	port *topology.Port

	mu        sync.Mutex
	datagrams []Datagram
	arps      int
	changed   chan struct{} // closed and replaced at every recorded datagram
	errs      []error
}

// Start attaches the host described by decl (its IPv4 address and MAC) to
// port. It answers from the next frame on.
func Start(port *topology.Port, decl topology.Host) (*Host, error) {
	if !decl.IPv4.Is4() || len(decl.MAC) != 6 {
		return nil, fmt.Errorf("peer %s needs an IPv4 address and a 6-byte MAC", decl.Name)
	}
	h := &Host{decl: decl, port: port, changed: make(chan struct{})}
	port.Handle(h.handle)
	return h, nil
}

// Decl is the host's declaration.
func (h *Host) Decl() topology.Host { return h.decl }

// Received returns a copy of every UDP datagram the SUT sent to the host.
func (h *Host) Received() []Datagram {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Datagram(nil), h.datagrams...)
}

// Changed returns a channel closed at the next recorded datagram: a way to
// wait for arrivals without polling.
func (h *Host) Changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.changed
}

// ARPReplies is how many ARP requests the host answered.
func (h *Host) ARPReplies() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.arps
}

// Err returns what went wrong while answering the SUT (nothing in a sound lab).
func (h *Host) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.errs) == 0 {
		return nil
	}
	return fmt.Errorf("peer %s: %w", h.decl.Name, errors.Join(h.errs...))
}

// handle runs on the port's reader goroutine for every frame from the SUT.
func (h *Host) handle(f topology.Frame) {
	pkt := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.NoCopy)
	if arp, ok := pkt.Layer(layers.LayerTypeARP).(*layers.ARP); ok {
		h.answerARP(arp)
		return
	}
	d, ok := udpTo(pkt, h.decl.IPv4)
	if !ok {
		return
	}
	d.Time = f.Time
	h.mu.Lock()
	h.datagrams = append(h.datagrams, d)
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
}

func (h *Host) answerARP(req *layers.ARP) {
	target, _ := netip.AddrFromSlice(req.DstProtAddress)
	if req.Operation != layers.ARPRequest || target != h.decl.IPv4 {
		return
	}
	frame, err := ARPReply(h.decl.MAC, h.decl.IPv4, req)
	if err == nil {
		err = h.port.Send(frame)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.errs = append(h.errs, err)
		return
	}
	h.arps++
}
