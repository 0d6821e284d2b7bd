package ipv6

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/topology"
)

// Router emulates a router on one link: it answers Neighbor Solicitations for
// its link-local address, and once advertising, answers Router Solicitations
// and sends Router Advertisements. It never forwards: the frames the SUT sends
// to it are recorded by the port and judged by the checks.
type Router struct {
	decl topology.Router
	port *topology.Port

	mu          sync.Mutex
	advertising bool
	errs        []error
	// current is the advertisement last sent with Send: solicitations are
	// answered with it (nil: the declaration's, as Advertise sends).
	current *Advert
	// sent, when set, is told of every advertisement Send sends and of
	// every answer to a solicitation made from current, as it goes out.
	sent func(a Advert, solicited bool, at time.Time)
}

// StartRouter attaches an emulated router to port. It stays silent (apart from
// answering neighbour discovery) until Advertise: the checks decide the order
// in which the SUT learns its routers.
func StartRouter(port *topology.Port, decl topology.Router) *Router {
	r := &Router{decl: decl, port: port}
	port.Handle(r.handle)
	return r
}

// Decl is the router's declaration.
func (r *Router) Decl() topology.Router { return r.decl }

// Advertise sends an unsolicited RA to all nodes and answers solicitations
// from now on.
func (r *Router) Advertise() error {
	r.mu.Lock()
	r.advertising = true
	r.mu.Unlock()
	frame, err := RouterAdvertisement(r.decl, multicastMAC(allNodes), allNodes)
	if err != nil {
		return err
	}
	return r.port.Send(frame)
}

// Withdraw sends an RA with router lifetime zero (the router stops being a
// default router; its prefixes stay) and stops answering solicitations.
func (r *Router) Withdraw() error {
	r.mu.Lock()
	r.advertising = false
	r.mu.Unlock()
	d := r.decl
	d.Lifetime = -1
	frame, err := RouterAdvertisement(d, multicastMAC(allNodes), allNodes)
	if err != nil {
		return err
	}
	return r.port.Send(frame)
}

// Send sends a to all nodes, unsolicited, and from now on answers
// solicitations with it: the router's state is its last advertisement,
// lifetime-zero withdrawals included.
func (r *Router) Send(a Advert) error {
	if a.Router != r.decl.Name {
		return fmt.Errorf("router %s asked to send router %s's advertisement", r.decl.Name, a.Router)
	}
	frame, err := AdvertFrame(r.decl, a, multicastMAC(allNodes), allNodes)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.advertising = true
	r.current = &a
	notify := r.sent
	r.mu.Unlock()
	at := time.Now()
	if err := r.port.Send(frame); err != nil {
		return err
	}
	if notify != nil {
		notify(a, false, at)
	}
	return nil
}

// OnSend registers fn to be told of every advertisement sent through Send
// and every solicited answer made from it (a timeline records them).
func (r *Router) OnSend(fn func(a Advert, solicited bool, at time.Time)) {
	r.mu.Lock()
	r.sent = fn
	r.mu.Unlock()
}

// Err returns the errors met while answering the SUT (none in a sound lab).
func (r *Router) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("router %s: %v", r.decl.Name, r.errs)
}

func (r *Router) fail(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

func (r *Router) handle(f topology.Frame) {
	pkt := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.NoCopy)
	eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip, _ := pkt.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
	if eth == nil || ip == nil {
		return
	}
	src, _ := netip.AddrFromSlice(ip.SrcIP)
	switch {
	case pkt.Layer(layers.LayerTypeICMPv6NeighborSolicitation) != nil:
		ns := pkt.Layer(layers.LayerTypeICMPv6NeighborSolicitation).(*layers.ICMPv6NeighborSolicitation)
		target, _ := netip.AddrFromSlice(ns.TargetAddress)
		if target != r.decl.LinkLocal {
			return
		}
		// A solicitation from the unspecified address (DAD) is answered to
		// all nodes, unsolicited (RFC 4861 §7.2.4).
		dst, dstMAC, solicited := src, eth.SrcMAC, true
		if src.IsUnspecified() {
			dst, dstMAC, solicited = allNodes, multicastMAC(allNodes), false
		}
		frame, err := NeighborAdvertisement(r.decl.MAC, r.decl.LinkLocal, true, solicited, dstMAC, dst)
		if err == nil {
			err = r.port.Send(frame)
		}
		if err != nil {
			r.fail(err)
		}
	case pkt.Layer(layers.LayerTypeICMPv6RouterSolicitation) != nil:
		r.mu.Lock()
		on, cur, notify := r.advertising, r.current, r.sent
		r.mu.Unlock()
		if !on {
			return
		}
		var frame []byte
		var err error
		at := time.Now()
		if cur != nil {
			frame, err = AdvertFrame(r.decl, *cur, multicastMAC(allNodes), allNodes)
		} else {
			frame, err = RouterAdvertisement(r.decl, multicastMAC(allNodes), allNodes)
		}
		if err == nil {
			err = r.port.Send(frame)
		}
		if err != nil {
			r.fail(err)
		} else if cur != nil && notify != nil {
			notify(*cur, true, at)
		}
	}
}
