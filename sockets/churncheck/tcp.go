package churncheck

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/accounting"
	"github.com/netconform/netconform/sockets/peertcp"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// TCPParams are what a TCP churn check needs.
type TCPParams struct {
	Probe string
	// Count is the number of connections; Drain the longest wait for the
	// count to come back; Slack the control blocks that are not a leak.
	Count int
	Drain time.Duration
	Slack int
	// Timeout bounds the probe's run (loop and drain).
	Timeout time.Duration
	// MemoryLimit, when positive, runs the probe in a memory cgroup.
	MemoryLimit int64
	// LeakingPerGiB names an already leaking machine.
	LeakingPerGiB int
}

// TCPObservations are a TCP churn check's observations: the probe's
// measurement (its samples and the control-block count through the run),
// the machine's count before the check, and for close-connecting how many
// SYNs the lab's peer saw and dropped.
type TCPObservations struct {
	tcpchurn.Measurement
	Machine    accounting.Machine `json:"machine"`
	PeerDrops  int                `json:"peer_dropped_syns,omitempty"`
	PeerErrors string             `json:"peer_errors,omitempty"`
}

// RunTCP runs one TCP churn check: pattern and family as in tcpchurn.
func RunTCP(ctx context.Context, env *harness.Env, pattern, family string, p TCPParams) check.Result {
	id := tcpchurn.CheckID(pattern, family)
	res := check.Result{ID: id, Title: tcpchurn.Title(pattern, family), Spec: tcpchurn.Spec}
	machine := accounting.ReadMachine(p.LeakingPerGiB)
	lab, err := env.Realize(ctx, tcpLab(), tcpLabName)
	if err != nil {
		res.Errorf("harness: %v", err)
		return res
	}
	defer lab.Close()
	cfg := tcpchurn.Config{Pattern: pattern, Family: family, Count: p.Count, Drain: check.Duration(p.Drain), Slack: p.Slack}
	var peer *peertcp.Host
	if pattern == tcpchurn.CloseConnecting {
		if peer, err = peertcp.Start(lab.Port(tcpLink), tcpPeer(), tcpPeerPorts()); err != nil {
			res.Errorf("harness: %v", err)
			return res
		}
		cfg.Peer = peerAddr(family, PeerDropPort, lab.SUT().Interface(tcpLink)).String()
	} else {
		cfg.ListenPort = listenPort(env)
	}
	env.Logf("%s: %d × %s%s", id, p.Count, tcpchurn.What(pattern, family, cfg.Peer != ""), limitNote(p.MemoryLimit))
	env.Logf("%s: machine before: %d TCP control blocks (%s), threshold %d, up %s", id, machine.ControlBlocks, machine.Source,
		machine.Threshold, accounting.Uptime(machine.Uptime))
	before := accounting.Take(ctx, lab.SUT())
	m, err := measureTCP(ctx, env, id, p.Timeout, p.MemoryLimit, p.Probe, cfg, lab)
	after := accounting.Take(ctx, lab.SUT())
	res.Evidence = append(lab.Evidence, saveAccounting(env, before, after)...)
	if err != nil {
		res.Errorf("harness could not measure: %v", err)
		return res
	}
	obs := TCPObservations{Measurement: m, Machine: machine}
	if peer != nil {
		obs.PeerDrops = peer.Dropped(wireAddr(family))
		if err := peer.Err(); err != nil {
			obs.PeerErrors = err.Error()
		}
	}
	if err := res.Observe(obs); err != nil {
		res.Errorf("%v", err)
		return res
	}
	res.Evidence = append(res.Evidence, saveCurve(env, m)...)
	res.Verdict, res.Reason = tcpchurn.Judge(m)
	if peer != nil && res.Verdict != check.Error {
		// The SYNs reached the lab's peer: the connects were in progress
		// on the wire when they were closed.
		res.Reason += fmt.Sprintf("; the lab's peer dropped %d SYNs", obs.PeerDrops)
	}
	if note := machine.Note(); note != "" && res.Verdict != check.Error {
		res.Reason += "; " + note
	}
	return res
}

// measureTCP runs the probe in the SUT, in a memory cgroup when a limit is
// set, within the timeout.
func measureTCP(ctx context.Context, env *harness.Env, id string, timeout time.Duration, limit int64, probe string, cfg tcpchurn.Config, lab *harness.Lab) (tcpchurn.Measurement, error) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var m tcpchurn.Measurement
	var err error
	if limit > 0 {
		m, err = measureTCPLimited(rctx, env.RunID, tcpGroupName(id), limit, probe, cfg, lab.SUT().Start)
	} else {
		m, err = tcpchurn.Run(rctx, probe, cfg, lab.SUT().Start)
	}
	if err != nil && rctx.Err() != nil && ctx.Err() == nil {
		err = fmt.Errorf("probe still running after churn_timeout %v: %w", timeout, err)
	}
	return m, err
}

// saveCurve writes the count curve (tcpchurn.Curve) as evidence: the
// bundle of a failing check carries it.
func saveCurve(env *harness.Env, m tcpchurn.Measurement) []string {
	abs, rel, err := env.EvidencePath(tcpchurn.CurveFile)
	if err == nil {
		err = os.WriteFile(abs, tcpchurn.Curve(m), 0o644)
	}
	if err != nil {
		env.Logf("control-block curve evidence: %v", err)
		return nil
	}
	return []string{rel}
}
