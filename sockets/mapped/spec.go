package mapped

import (
	"fmt"
	"github.com/netconform/netconform/observation"
	"net/netip"
)

// BindKind is the address a case's sockets are bound to before their first
// datagram. The kinds are the ones xnu treats differently on the way to a
// content filter (docs/macos.md, "Where the EINVAL comes from"): a socket
// bound to an IPv4-mapped address loses INP_IPV6 (udp6_bind), and a flow
// whose local address is still unspecified has it filled in from the socket
// on a later send (socket_flows.c, soflow_entry_update_local).
type BindKind string

const (
	// BindMapped: the SUT's own IPv4 address in mapped form, ::ffff:192.0.2.1
	// (the seed's case; AF_INET sockets bind 192.0.2.1).
	BindMapped BindKind = "mapped"
	// BindMappedAny: the mapped IPv4 wildcard, ::ffff:0.0.0.0.
	BindMappedAny BindKind = "mapped-any"
	// BindAny: the IPv6 wildcard, ::.
	BindAny BindKind = "any"
	// BindNone: not bound; the stack binds on the first send.
	BindNone BindKind = "unbound"
)

// Address is what bind() is given (the port apart); invalid for BindNone.
// own is the SUT's IPv4 address.
func (b BindKind) Address(own netip.Addr) netip.Addr {
	switch b {
	case BindMapped:
		return netip.AddrFrom16(own.As16()) // ::ffff:a.b.c.d
	case BindMappedAny:
		return netip.AddrFrom16(netip.IPv4Unspecified().As16()) // ::ffff:0.0.0.0
	case BindAny:
		return netip.IPv6Unspecified()
	}
	return netip.Addr{}
}

// PortKind is the local port bind() is given.
type PortKind string

const (
	// PortZero: port 0, the stack picks one at bind().
	PortZero PortKind = "0"
	// PortFixed: a port the caller names. The harness takes one the stack
	// reports free (a scratch socket bound to port 0 on the same address,
	// then closed), so that the check never collides with another program.
	PortFixed PortKind = "fixed"
)

// Call is how a case hands its datagrams to the stack.
type Call string

const (
	// CallSendto: sendto(2) with the destination.
	CallSendto Call = "sendto"
	// CallConnectSend: connect(2) to the destination, then send(2).
	CallConnectSend Call = "connect+send"
	// CallSendmsg: sendmsg(2) with the destination and no control data.
	CallSendmsg Call = "sendmsg"
	// CallSendmsgPktinfo6: sendmsg(2) with an IPV6_PKTINFO control message
	// naming the mapped source address (interface 0).
	CallSendmsgPktinfo6 Call = "sendmsg+IPV6_PKTINFO"
	// CallSendmsgPktinfo4: sendmsg(2) with an IP_PKTINFO control message
	// naming the IPv4 source (ipi_spec_dst; interface 0).
	CallSendmsgPktinfo4 Call = "sendmsg+IP_PKTINFO"
	// CallConnectSendmsgX: connect(2), then xnu's private sendmsg_x(2) with
	// one message and no address: the path (sosend_list) whose flow is
	// created without a remote address. macOS only.
	CallConnectSendmsgX Call = "connect+sendmsg_x"
)

// Calls lists the calls in the matrix's column order.
var Calls = []Call{CallSendto, CallConnectSend, CallSendmsg, CallSendmsgPktinfo6, CallSendmsgPktinfo4, CallConnectSendmsgX}

// Syscall is the system call that sends each datagram (what a failure's
// errno is attributed to).
func (c Call) Syscall() string {
	switch c {
	case CallConnectSend:
		return "send"
	case CallSendmsg, CallSendmsgPktinfo6, CallSendmsgPktinfo4:
		return "sendmsg"
	case CallConnectSendmsgX:
		return "sendmsg_x"
	}
	return "sendto"
}

// Connects reports whether the socket is connected to the destination
// before the datagrams (which then carry no address).
func (c Call) Connects() bool { return c == CallConnectSend || c == CallConnectSendmsgX }

// Destination is where a case's datagrams go (observation.Destination).
type Destination = observation.Destination

const (
	// Self: the SUT's own IPv4 address (mapped) and the socket's own port;
	// the socket itself receives.
	Self = observation.DestinationSelf
	// Peer: the emulated IPv4 host on the link; arrival is seen on the wire.
	Peer = observation.DestinationPeer
	// Loopback: ::ffff:127.0.0.1, a receiving socket bound to 127.0.0.1 in
	// the SUT; skipped where the SUT is the host itself (MatrixCase.unavailable).
	Loopback = observation.DestinationLoopback
)

// Destinations lists the destinations in the matrix's order.
var Destinations = []Destination{Self, Peer, Loopback}

// spec is one way of sending the first datagrams, whether a check of its
// own (Case) or a cell of the matrix: everything caseRun needs.
type spec struct {
	// Name identifies the case in payloads, observations and reasons.
	Name string
	// Family is "inet6" (AF_INET6) or "inet" (AF_INET, the controls).
	Family string
	Bind   BindKind
	Port   PortKind
	// V6Only is the IPV6_V6ONLY value set before bind (inet6 only): off
	// for every mapped case, on only where the matrix asks the stack to
	// refuse mapped destinations.
	V6Only bool
	Call   Call
	To     Destination
}

// valid says why a spec cannot exist, if it cannot: an unbound socket has
// no port before its first datagram, so it cannot be sent its own datagram.
func (s spec) valid() error {
	if s.Bind == BindNone && s.To == Self {
		return fmt.Errorf("%s: an unbound socket has no port to send its own datagram to", s.Name)
	}
	if s.Family == "inet" && s.Bind != BindMapped && s.Bind != BindNone {
		return fmt.Errorf("%s: AF_INET sockets bind their IPv4 address or nothing", s.Name)
	}
	return nil
}

// expectsRefusal: with IPV6_V6ONLY on, an AF_INET6 socket is "restricted to
// IPv6 communications" (RFC 3493 §5.3): every mapped destination must be
// refused with an errno, never sent, never silently dropped.
func (s spec) expectsRefusal() bool { return s.Family == "inet6" && s.V6Only }
