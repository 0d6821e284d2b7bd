package ipv6

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// Hop is where some of a source's datagrams went on the wire, with the
// judge's mark (observation.Hop).
type Hop = observation.Hop

// hops groups datagrams by first hop.
func hops(lab *topology.Lab, ds []Datagram) []Hop {
	idx := map[string]int{}
	var out []Hop
	for _, d := range ds {
		key := d.Link + "|" + d.DstMAC.String()
		i, ok := idx[key]
		if !ok {
			h := Hop{Link: d.Link, MAC: d.DstMAC.String()}
			if r, link, ok := lab.RouterByMAC(d.DstMAC); ok && link.Name == d.Link {
				h.Router = r.Name
			}
			idx[key], i = len(out), len(out)
			out = append(out, h)
		}
		out[i].Frames++
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Router+out[i].Link < out[j].Router+out[j].Link })
	return out
}

// advertisers returns the routers that advertised a prefix holding a.
func advertisers(lab *topology.Lab, a netip.Addr) []string {
	var out []string
	for _, r := range lab.Routers() {
		for _, p := range r.Prefixes {
			if p.Contains(a) {
				out = append(out, r.Name)
			}
		}
	}
	return out
}

// routerOf names the router a routing-table entry points at ("" if none).
func routerOf(lab *topology.Lab, e topology.RouteEntry) string {
	for _, r := range lab.Routers() {
		if e.Gateway == r.LinkLocal && e.Interface == r.SUTIf {
			return r.Name
		}
	}
	return ""
}

// awaitSLAAC waits until the SUT holds a usable address in prefix on link,
// waking on every address change w reports.
func awaitSLAAC(ctx context.Context, sut topology.SUT, w topology.AddressWatch, link string, prefix netip.Prefix, timeout time.Duration) (netip.Addr, error) {
	a, err := topology.AwaitAddress(ctx, sut, w, link, timeout, "usable address in "+prefix.String(),
		func(a topology.Address) bool { return prefix.Contains(a.Prefix.Addr()) && !a.Tentative })
	var late *topology.AddressTimeout
	if errors.As(err, &late) {
		return netip.Addr{}, fmt.Errorf("the SUT configured no address in %s on %s within %s of the Router Advertisement", prefix, late.Interface, timeout)
	}
	return a.Prefix.Addr(), err
}

// awaitAccepted waits until complete() says every datagram the stack
// accepted is on the wire, or timeout. When some are missing, it returns
// the links on which the capture heard nothing from the SUT (unheardLinks:
// a loss there cannot be told from a broken capture). An interrupt is an
// error: what is missing was not given its time.
func awaitAccepted(ctx context.Context, lab *harness.Lab, ports []*topology.Port, timeout time.Duration, complete func() bool) ([]string, error) {
	done := awaitWire(ctx, ports, timeout, complete)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if done {
		return nil, nil
	}
	return unheardLinks(ctx, lab, ports, timeout)
}

// awaitWire waits until done() holds, waking on every frame any port records.
func awaitWire(ctx context.Context, ports []*topology.Port, timeout time.Duration, done func() bool) bool {
	return topology.AwaitFrames(ctx, ports, timeout, done)
}

// sent is what the socket API said about one observation's datagrams.
type sent struct {
	// src is the source the kernel used (getsockname after connect); invalid
	// when no socket got that far.
	src      netip.Addr
	n        int
	refusals []Refusal
}

// accepted is how many datagrams the stack took: those the wire must show.
func (s sent) accepted() int { return accepted(s.n, s.refusals) }

// errors are the refusals as the observations' send_errors list them.
func (s sent) errors() []string {
	var out []string
	for _, r := range s.refusals {
		out = append(out, r.String())
	}
	return out
}

