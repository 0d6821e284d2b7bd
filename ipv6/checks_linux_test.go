package ipv6

import (
	"context"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/topology"
)

// The verdicts of each check on stock Linux and under the source-routing
// profile are the checks' registered proofs (register.go), which
// selfvalidation runs; the tests here look at what the proofs do not.

// TestRefusalIsAFail: when the SUT itself refuses to send from an address
// it holds (a route or a packet filter of its own says no), while the
// router that advertised the prefix is on the link, that is the stack's
// answer: fail, with the refused call and its errno in the reason and the
// observations, never an error. A datagram the stack accepted and never put
// on the wire is a fail too. Each fault sits on top of the source-routing
// profile, which passes without it, so the fault alone makes the verdict.
func TestRefusalIsAFail(t *testing.T) {
	labtest.Driver(t) // skip here, not in each subtest, where labs cannot be built
	cfg := labtest.Config(t)
	base := cfg.Profiles["source-routing"]
	// The bound checks send from 2001:db8:b::/64 to 2001:db8:ffff::1; the
	// rule 5.5 check lets the kernel choose a source towards 2001:db8:b:ffff::1.
	bound := []struct {
		id  string
		run func(context.Context, *harness.Env, config.IPv6Params) check.Result
	}{{IDSameLink, SameLink}, {IDMultiInterface, MultiInterface}}
	faults := []struct {
		name        string
		tool        string
		bound, rule string // the command for the bound checks, for rule 5.5
		want        []string
	}{
		{"prohibit-route", "ip",
			"ip -6 route add prohibit 2001:db8:ffff::1/128 from 2001:db8:b::/64",
			"ip -6 route add prohibit 2001:db8:b:ffff::1/128",
			[]string{"refused to send", "connect: EACCES (permission denied)"}},
		{"unreachable-route", "ip",
			"ip -6 route add unreachable 2001:db8:ffff::1/128 from 2001:db8:b::/64",
			"ip -6 route add unreachable 2001:db8:b:ffff::1/128",
			[]string{"refused to send", "connect: EHOSTUNREACH (no route to host)"}},
		{"ip6tables-drop", "ip6tables",
			"ip6tables -I OUTPUT -s 2001:db8:b::/64 -p udp -j DROP",
			"ip6tables -I OUTPUT -d 2001:db8:b:ffff::1 -p udp -j DROP",
			[]string{"refused to send", "datagram 1: write: EPERM (operation not permitted)", "datagram 3: write: EPERM"}},
		// NFQUEUE to a queue nobody reads drops after write() returned
		// success: the silent kind of refusal.
		{"silent-drop", "ip6tables",
			"ip6tables -I OUTPUT -s 2001:db8:b::/64 -p udp -j NFQUEUE --queue-num 4243",
			"ip6tables -I OUTPUT -d 2001:db8:b:ffff::1 -p udp -j NFQUEUE --queue-num 4243",
			[]string{"did not send them", "3 of the 3 datagrams the stack accepted never reached the wire"}},
	}
	for _, f := range faults {
		type target struct {
			id, cmd string
			run     func(context.Context, *harness.Env, config.IPv6Params) check.Result
		}
		targets := []target{{IDRule55, f.rule, Rule55}}
		for _, b := range bound {
			targets = append(targets, target{b.id, f.bound, b.run})
		}
		for _, tg := range targets {
			t.Run(tg.id+"/"+f.name, func(t *testing.T) {
				if _, err := exec.LookPath(f.tool); err != nil {
					t.Skipf("no %s here: %v", f.tool, err)
				}
				p := config.Profile{Commands: append(slices.Clone(base.Commands), tg.cmd)}
				env := labtest.Env(t, tg.id)
				env.ProfileName, env.Profile = "source-routing+"+f.name, p
				params := cfg.Params.IPv6
				// A silent loss costs one wire_timeout per lab: keep it short.
				params.WireTimeout = 500 * time.Millisecond
				res := tg.run(context.Background(), env, params)
				t.Logf("%s: %s", res.Verdict, res.Reason)
				if res.Verdict != check.Fail {
					t.Fatalf("verdict %s, want fail: %s", res.Verdict, res.Reason)
				}
				for _, w := range f.want {
					if !strings.Contains(res.Reason, w) {
						t.Errorf("reason lacks %q: %s", w, res.Reason)
					}
				}
				// The source the stack refused is named; the other one
				// is not blamed.
				if tg.id != IDRule55 && (!strings.Contains(res.Reason, "source 2001:db8:b:") || strings.Contains(res.Reason, "source 2001:db8:a:")) {
					t.Errorf("reason does not blame exactly the refused source: %s", res.Reason)
				}
				if errno := errnoIn(f.want); errno != "" && !strings.Contains(string(res.Observations), `"errno":"`+errno+`"`) {
					t.Errorf("observations do not record %s: %s", errno, res.Observations)
				}
			})
		}
	}
}

// errnoIn finds the errno name a fault's expected words mention.
func errnoIn(words []string) string {
	for _, w := range words {
		for _, e := range []string{"EACCES", "EHOSTUNREACH", "EPERM"} {
			if strings.Contains(w, e) {
				return e
			}
		}
	}
	return ""
}

// TestSUTAnswersNeighborSolicitation: the Neighbor Solicitation with which
// unheardLinks makes the SUT speak on a link is answered, so a link whose
// capture missed the SUT's first frames is proved live before a missing
// datagram is judged.
func TestSUTAnswersNeighborSolicitation(t *testing.T) {
	env := labtest.Env(t, "ns")
	lab, err := env.Realize(context.Background(), MultiInterfaceLab(), "ns")
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	for _, l := range lab.Lab().Links {
		addrs, err := lab.SUT().Addresses(l.Name)
		if err != nil {
			t.Fatal(err)
		}
		var ll netip.Addr
		for _, a := range addrs {
			if a.Prefix.Addr().IsLinkLocalUnicast() {
				ll = a.Prefix.Addr()
			}
		}
		r := l.Routers[0]
		frame, err := NeighborSolicitation(r.MAC, r.LinkLocal, ll)
		if err != nil {
			t.Fatal(err)
		}
		port := lab.Port(l.Name)
		answered := func() bool {
			for _, f := range port.Frames() {
				pkt := gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.NoCopy)
				if na, ok := pkt.Layer(layers.LayerTypeICMPv6NeighborAdvertisement).(*layers.ICMPv6NeighborAdvertisement); ok &&
					f.Dir == topology.FromSUT && netip.AddrFrom16([16]byte(na.TargetAddress)) == ll {
					return true
				}
			}
			return false
		}
		if err := port.Send(frame); err != nil {
			t.Fatal(err)
		}
		if !awaitWire(context.Background(), []*topology.Port{port}, 3*time.Second, answered) {
			t.Errorf("%s: the SUT did not answer a Neighbor Solicitation for %s", l.Name, ll)
		}
	}
}
