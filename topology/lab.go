// Package topology declares labs as data and realises them through a per-OS
// driver. A lab is the system under test (SUT) with one interface per link, and
// on every link the emulated peers (routers, hosts) whose frames are produced in
// user space over a raw link endpoint. The declarations carry no OS detail: the
// same lab is built from network namespaces and veth on Linux and from feth pairs
// and /dev/bpf on macOS.
package topology

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Lab is a declared topology.
type Lab struct {
	// Name is short and identifies the lab in object names and capture files.
	Name  string
	Links []Link
	// Routes are installed on the SUT once the links are up. Source-specific
	// routes (Route.Src set) are how a Linux SUT is made to follow RFC 8028.
	Routes []Route
}

// Link is one layer-2 segment between the SUT and its emulated peers.
type Link struct {
	Name string
	// SUTIf is the name of the SUT's interface on this link (Linux); the macOS
	// driver reports the feth name it was given instead.
	SUTIf string
	// SUTMAC is the SUT interface's MAC address. Required: it makes the SUT's
	// SLAAC addresses predictable.
	SUTMAC net.HardwareAddr
	// SUTIPv4 is an optional IPv4 address with its prefix, for dual-stack labs.
	SUTIPv4 netip.Prefix
	Routers []Router
	Hosts   []Host
}

// Preference is the RFC 4191 default router preference.
type Preference int8

const (
	PrefMedium Preference = 0
	PrefHigh   Preference = 1
	PrefLow    Preference = -1
)

func (p Preference) String() string {
	switch p {
	case PrefHigh:
		return "high"
	case PrefLow:
		return "low"
	}
	return "medium"
}

// Router is an emulated IPv6 router on a link.
type Router struct {
	Name      string
	MAC       net.HardwareAddr
	LinkLocal netip.Addr
	// Prefixes are advertised in Prefix Information Options, on-link and
	// autonomous, so the SUT configures an address in each.
	Prefixes   []netip.Prefix
	Lifetime   time.Duration
	Preference Preference
}

// Host is an emulated peer that answers ARP and Neighbor Solicitation for its
// addresses and records what it receives.
type Host struct {
	Name string
	MAC  net.HardwareAddr
	IPv4 netip.Addr
	IPv6 []netip.Addr
}

// Route is a route the SUT is given at build time.
type Route struct {
	Dst netip.Prefix
	// Src, when valid, makes the route source-specific ("from Src").
	Src     netip.Prefix
	Gateway netip.Addr
	// Link names the lab link whose SUT interface the route leaves through.
	Link string
}

// Link returns the link named name.
func (l *Lab) Link(name string) (*Link, bool) {
	for i := range l.Links {
		if l.Links[i].Name == name {
			return &l.Links[i], true
		}
	}
	return nil, false
}

// RouterByMAC finds the router using mac on any link, with its link.
func (l *Lab) RouterByMAC(mac net.HardwareAddr) (*Router, *Link, bool) {
	for i := range l.Links {
		for j := range l.Links[i].Routers {
			if l.Links[i].Routers[j].MAC.String() == mac.String() {
				return &l.Links[i].Routers[j], &l.Links[i], true
			}
		}
	}
	return nil, nil, false
}

// Routers lists every router of the lab with the link it sits on.
func (l *Lab) Routers() []PlacedRouter {
	var out []PlacedRouter
	for _, link := range l.Links {
		for _, r := range link.Routers {
			out = append(out, PlacedRouter{Router: r, Link: link.Name, SUTIf: link.SUTIf})
		}
	}
	return out
}

// PlacedRouter is a router with the link it is on.
type PlacedRouter struct {
	Router
	Link  string
	SUTIf string
}

// Validate reports the first thing that makes the lab unbuildable, so a broken
// declaration fails before any kernel object exists.
func (l *Lab) Validate() error {
	if l.Name == "" {
		return errors.New("lab has no name")
	}
	if len(l.Links) == 0 {
		return fmt.Errorf("lab %s has no links", l.Name)
	}
	v := labValidator{lab: l.Name, seenLink: map[string]bool{}, seenIf: map[string]bool{}, seenMAC: map[string]string{}}
	for _, link := range l.Links {
		if err := v.link(link); err != nil {
			return err
		}
	}
	return l.validateRoutes()
}

// labValidator carries what Validate has seen across the lab's links: link
// names, interface names and MACs must be unique over the whole lab, not
// only within a link, since every one becomes a kernel object or a frame
// source beside the others.
type labValidator struct {
	lab      string
	seenLink map[string]bool
	seenIf   map[string]bool
	// seenMAC says who already has a MAC, for the error naming both.
	seenMAC map[string]string
}

