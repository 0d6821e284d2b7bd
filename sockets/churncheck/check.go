// Package churncheck runs the socket-churn checks (sockets.churn.stream6,
// sockets.churn.dgram6, sockets.churn.stream4) against a lab's SUT: the
// churn probe (cmd/netconform-probe, measured and judged by sockets/churn)
// is started inside the SUT's network namespace, under the profile's memory
// limit when it sets one (sockets/cgroup).
package churncheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/accounting"
	"github.com/netconform/netconform/sockets/churn"
	"github.com/netconform/netconform/topology"
)

// Kind is a socket family and type to churn.
type Kind struct {
	Family string // "inet6" or "inet"
	Type   string // "stream" or "dgram"
}

// ID is the kind's check id (sockets.churn.stream6...).
func (k Kind) ID() string { return churn.CheckID(k.Family, k.Type) }

// Kinds are the churn checks, in suite order: the seed's AF_INET6
// SOCK_STREAM first, then the neighbours that tell a TCP-only leak from one
// in the common socket layer.
var Kinds = []Kind{{"inet6", "stream"}, {"inet6", "dgram"}, {"inet", "stream"}}

// Params are what a churn check needs.
type Params struct {
	// Probe is the netconform-probe binary.
	Probe string
	// Count is the number of socket()+close() cycles.
	Count int
	// Timeout bounds the probe's run.
	Timeout time.Duration
	// MemoryLimit, when positive, runs the probe in a memory cgroup limited
	// to that many bytes.
	MemoryLimit int64
	// wrapStart, when set, wraps how the probe is started: the
	// self-validation uses it to make the SUT refuse the probe's sockets
	// while the probe waits to be released.
	wrapStart func(startFunc) startFunc
	// LeakingPerGiB, when positive, names a machine whose TCP control-block
	// count was already above that many per GiB of memory (the reason says
	// so; the verdict stands).
	LeakingPerGiB int
}

// churnLab is the smallest lab there is: the probe needs the SUT's network
// namespace, not any traffic.
func churnLab() topology.Lab {
	return topology.Lab{Name: "churn", Links: []topology.Link{{Name: "l0", SUTIf: "sut0", SUTMAC: []byte{0x02, 0, 0, 0, 0, 0x01}}}}
}

// Run runs one churn check.
func Run(ctx context.Context, env *harness.Env, k Kind, p Params) check.Result {
	cfg := churn.Config{Family: k.Family, Type: k.Type, Count: p.Count}
	lab, err := env.Realize(ctx, churnLab(), "churn")
	if err != nil {
		return churn.EvaluateRun(cfg, churn.Measurement{}, err, p.Count)
	}
	defer lab.Close()
	rctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	env.Logf("%s: %d cycles of %s in the SUT namespace%s", k.ID(), p.Count, churn.SocketName(k.Family, k.Type), limitNote(p.MemoryLimit))
	machine := accounting.ReadMachine(p.LeakingPerGiB)
	before := accounting.Take(ctx, lab.SUT())
	start := lab.SUT().Start
	if p.wrapStart != nil {
		start = p.wrapStart(start)
	}
	var m churn.Measurement
	if p.MemoryLimit > 0 {
		m, err = measureLimited(rctx, env.RunID, groupName(k), p.MemoryLimit, churn.RunParams{Probe: p.Probe, Config: cfg}, start)
	} else {
		m, err = churn.Run(rctx, churn.RunParams{Probe: p.Probe, Config: cfg}, start)
	}
	if err != nil && rctx.Err() != nil && ctx.Err() == nil {
		err = fmt.Errorf("probe still running after churn_timeout %v: %w", p.Timeout, err)
	}
	res := churn.EvaluateRun(cfg, m, err, p.Count)
	after := accounting.Take(ctx, lab.SUT())
	res.Evidence = append(lab.Evidence, saveAccounting(env, before, after)...)
	if left := accounting.Residual(before, after); len(left) > 0 && res.Verdict != check.Error {
		var parts []string
		for _, c := range left {
			parts = append(parts, c.String())
		}
		res.Reason += "; after the probe closed every socket, socket accounting stayed up: " + strings.Join(parts, ", ")
	}
	if note := machine.Note(); note != "" && res.Verdict != check.Error {
		res.Reason += "; " + note
	}
	return res
}

// saveAccounting writes the before and after snapshots as evidence and
// returns their paths; a snapshot that cannot be written is only logged:
// the verdict does not depend on it.
func saveAccounting(env *harness.Env, snaps ...accounting.Snapshot) []string {
	var rel []string
	for i, s := range snaps {
		abs, r, err := env.EvidencePath([]string{"accounting-before.txt", "accounting-after.txt"}[i])
		if err == nil {
			err = os.WriteFile(abs, []byte(s.Text()), 0o644)
		}
		if err != nil {
			env.Logf("socket accounting evidence: %v", err)
			continue
		}
		rel = append(rel, r)
	}
	return rel
}

// groupName is unique per check and per Ginkgo process of a run.
func groupName(k Kind) string {
	return fmt.Sprintf("%s-%d", strings.TrimPrefix(k.ID(), "sockets.churn."), os.Getpid())
}

func limitNote(limit int64) string {
	if limit <= 0 {
		return ""
	}
	return fmt.Sprintf(", under a %d-byte memory limit", limit)
}

// errNoCgroups is returned where memory cgroups do not exist.
var errNoCgroups = errors.New("a probe memory limit needs Linux memory cgroups")

// startFunc is how the probe is started (in the SUT's namespace).
type startFunc = func(*exec.Cmd) error
