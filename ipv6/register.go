package ipv6

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
)

// The ipv6 suite's checks. Their ids are stable public names.
func init() {
	rfc8028 := []string{"ipv6", "rfc8028"}
	// Stock Linux sends every source to the router it learned first; the
	// shipped source-routing profile makes it conform (README).
	// On a Mac the SUT must configure an address from a lab RA (Linux
	// always does in a fresh namespace; the doctor does not probe it there).
	needs := []doctor.Need{doctor.NeedRA}
	proofs := []catalog.Proof{
		{Name: "stock", Want: check.Fail},
		{Name: "source-routing", Want: check.Pass, ProfileName: "source-routing"},
		// The same conforming SUT refusing to send from its 2001:db8:b::
		// address (a prohibit route): the stack's answer, a fail naming
		// the call and the errno (ipv6/checks_linux_test.go has more).
		{Name: "source-routing+prohibit-route-from-b", Want: check.Fail, ProfileName: "source-routing",
			Fault:  harness.ShellFault("ip -6 route add prohibit 2001:db8:ffff::1/128 from 2001:db8:b::/64"),
			Reason: `refused to send from an address it holds.*source 2001:db8:b:.*connect: EACCES`},
	}
	rule55Proofs := []catalog.Proof{
		proofs[0], proofs[1],
		{Name: "source-routing+prohibit-route-to-b", Want: check.Fail, ProfileName: "source-routing",
			Fault:  harness.ShellFault("ip -6 route add prohibit 2001:db8:b:ffff::1/128"),
			Reason: `refused to send from an unbound socket.*destination 2001:db8:b:ffff::1: connect: EACCES`},
	}
	catalog.Register(
		catalog.Entry{Descriptor: check.Descriptor{ID: IDSameLink, Suite: "ipv6", Labels: rfc8028, Spec: "RFC 8028 §3", View: observation.ViewFirstHops,
			Title: "One link, two routers: each source address leaves via the router that advertised its prefix"},
			Run:    func(ctx context.Context, env *harness.Env) check.Result { return SameLink(ctx, env, env.Params.IPv6) },
			Proofs: proofs, Needs: needs},
		catalog.Entry{Descriptor: check.Descriptor{ID: IDMultiInterface, Suite: "ipv6", Labels: rfc8028, Spec: "RFC 8028 §3", View: observation.ViewFirstHops,
			Title: "Two interfaces, one router each: each interface's address leaves through that interface to its router"},
			Run: func(ctx context.Context, env *harness.Env) check.Result {
				return MultiInterface(ctx, env, env.Params.IPv6)
			},
			Proofs: proofs, Needs: needs},
		catalog.Entry{Descriptor: check.Descriptor{ID: IDRule55, Suite: "ipv6", Labels: []string{"ipv6", "rfc8028", "rfc6724"},
			Spec: "RFC 6724 §5 rule 5.5; RFC 8028 §3", View: observation.ViewRule55,
			Title: "Unbound socket: the chosen source lies in a prefix advertised by the chosen first-hop router"},
			Run:    func(ctx context.Context, env *harness.Env) check.Result { return Rule55(ctx, env, env.Params.IPv6) },
			Proofs: rule55Proofs, Needs: needs},
	)
}
