package churncheck

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/sockets/churn"
)

// One churn check per kind, in suite order.
func init() {
	for _, k := range Kinds {
		catalog.Register(catalog.Entry{
			Descriptor: check.Descriptor{ID: k.ID(), Title: churn.Title(k.Family, k.Type), Spec: churn.Spec, Suite: "sockets", View: observation.ViewChurn,
				Labels: []string{"sockets", "churn"}},
			// The socket counts and memory it reads are the machine's.
			Alone: true,
			Run: func(ctx context.Context, env *harness.Env) check.Result {
				p := env.Params.Sockets
				return Run(ctx, env, k, Params{Probe: env.Probe, Count: p.ChurnCount, Timeout: p.ChurnTimeout,
					MemoryLimit: int64(env.Profile.ProbeMemoryLimit), LeakingPerGiB: p.LeakingPCBsPerGiB})
			},
			Proofs: []catalog.Proof{
				{Name: "stock", Want: check.Pass},
				// A memory limit the sockets outgrow: socket() fails or the
				// OOM killer ends the probe, both named in the reason.
				{Name: "2MiB-memory-limit", Want: check.Fail, Profile: config.Profile{ProbeMemoryLimit: 2 << 20},
					Reason: `(ENOBUFS|ENOMEM|ENFILE|EMFILE|killed by SIGKILL).*2\.0 MiB|2\.0 MiB.*(ENOBUFS|ENOMEM|ENFILE|EMFILE|killed by SIGKILL)`},
			},
		})
	}
}
