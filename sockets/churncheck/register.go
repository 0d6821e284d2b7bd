package churncheck

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/churn"
)

// One churn check per kind, in suite order.
func init() {
	for _, k := range Kinds {
		catalog.Register(catalog.Entry{
			Descriptor: check.Descriptor{ID: k.ID(), Title: churn.Title(k.Family, k.Type), Spec: churn.Spec, Suite: "sockets",
				Labels: []string{"sockets", "churn"}},
			Run: func(ctx context.Context, env *harness.Env) check.Result {
				p := env.Params.Sockets
				return Run(ctx, env, k, Params{Probe: env.Probe, Count: p.ChurnCount, Timeout: p.ChurnTimeout,
					MemoryLimit: int64(env.Profile.ProbeMemoryLimit), LeakingPerGiB: p.LeakingPCBsPerGiB})
			},
		})
	}
}
