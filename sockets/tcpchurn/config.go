// Package tcpchurn measures TCP connection churn the way the macOS 26 leak
// shows up in public reports: connections to a listener closed at both
// ends, connections closed while a non-blocking connect is still in
// progress, and abortive closes (SO_LINGER on, 0 s), each N times, with the
// kernel's count of TCP control blocks sampled along the loop and after a
// drain. It also measures whether an abortive close's RST reaches the peer.
//
// The loops run in netconform-probe (cmd/netconform-probe, subcommand tcp)
// inside the SUT; this package holds what the probe and the checks share:
// the configuration, the measurement, how it is judged, and how the probe
// is run.
package tcpchurn

import (
	"fmt"
	"net/netip"

	"github.com/netconform/netconform/check"
)

// Patterns.
const (
	// Connect: connect to a listener in the SUT, accept, close the
	// connecting end, then the accepted end.
	Connect = "connect"
	// CloseConnecting: a non-blocking connect to a peer that drops SYNs,
	// closed while the connect is still in progress (OpenJDK's
	// CloseDuringConnect).
	CloseConnecting = "close-connecting"
	// Abort: connect to a listener in the SUT, accept, set SO_LINGER
	// {on, 0 s} on the connecting end and close it (an RST), then close the
	// accepted end.
	Abort = "abort"
	// RST: N abortive closes, after which each peer's next read must return
	// ECONNRESET (loopback) or the peer must have seen the RST on the wire
	// (lab link).
	RST = "rst"
)

// Patterns lists the churn patterns, in suite order.
var Patterns = []string{Connect, CloseConnecting, Abort}

// Families.
const (
	Inet6 = "inet6"
	Inet  = "inet"
	// Mapped: an AF_INET6 socket with IPV6_V6ONLY off, to an IPv4-mapped
	// address (::ffff:a.b.c.d).
	Mapped = "mapped"
)

// Families lists the families, in suite order.
var Families = []string{Inet6, Inet, Mapped}

// Config is what one probe run does. The probe echoes it in its
// Measurement.
type Config struct {
	Pattern string `json:"pattern"`
	Family  string `json:"family"`
	// Count is the number of connections.
	Count int `json:"count"`
	// Peer is the address and port connections go to, as the connect()
	// call gets it ("[fe80::2%sut0]:4701", "192.0.2.2:4701",
	// "[::ffff:192.0.2.2]:4701"). Empty: a listener the probe opens on
	// loopback (::1, 127.0.0.1, ::ffff:127.0.0.1), the peer inside the SUT.
	Peer string `json:"peer,omitempty"`
	// ListenPort is the loopback listener's port; 0 lets the kernel choose.
	ListenPort int `json:"listen_port,omitempty"`
	// SampleEvery is the number of connections between two samples of the
	// kernel's accounting; 0 means Count/DefaultSamples.
	SampleEvery int `json:"sample_every"`
	// Drain is the longest wait after the last close for the control-block
	// count to come back to where it started (it ends as soon as it does).
	Drain check.Duration `json:"drain"`
	// Slack is how many control blocks above the start still end the drain.
	Slack int `json:"slack,omitempty"`
	// Wait (RST only) is how long the peers may take to see the RSTs,
	// once for all connections.
	Wait check.Duration `json:"wait,omitempty"`
}

// DefaultSamples is how many samples a loop takes when SampleEvery is 0.
const DefaultSamples = 50

// EffectiveSampleEvery is the sampling period the probe uses.
func (c Config) EffectiveSampleEvery() int {
	if c.SampleEvery > 0 {
		return c.SampleEvery
	}
	return max(1, c.Count/DefaultSamples)
}

// Validate reports a usage error in c (the probe exits 2 on one).
func (c Config) Validate() error {
	switch c.Pattern {
	case Connect, CloseConnecting, Abort, RST:
	default:
		return fmt.Errorf("pattern %q: want %s, %s, %s or %s", c.Pattern, Connect, CloseConnecting, Abort, RST)
	}
	switch c.Family {
	case Inet6, Inet, Mapped:
	default:
		return fmt.Errorf("family %q: want inet6, inet or mapped", c.Family)
	}
	if c.Count <= 0 {
		return fmt.Errorf("count %d: want at least 1", c.Count)
	}
	if c.SampleEvery < 0 || c.Drain < 0 || c.Wait < 0 || c.Slack < 0 {
		return fmt.Errorf("sample-every, drain, wait and slack must not be negative")
	}
	if c.ListenPort < 0 || c.ListenPort > 65535 {
		return fmt.Errorf("listen port %d: want 0 to 65535", c.ListenPort)
	}
	switch {
	case c.Pattern == CloseConnecting && c.Peer == "":
		return fmt.Errorf("pattern %s needs a peer that drops SYNs", c.Pattern)
	case (c.Pattern == Connect || c.Pattern == Abort) && c.Peer != "":
		return fmt.Errorf("pattern %s connects to its own listener in the SUT: no peer", c.Pattern)
	case c.Pattern == RST && c.Wait <= 0:
		return fmt.Errorf("pattern %s needs a positive wait", c.Pattern)
	}
	if c.Peer != "" {
		if _, err := c.PeerAddr(); err != nil {
			return err
		}
	}
	return nil
}

