package churncheck

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// The TCP churn checks, one per pattern and family (after the three
// socket()+close() checks: this file's init runs after register.go's),
// then the RST delivery check.
func init() {
	for _, pattern := range tcpchurn.Patterns {
		for _, family := range tcpchurn.Families {
			catalog.Register(catalog.Entry{
				Descriptor: check.Descriptor{ID: tcpchurn.CheckID(pattern, family), Title: tcpchurn.Title(pattern, family),
					Spec: tcpchurn.Spec, Suite: "sockets", Labels: []string{"sockets", "churn", "tcp"}},
				Run: func(ctx context.Context, env *harness.Env) check.Result {
					p := env.Params.Sockets
					return RunTCP(ctx, env, pattern, family, TCPParams{Probe: env.Probe, Count: p.TCPChurnCount,
						Drain: p.TCPChurnDrain, Slack: p.TCPChurnSlack, Timeout: p.ChurnTimeout,
						MemoryLimit: int64(env.Profile.ProbeMemoryLimit), LeakingPerGiB: p.LeakingPCBsPerGiB})
				},
			})
		}
	}
	catalog.Register(catalog.Entry{
		Descriptor: check.Descriptor{ID: tcpchurn.RSTCheckID, Title: tcpchurn.Title(tcpchurn.RST, ""),
			Spec: tcpchurn.RSTSpec, Suite: "sockets", Labels: []string{"sockets", "tcp"}},
		Run: func(ctx context.Context, env *harness.Env) check.Result {
			p := env.Params.Sockets
			return RunRST(ctx, env, RSTParams{Probe: env.Probe, Connections: p.RSTConnections, Wait: p.RSTWait,
				Timeout: p.ChurnTimeout, MemoryLimit: int64(env.Profile.ProbeMemoryLimit)})
		},
	})
}
