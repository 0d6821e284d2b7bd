package mapped

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
)

// The first-datagram checks (one per case) and the user-space filter
// check, in suite order.
func init() {
	for _, c := range Cases {
		catalog.Register(catalog.Entry{
			Descriptor: check.Descriptor{ID: c.ID, Title: c.Title, Spec: Spec, Suite: "sockets", Labels: []string{"sockets", "mapped-sendto"}},
			Run:        func(ctx context.Context, env *harness.Env) check.Result { return Run(ctx, env, c, paramsOf(env)) },
		})
	}
	catalog.Register(catalog.Entry{
		Descriptor: check.Descriptor{ID: IDUserspaceFilter, Spec: FilterSpec, Suite: "sockets", Labels: []string{"sockets", "cfil"},
			Title: "Dual-stack UDP sendto() through a user-space filter that accepts everything: the first datagram still arrives"},
		Run: func(ctx context.Context, env *harness.Env) check.Result { return UserspaceFilter(ctx, env, paramsOf(env)) },
	})
}

func paramsOf(env *harness.Env) Params {
	p := env.Params.Sockets
	return Params{Sockets: p.FreshSockets, Timeout: p.ReceiveTimeout}
}
