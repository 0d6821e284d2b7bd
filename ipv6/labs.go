package ipv6

import (
	"net"
	"net/netip"

	"github.com/netconform/netconform/topology"
)

// The labs of the RFC 8028 checks. Addresses: 2001:db8::/32 only; the SUT's
// MACs are fixed so its SLAAC addresses are predictable in the evidence.
var (
	prefixA = netip.MustParsePrefix("2001:db8:a::/64")
	prefixB = netip.MustParsePrefix("2001:db8:b::/64")
	// offLink is in neither prefix: it can only be reached through a router.
	offLink = netip.MustParseAddr("2001:db8:ffff::1")
)

func hw(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func routerA() topology.Router {
	return topology.Router{Name: "a", MAC: hw("02:00:00:00:0a:01"), LinkLocal: netip.MustParseAddr("fe80::a"), Prefixes: []netip.Prefix{prefixA}}
}

func routerB() topology.Router {
	return topology.Router{Name: "b", MAC: hw("02:00:00:00:0b:01"), LinkLocal: netip.MustParseAddr("fe80::b"), Prefixes: []netip.Prefix{prefixB}}
}

// SameLinkLab: one link, two routers, each advertising its own prefix.
func SameLinkLab() topology.Lab {
	return topology.Lab{Name: "samelink", Links: []topology.Link{{
		Name: "l0", SUTIf: "sut0", SUTMAC: hw("02:00:00:00:00:01"),
		Routers: []topology.Router{routerA(), routerB()},
	}}}
}

// MultiInterfaceLab: two links, each with one router and its prefix.
func MultiInterfaceLab() topology.Lab {
	return topology.Lab{Name: "multiif", Links: []topology.Link{
		{Name: "l0", SUTIf: "sut0", SUTMAC: hw("02:00:00:00:00:01"), Routers: []topology.Router{routerA()}},
		{Name: "l1", SUTIf: "sut1", SUTMAC: hw("02:00:00:00:01:01"), Routers: []topology.Router{routerB()}},
	}}
}

// raOrders are the orders in which the SUT learns the routers. Stock Linux
// sends every source to the router it learned first, so one order alone would
// give a verdict that depends on which router happened to speak first.
func raOrders(lab topology.Lab) [][]string {
	var names []string
	for _, r := range lab.Routers() {
		names = append(names, r.Name)
	}
	rev := make([]string, len(names))
	for i, n := range names {
		rev[len(names)-1-i] = n
	}
	return [][]string{names, rev}
}
