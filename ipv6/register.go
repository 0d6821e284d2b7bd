package ipv6

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
)

// The ipv6 suite's checks. Their ids are stable public names.
func init() {
	rfc8028 := []string{"ipv6", "rfc8028"}
	// Stock Linux sends every source to the router it learned first; the
	// shipped source-routing profile makes it conform (README).
	proofs := []catalog.Proof{
		{Name: "stock", Want: check.Fail},
		{Name: "source-routing", Want: check.Pass, ProfileName: "source-routing"},
	}
	catalog.Register(
		catalog.Entry{Descriptor: check.Descriptor{ID: IDSameLink, Suite: "ipv6", Labels: rfc8028, Spec: "RFC 8028 §3",
			Title: "One link, two routers: each source address leaves via the router that advertised its prefix"},
			Run:    func(ctx context.Context, env *harness.Env) check.Result { return SameLink(ctx, env, env.Params.IPv6) },
			Proofs: proofs},
		catalog.Entry{Descriptor: check.Descriptor{ID: IDMultiInterface, Suite: "ipv6", Labels: rfc8028, Spec: "RFC 8028 §3",
			Title: "Two interfaces, one router each: each interface's address leaves through that interface to its router"},
			Run: func(ctx context.Context, env *harness.Env) check.Result {
				return MultiInterface(ctx, env, env.Params.IPv6)
			},
			Proofs: proofs},
		catalog.Entry{Descriptor: check.Descriptor{ID: IDRule55, Suite: "ipv6", Labels: []string{"ipv6", "rfc8028", "rfc6724"},
			Spec:  "RFC 6724 §5 rule 5.5; RFC 8028 §3",
			Title: "Unbound socket: the chosen source lies in a prefix advertised by the chosen first-hop router"},
			Run:    func(ctx context.Context, env *harness.Env) check.Result { return Rule55(ctx, env, env.Params.IPv6) },
			Proofs: proofs},
	)
}
