package churncheck

import (
	"context"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
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
					Spec: tcpchurn.Spec, Suite: "sockets", Labels: []string{"sockets", "churn", "tcp"}, View: observation.ViewTCPChurn},
				Proofs: tcpProofs(pattern),
				// The control-block counts it judges are the machine's.
				Alone: true,
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
			Spec: tcpchurn.RSTSpec, Suite: "sockets", Labels: []string{"sockets", "tcp"}, View: observation.ViewTCPRST},
		// It counts the RSTs its peers see within rst_wait: a busy neighbour
		// could make a stack that sends them all look like one that does not.
		Alone: true,
		Proofs: []catalog.Proof{
			{Name: "stock", Want: check.Pass},
			{Name: "rsts-dropped", Want: check.Fail, Fault: DropSegments("RST"), Reason: `RST not seen by the peer in \d+ of \d+`},
		},
		Run: func(ctx context.Context, env *harness.Env) check.Result {
			p := env.Params.Sockets
			return RunRST(ctx, env, RSTParams{Probe: env.Probe, Connections: p.RSTConnections, Wait: p.RSTWait,
				Timeout: p.ChurnTimeout, MemoryLimit: int64(env.Profile.ProbeMemoryLimit)})
		},
	})
}

// tcpProofs are a TCP churn check's self-validation: stock Linux passes; a
// fault that keeps control blocks after close() (the segments that end a
// connection dropped) or refuses the call fails it, and so does a memory
// limit the probe outgrows.
func tcpProofs(pattern string) []catalog.Proof {
	proofs := []catalog.Proof{{Name: "stock", Want: check.Pass}}
	switch pattern {
	case tcpchurn.Connect:
		proofs = append(proofs, catalog.Proof{Name: "fins-dropped", Want: check.Fail, Fault: DropSegments("FIN"), Params: shortDrain,
			Reason: `TCP control blocks stayed.*per thousand connections`})
	case tcpchurn.Abort:
		proofs = append(proofs, catalog.Proof{Name: "rsts-dropped", Want: check.Fail, Fault: DropSegments("RST"), Params: shortDrain,
			Reason: `TCP control blocks stayed.*per thousand connections`})
	case tcpchurn.CloseConnecting:
		// Linux frees a connecting socket at once on close: its faults are
		// the refused call and the memory limit.
		proofs = append(proofs, catalog.Proof{Name: "peer-prohibited", Want: check.Fail, Fault: ProhibitPeer(),
			Reason: `connect\(\) failed with EACCES`})
	}
	return append(proofs, catalog.Proof{Name: "2MiB-memory-limit", Want: check.Fail,
		Profile: config.Profile{ProbeMemoryLimit: 2 << 20}, Reason: `killed by SIGKILL.*2\.0 MiB|2\.0 MiB.*killed by SIGKILL`})
}
