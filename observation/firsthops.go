package observation

import (
	"fmt"
	"net/netip"
)

// SourceHops is what one source address did in one Router Advertisement
// order: the observations of the first-hop checks (ViewFirstHops; a list of
// them). ipv6.SourceObservation is this type.
type SourceHops struct {
	RAOrder   []string     `json:"ra_order"`
	Source    netip.Addr   `json:"source"`
	Interface string       `json:"interface"`
	Prefix    netip.Prefix `json:"prefix"`
	// Expected are the routers that advertised the source's prefix.
	Expected []string `json:"expected_routers"`
	Sent     int      `json:"sent"`
	// SendErrors are the refused calls as text ("connect: EACCES
	// (permission denied)"), Refusals the same as data.
	SendErrors []string  `json:"send_errors,omitempty"`
	Refusals   []Refusal `json:"refusals,omitempty"`
	// Wire is where the datagrams went, by first-hop MAC: the verdict's
	// basis. The judge marks each hop it finds wrong (Hop.Wrong, Hop.Why).
	Wire []Hop `json:"wire"`
	// SilentLinks are the lab's links on which the capture saw no frame from
	// the SUT at all (normally none): a datagram the stack accepted that is
	// missing there may be the capture's fault, so it cannot be judged.
	SilentLinks []string `json:"silent_links,omitempty"`
	// Table is what the SUT's routing table says for this source and the
	// destination (route get), and TableRouter the router it names.
	Table       Route  `json:"table"`
	TableRouter string `json:"table_router"`
	TableAgrees bool   `json:"table_agrees"`
}

// DestinationHops is what an unbound socket did towards one destination in
// one Router Advertisement order: the observations of RFC 6724 rule 5.5
// (ViewRule55; a list of them). ipv6.Rule55Observation is this type.
type DestinationHops struct {
	RAOrder     []string   `json:"ra_order"`
	Destination netip.Addr `json:"destination"`
	// Near is the prefix the destination shares the longest prefix with: the
	// one RFC 6724 rule 8 alone would pick a source from.
	Near netip.Prefix `json:"near"`
	// Source is what the kernel chose; SourceRouters advertised its prefix.
	Source        netip.Addr `json:"source"`
	SourceRouters []string   `json:"source_routers"`
	Sent          int        `json:"sent"`
	// SendErrors are the refused calls as text, Refusals the same as data
	// (as for SourceHops); Source is empty when connect was refused.
	SendErrors []string  `json:"send_errors,omitempty"`
	Refusals   []Refusal `json:"refusals,omitempty"`
	// Wire is where the datagrams went, each hop marked by the judge.
	Wire []Hop `json:"wire"`
	// SilentLinks: links where the capture saw nothing from the SUT.
	SilentLinks []string `json:"silent_links,omitempty"`
	// Table is `route get dst` with no source, what a person would ask, in
	// the socket's scope: on macOS, where the socket is bound to the lab's
	// interface, `route get -ifscope <feth> dst` (ipv6 tableLookup).
	// TableFromSource is the lookup for the source the kernel then chose.
	Table           Route  `json:"table"`
	TableRouter     string `json:"table_router"`
	TableAgrees     bool   `json:"table_agrees"`
	TableFromSource Route  `json:"table_from_source"`
}

// Hop is where some of a source's datagrams went on the wire.
type Hop struct {
	Router string `json:"router"` // router name, or "" for a MAC no router uses
	Link   string `json:"link"`
	MAC    string `json:"mac"`
	Frames int    `json:"frames"`
	// Wrong is the check's verdict on this hop: these datagrams went to a
	// router that may not receive them. Why says why, in words. Both are set
	// by the judge (ipv6/judge.go), once; a report shows them and never
	// judges again.
	Wrong bool   `json:"wrong,omitempty"`
	Why   string `json:"why,omitempty"`
}

func (h Hop) String() string {
	who := "router " + h.Router
	if h.Router == "" {
		who = "unknown MAC " + h.MAC
	}
	return fmt.Sprintf("%s on %s (%d frames)", who, h.Link, h.Frames)
}

// Refusal is a socket call the SUT refused, with its errno: the stack's own
// answer to "send from this address", so it is judged (a fail), never taken
// for harness trouble.
type Refusal struct {
	// Call is the refused system call: socket, setsockopt, bind, connect
	// (set-up: no datagram was sent) or write.
	Call string `json:"call"`
	// Datagram is the 1-based number of the datagram a write was refused
	// for; 0 for a set-up call, which refuses every datagram of the socket.
	Datagram int `json:"datagram,omitempty"`
	// Errno is the symbolic name (EACCES), Message the C library's text.
	Errno   string `json:"errno"`
	Message string `json:"message"`
}

func (r Refusal) String() string {
	s := fmt.Sprintf("%s: %s (%s)", r.Call, r.Errno, r.Message)
	if r.Datagram > 0 {
		s = fmt.Sprintf("datagram %d: %s", r.Datagram, s)
	}
	return s
}

// Route is a route as the SUT's table reports it (topology.RouteEntry is
// this type): the routing table's opinion, recorded beside the wire's.
type Route struct {
	Dst       netip.Prefix `json:"dst"`
	Src       netip.Prefix `json:"src,omitzero"`
	Gateway   netip.Addr   `json:"gateway,omitzero"`
	Interface string       `json:"interface,omitempty"`
	PrefSrc   netip.Addr   `json:"prefsrc,omitzero"`
	Proto     string       `json:"proto,omitempty"`
	Metric    int          `json:"metric,omitempty"`
	Pref      string       `json:"pref,omitempty"`
	// Error is set when the lookup found no usable route (e.g. unreachable).
	Error string `json:"error,omitempty"`
}

// String renders the route the way `ip -6 route` would, for evidence.
func (r Route) String() string {
	s := r.Dst.String()
	if r.Dst.Bits() == 0 {
		s = "default"
	}
	if r.Src.IsValid() {
		s += " from " + r.Src.String()
	}
	if r.Gateway.IsValid() {
		s += " via " + r.Gateway.String()
	}
	if r.Interface != "" {
		s += " dev " + r.Interface
	}
	if r.PrefSrc.IsValid() {
		s += " src " + r.PrefSrc.String()
	}
	if r.Proto != "" {
		s += " proto " + r.Proto
	}
	if r.Metric != 0 {
		s += fmt.Sprintf(" metric %d", r.Metric)
	}
	if r.Pref != "" {
		s += " pref " + r.Pref
	}
	if r.Error != "" {
		s += " (" + r.Error + ")"
	}
	return s
}
