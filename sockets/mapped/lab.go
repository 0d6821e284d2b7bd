package mapped

import (
	"net"
	"net/netip"

	"github.com/netconform/netconform/topology"
)

// The dual-stack lab: the SUT has 192.0.2.1/24 on its one link (beside its
// IPv6 link-local address) and an emulated IPv4 host, 192.0.2.2, sits on the
// same link. Documentation addresses only (RFC 5737).
var (
	sutIPv4  = netip.MustParsePrefix("192.0.2.1/24")
	peerIPv4 = netip.MustParseAddr("192.0.2.2")
)

// peerPort is where datagrams to the peer go: the discard port, since the
// emulated peer never answers at the transport layer.
const peerPort = 9

const labLink = "l0"

func hw(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// DualStackLab is the lab of every first-datagram check.
func DualStackLab() topology.Lab {
	return topology.Lab{Name: "dualstack", Links: []topology.Link{{
		Name: labLink, SUTIf: "sut0", SUTMAC: hw("02:00:00:00:00:01"), SUTIPv4: sutIPv4,
		Hosts: []topology.Host{{Name: "peer", MAC: hw("02:00:00:00:04:02"), IPv4: peerIPv4}},
	}}}
}
