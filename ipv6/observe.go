package ipv6

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/netconform/netconform/topology"
)

// Hop is where some of a source's datagrams went on the wire.
type Hop struct {
	Router string `json:"router"` // router name, or "" for a MAC no router uses
	Link   string `json:"link"`
	MAC    string `json:"mac"`
	Frames int    `json:"frames"`
}

func (h Hop) String() string {
	who := "router " + h.Router
	if h.Router == "" {
		who = "unknown MAC " + h.MAC
	}
	return fmt.Sprintf("%s on %s (%d frames)", who, h.Link, h.Frames)
}

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

// awaitSLAAC waits until the SUT holds a usable address in prefix on link.
func awaitSLAAC(ctx context.Context, sut topology.SUT, link string, prefix netip.Prefix, timeout time.Duration) (netip.Addr, error) {
	deadline := time.Now().Add(timeout)
	for {
		addrs, err := sut.Addresses(link)
		if err != nil {
			return netip.Addr{}, err
		}
		for _, a := range addrs {
			if prefix.Contains(a.Prefix.Addr()) && !a.Tentative {
				return a.Prefix.Addr(), nil
			}
		}
		if time.Now().After(deadline) {
			return netip.Addr{}, fmt.Errorf("the SUT configured no address in %s on %s within %s of the Router Advertisement", prefix, sut.Interface(link), timeout)
		}
		select {
		case <-ctx.Done():
			return netip.Addr{}, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// awaitWire waits until done() holds, waking on every frame any port records.
func awaitWire(ctx context.Context, ports []*topology.Port, timeout time.Duration, done func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		chans := make([]<-chan struct{}, len(ports))
		for i, p := range ports {
			chans[i] = p.Changed()
		}
		if done() {
			return true
		}
		woke := make(chan struct{}, len(chans))
		stop := make(chan struct{})
		for _, c := range chans {
			go func() {
				select {
				case <-c:
					woke <- struct{}{}
				case <-stop:
				}
			}()
		}
		select {
		case <-woke:
			close(stop)
		case <-deadline.C:
			close(stop)
			return done()
		case <-ctx.Done():
			close(stop)
			return done()
		}
	}
}

// sendUDP sends n datagrams from src (unspecified: let the kernel choose) to
// dst:9 inside the SUT and returns the source the kernel used and the errors
// the socket API reported. An unbound socket is scoped to ifname where the
// OS needs it to stay inside the lab (see scopeToInterface).
func sendUDP(sut topology.SUT, src, dst netip.Addr, ifname string, n int, tag string) (netip.Addr, []string, error) {
	var used netip.Addr
	var sendErrs []string
	err := sut.Do(func() error {
		d := net.Dialer{}
		if src.IsValid() {
			d.LocalAddr = &net.UDPAddr{IP: src.AsSlice()}
		} else {
			d.Control = scopeToInterface(ifname)
		}
		nc, err := d.Dial("udp6", netip.AddrPortFrom(dst, 9).String())
		if err != nil {
			return fmt.Errorf("UDP socket from %v to %s: %w", src, dst, err)
		}
		c := nc.(*net.UDPConn)
		defer c.Close()
		used = c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
		for i := 1; i <= n; i++ {
			if _, err := fmt.Fprintf(c, "netconform %s #%d", tag, i); err != nil {
				sendErrs = append(sendErrs, fmt.Sprintf("datagram %d: %v", i, err))
			}
		}
		return nil
	})
	return used, sendErrs, err
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