// useMAC claims mac for who, refusing a missing or shared one.
func (v *labValidator) useMAC(mac net.HardwareAddr, who string) error {
	if len(mac) != 6 {
		return fmt.Errorf("lab %s: %s has no valid 6-byte MAC", v.lab, who)
	}
	if prev, ok := v.seenMAC[mac.String()]; ok {
		return fmt.Errorf("lab %s: %s and %s share MAC %s", v.lab, prev, who, mac)
	}
	v.seenMAC[mac.String()] = who
	return nil
}

// link validates one link: its own names, MAC and address first, then its
// routers and hosts in declaration order, so the first error reported is
// the first one in the declaration.
func (v *labValidator) link(link Link) error {
	if link.Name == "" || link.SUTIf == "" {
		return fmt.Errorf("lab %s: every link needs a name and a SUT interface name", v.lab)
	}
	if len(link.SUTIf) > 15 {
		return fmt.Errorf("lab %s: interface name %q is longer than 15 characters", v.lab, link.SUTIf)
	}
	if v.seenLink[link.Name] || v.seenIf[link.SUTIf] {
		return fmt.Errorf("lab %s: link %s or interface %s declared twice", v.lab, link.Name, link.SUTIf)
	}
	v.seenLink[link.Name], v.seenIf[link.SUTIf] = true, true
	if err := v.useMAC(link.SUTMAC, "SUT interface "+link.SUTIf); err != nil {
		return err
	}
	if link.SUTIPv4.IsValid() && !Documentation(link.SUTIPv4.Addr()) {
		return fmt.Errorf("lab %s: SUT address %s is outside the documentation ranges", v.lab, link.SUTIPv4)
	}
	for _, r := range link.Routers {
		if err := v.router(r); err != nil {
			return err
		}
	}
	for _, h := range link.Hosts {
		if err := v.host(h); err != nil {
			return err
		}
	}
	return nil
}

// router validates an emulated router: a MAC of its own, a link-local
// source for its RAs, and only /64 documentation prefixes, so the SUT's
// SLAAC addresses stay inside 2001:db8::/32.
func (v *labValidator) router(r Router) error {
	if err := v.useMAC(r.MAC, "router "+r.Name); err != nil {
		return err
	}
	if !r.LinkLocal.Is6() || !r.LinkLocal.IsLinkLocalUnicast() {
		return fmt.Errorf("lab %s: router %s needs an fe80::/10 link-local address, has %s", v.lab, r.Name, r.LinkLocal)
	}
	for _, p := range r.Prefixes {
		if !Documentation(p.Addr()) || p.Bits() != 64 {
			return fmt.Errorf("lab %s: router %s advertises %s: prefixes must be /64 inside 2001:db8::/32", v.lab, r.Name, p)
		}
	}
	return nil
}

// host validates an emulated host: a MAC of its own and addresses only from
// the documentation or link-local ranges, never one the host's network
// could route.
func (v *labValidator) host(h Host) error {
	if err := v.useMAC(h.MAC, "host "+h.Name); err != nil {
		return err
	}
	addrs := append([]netip.Addr{}, h.IPv6...)
	if h.IPv4.IsValid() {
		addrs = append(addrs, h.IPv4)
	}
	for _, a := range addrs {
		if !Documentation(a) && !a.IsLinkLocalUnicast() {
			return fmt.Errorf("lab %s: host %s address %s is outside the documentation and link-local ranges", v.lab, h.Name, a)
		}
	}
	return nil
}

// validateRoutes checks the SUT's build-time routes once every link is
// known valid: each must leave through a declared link and have both a
// destination and a gateway.
func (l *Lab) validateRoutes() error {
	for _, rt := range l.Routes {
		if _, ok := l.Link(rt.Link); !ok {
			return fmt.Errorf("lab %s: route to %s names unknown link %q", l.Name, rt.Dst, rt.Link)
		}
		if !rt.Dst.IsValid() || !rt.Gateway.IsValid() {
			return fmt.Errorf("lab %s: a route needs a destination and a gateway", l.Name)
		}
	}
	return nil
}

var documentation = []netip.Prefix{
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
}

// Documentation reports whether a lies in a documentation range (RFC 3849,
// RFC 5737): the only global addresses a lab may use.
func Documentation(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range documentation {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