// PeerAddr parses Peer and checks that it fits the family.
func (c Config) PeerAddr() (netip.AddrPort, error) {
	ap, err := netip.ParseAddrPort(c.Peer)
	if err != nil {
		return ap, fmt.Errorf("peer %q: %w", c.Peer, err)
	}
	a := ap.Addr()
	ok := false
	switch c.Family {
	case Inet:
		ok = a.Is4()
	case Inet6:
		ok = a.Is6() && !a.Is4In6()
	case Mapped:
		ok = a.Is4In6()
	}
	if !ok || ap.Port() == 0 {
		return ap, fmt.Errorf("peer %s does not fit family %s (inet: a.b.c.d:port, inet6: [v6]:port, mapped: [::ffff:a.b.c.d]:port)", c.Peer, c.Family)
	}
	return ap, nil
}

// CheckID names the churn check of a pattern and family:
// sockets.churn.connect6, sockets.churn.close-connecting4,
// sockets.churn.abort-mapped...
func CheckID(pattern, family string) string {
	suffix := map[string]string{Inet6: "6", Inet: "4", Mapped: "-mapped"}[family]
	return "sockets.churn." + pattern + suffix
}

// RSTCheckID is the RST delivery check.
const RSTCheckID = "sockets.tcp.abortive-close-rst"

// FamilyName is how a reason names a family.
func FamilyName(family string) string {
	switch family {
	case Inet:
		return "IPv4"
	case Mapped:
		return "IPv4-mapped IPv6"
	}
	return "IPv6"
}

// SocketName is the C spelling of the connecting socket.
func SocketName(family string) string {
	switch family {
	case Inet:
		return "AF_INET SOCK_STREAM"
	case Mapped:
		return "AF_INET6 SOCK_STREAM (IPV6_V6ONLY off)"
	}
	return "AF_INET6 SOCK_STREAM"
}

// Title is the check's title.
func Title(pattern, family string) string {
	switch pattern {
	case Connect:
		return fmt.Sprintf("%s connect to a listener in the SUT, close both ends: TCP control blocks are freed", FamilyName(family))
	case CloseConnecting:
		return fmt.Sprintf("%s close() during a non-blocking connect that has not completed: TCP control blocks are freed", FamilyName(family))
	case Abort:
		return fmt.Sprintf("%s abortive close (SO_LINGER on, 0 s) after connect: TCP control blocks are freed", FamilyName(family))
	}
	return "abortive close (SO_LINGER on, 0 s) of a flow-controlled connection: the peer sees the RST (its read returns ECONNRESET)"
}

// Spec is what the TCP churn checks hold the stack to.
const Spec = "close(2) releases the connection: once every socket is closed and TIME_WAIT set aside, " +
	"the kernel's count of TCP control blocks comes back to where it started " +
	"(RFC 9293 §3.3.2: CLOSED is no connection state at all; reports: macOS 26 leaks TCP PCBs until socket() fails with ENOBUFS, " +
	"JDK-8375658, oven-sh/bun#43462)"

// RSTSpec is what sockets.tcp.abortive-close-rst holds the stack to.
const RSTSpec = "SO_LINGER on with a zero timeout makes close(2) abort the connection with an RST, " +
	"unsent data or not (RFC 9293 §3.10.5 ABORT call; POSIX setsockopt SO_LINGER), so the peer's read fails with ECONNRESET " +
	"(report: macOS 26.4 lost the RST of a flow-controlled loopback connection for ~28% of connections, FB23590387, python/cpython#153117)"

// What returns the words for a pattern, for reasons.
func What(pattern, family string, peer bool) string {
	switch pattern {
	case Connect:
		return fmt.Sprintf("connections to a listener in the SUT over %s loopback, both ends closed", FamilyName(family))
	case CloseConnecting:
		return fmt.Sprintf("non-blocking %s connects to a lab peer that drops SYNs, each closed before it completed", FamilyName(family))
	case Abort:
		return fmt.Sprintf("%s loopback connections closed abortively (SO_LINGER 0) at the connecting end, then at the accepting end", FamilyName(family))
	}
	if peer {
		return fmt.Sprintf("flow-controlled abortive closes toward the lab peer over %s", FamilyName(family))
	}
	return fmt.Sprintf("flow-controlled abortive closes over %s loopback", FamilyName(family))
}
