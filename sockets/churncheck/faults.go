package churncheck

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
)

// The faults of the TCP checks' self-validation (their proofs): Linux SUT
// configurations under which the kernel keeps control blocks after close()
// or refuses a call.

// DropSegments is a filter in the SUT that drops every TCP segment it sends
// with the given flag (FIN or RST) to or from the lab's ports, on loopback
// and on the lab link alike, IPv4 and IPv6: connections can then not finish
// closing, and their control blocks outlive close(). It is lifted before the
// lab goes, so the connections it held open finish closing at their next
// retransmission instead of lingering, orphaned, in the dying namespace.
func DropSegments(flag string) func(context.Context, *harness.Lab) error {
	var cmds []string
	for _, tool := range []string{"iptables", "ip6tables"} {
		for _, port := range []int{LoopbackPort, PeerAcceptPort, PeerDropPort} {
			for _, dir := range []string{"--sport", "--dport"} {
				cmds = append(cmds, fmt.Sprintf("%s -w -A OUTPUT -p tcp --tcp-flags %s %s %s %d -j DROP", tool, flag, flag, dir, port))
			}
		}
	}
	add := harness.ShellFault(strings.Join(cmds, " && "))
	return func(ctx context.Context, lab *harness.Lab) error {
		if err := add(ctx, lab); err != nil {
			return err
		}
		lab.OnClose(func() error {
			_, err := lab.SUT().Shell(context.Background(), "iptables -w -F OUTPUT; ip6tables -w -F OUTPUT", nil)
			return err
		})
		return nil
	}
}

// ProhibitPeer is a policy rule in the SUT that refuses every route to the
// lab's peer: connect() fails at once with EACCES, a call the stack refuses.
func ProhibitPeer() func(context.Context, *harness.Lab) error {
	return harness.ShellFault("ip rule add to "+tcpPeerIPv4.String()+" prohibit", "ip -6 rule add to "+tcpPeerIPv6.String()+" prohibit")
}

// shortDrain keeps a leaking run short: the count does not come back, so
// the drain would last its whole length; and 300 connections are plenty to
// show a leak (with the segments that end a connection dropped, thousands
// of half-closed ones can stall the loop past its timeout).
func shortDrain(p *config.Params) {
	p.Sockets.TCPChurnDrain = time.Second
	p.Sockets.TCPChurnCount = 300
}
