package churncheck

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/peertcp"
	"github.com/netconform/netconform/sockets/tcpchurn"
	"github.com/netconform/netconform/topology"
)

// The TCP lab: the SUT has 192.0.2.1/24 beside its IPv6 link-local address
// on its one link, and an emulated host (sockets/peertcp) sits on the same
// link at 192.0.2.2 and fe80::2. Connections to the host's drop port never
// complete (it drops every SYN); those to its accept port complete and it
// records how the SUT ends them. Loopback connections stay inside the SUT.
// Nothing leaves the lab: documentation and link-local addresses only.
var (
	tcpSUTIPv4  = netip.MustParsePrefix("192.0.2.1/24")
	tcpPeerIPv4 = netip.MustParseAddr("192.0.2.2")
	tcpPeerIPv6 = netip.MustParseAddr("fe80::2")
)

// The lab's TCP ports: the SUT's loopback listener, the peer's accept and
// drop ports. The self-validation filters match them.
const (
	LoopbackPort   = 4700
	PeerAcceptPort = 4701
	PeerDropPort   = 4702
)

const (
	tcpLabName = "tcp"
	tcpLink    = "l0"
)

func tcpLab() topology.Lab {
	return topology.Lab{Name: tcpLabName, Links: []topology.Link{{
		Name: tcpLink, SUTIf: "sut0", SUTMAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}, SUTIPv4: tcpSUTIPv4,
		Hosts: []topology.Host{tcpPeer()},
	}}}
}

func tcpPeer() topology.Host {
	return topology.Host{Name: "peer", MAC: net.HardwareAddr{0x02, 0, 0, 0, 0x05, 0x02}, IPv4: tcpPeerIPv4, IPv6: []netip.Addr{tcpPeerIPv6}}
}

func tcpPeerPorts() peertcp.Ports { return peertcp.Ports{Drop: PeerDropPort, Accept: PeerAcceptPort} }

// peerAddr is the address the SUT connects to for a family: the peer's
// link-local address scoped to the SUT's interface, its IPv4 address, or
// that address mapped (::ffff:192.0.2.2).
func peerAddr(family string, port uint16, sutIf string) netip.AddrPort {
	switch family {
	case tcpchurn.Inet:
		return netip.AddrPortFrom(tcpPeerIPv4, port)
	case tcpchurn.Mapped:
		return netip.AddrPortFrom(netip.AddrFrom16(tcpPeerIPv4.As16()), port)
	}
	return netip.AddrPortFrom(tcpPeerIPv6.WithZone(sutIf), port)
}

// wireAddr is the peer's address as it appears in a frame's destination.
func wireAddr(family string) netip.Addr {
	if family == tcpchurn.Inet6 {
		return tcpPeerIPv6
	}
	return tcpPeerIPv4
}

// listenPort is the loopback listener's port: fixed in a SUT of its own (a
// Linux namespace: so filters can name it), chosen by the kernel where the
// SUT is the machine itself (a Mac) and the port may be taken.
func listenPort(env *harness.Env) int {
	if topology.SUTIsHost(env.Driver) {
		return 0
	}
	return LoopbackPort
}

// tcpGroupName is the memory cgroup of one check's probe, unique per
// Ginkgo process of a run.
func tcpGroupName(id string) string {
	return fmt.Sprintf("tcp-%s-%d", strings.TrimPrefix(id, "sockets."), os.Getpid())
}