// sendUDP sends n datagrams from src (unspecified: let the kernel choose) to
// dst:9 inside the SUT. A call the kernel refuses with an errno is recorded
// as a Refusal (the stack's answer, judged); an error is returned only when
// the harness itself failed (could not enter the SUT, a failure without an
// errno). An unbound socket is scoped to ifname where the OS needs it to stay
// inside the lab (topology.UnboundScope).
func sendUDP(sut topology.SUT, src, dst netip.Addr, ifname string, n int, tag string) (sent, error) {
	out := sent{n: n}
	err := sut.Do(func() error {
		d := net.Dialer{}
		if src.IsValid() {
			d.LocalAddr = &net.UDPAddr{IP: src.AsSlice()}
		} else {
			d.Control = topology.UnboundScope(sut, ifname)
		}
		// Dial is socket, bind and connect: the error names the one refused.
		nc, err := d.Dial("udp6", netip.AddrPortFrom(dst, 9).String())
		if err != nil {
			r, ok := refusalOf("connect", err)
			if !ok {
				return fmt.Errorf("UDP socket from %v to %s: %w", src, dst, err)
			}
			out.refusals = append(out.refusals, r)
			return nil
		}
		c := nc.(*net.UDPConn)
		defer c.Close()
		out.src = c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
		for i := 1; i <= n; i++ {
			if _, err := fmt.Fprintf(c, "netconform %s #%d", tag, i); err != nil {
				r, ok := refusalOf("write", err)
				if !ok {
					return fmt.Errorf("datagram %d from %s to %s: %w", i, out.src, dst, err)
				}
				r.Datagram = i
				out.refusals = append(out.refusals, r)
			}
		}
		return nil
	})
	return out, err
}

// silentLinks lists the links on which the capture saw no frame from the
// SUT at all: there a missing datagram cannot be told from a broken capture.
func silentLinks(ports []*topology.Port) []string {
	var out []string
	for _, p := range ports {
		if !slices.ContainsFunc(p.Frames(), func(f topology.Frame) bool { return f.Dir == topology.FromSUT }) {
			out = append(out, p.Link())
		}
	}
	return out
}

// unheardLinks is called when datagrams the stack accepted are missing: it
// returns the links on which the capture has still not heard the SUT. On
// each link not heard yet (the SUT's Router Solicitation and MLD report may
// predate the capture), a router of the link first asks for the SUT's
// link-local address with a Neighbor Solicitation, which the SUT must
// answer; the wait ends at the answers or at timeout.
func unheardLinks(ctx context.Context, lab *harness.Lab, ports []*topology.Port, timeout time.Duration) ([]string, error) {
	silent := silentLinks(ports)
	if len(silent) == 0 {
		return nil, nil
	}
	for _, name := range silent {
		link, ok := lab.Lab().Link(name)
		if !ok || len(link.Routers) == 0 {
			continue
		}
		addrs, err := lab.SUT().Addresses(name)
		if err != nil {
			return nil, err
		}
		for _, a := range addrs {
			if a.Prefix.Addr().IsLinkLocalUnicast() {
				r := link.Routers[0]
				frame, err := NeighborSolicitation(r.MAC, r.LinkLocal, a.Prefix.Addr())
				if err == nil {
					err = lab.Port(name).Send(frame)
				}
				if err != nil {
					return nil, fmt.Errorf("ask the SUT to speak on %s: %w", name, err)
				}
				break
			}
		}
	}
	awaitWire(ctx, ports, timeout, func() bool { return len(silentLinks(ports)) == 0 })
	return silentLinks(ports), nil
}

func fromSource(ports []*topology.Port, dst, src netip.Addr, tag string) []Datagram {
	var out []Datagram
	for _, p := range ports {
		for _, d := range UDPFromSUT(p.Frames(), dst) {
			if d.Src == src && strings.HasPrefix(string(d.Payload), "netconform "+tag+" #") {
				out = append(out, d)
			}
		}
	}
	return out
}

func portsOf(inst topology.Instance) []*topology.Port {
	var ps []*topology.Port
	for _, l := range inst.Lab().Links {
		ps = append(ps, inst.Port(l.Name))
	}
	return ps
}
