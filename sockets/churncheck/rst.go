package churncheck

import (
	"context"
	"net/netip"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/accounting"
	"github.com/netconform/netconform/sockets/peertcp"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// RSTParams are what sockets.tcp.abortive-close-rst needs.
type RSTParams struct {
	Probe string
	// Connections is N per path; Wait how long the peers may take to see
	// the RSTs, once per path.
	Connections int
	Wait        time.Duration
	Timeout     time.Duration
	MemoryLimit int64
}

// RSTObservations are the check's observations: one measurement per path.
type RSTObservations struct {
	Paths      []tcpchurn.Path `json:"paths"`
	PeerErrors string          `json:"peer_errors,omitempty"`
}

// rstPath is one way the check runs: over loopback (the probe reads the
// accepting ends) or toward the lab's peer (the peer reports the RSTs).
type rstPath struct {
	name   string
	family string
	link   bool
}

var rstPaths = []rstPath{
	{"loopback IPv6", tcpchurn.Inet6, false},
	{"loopback IPv4", tcpchurn.Inet, false},
	{"loopback IPv4-mapped", tcpchurn.Mapped, false},
	{"lab link IPv6", tcpchurn.Inet6, true},
	{"lab link IPv4", tcpchurn.Inet, true},
	{"lab link IPv4-mapped", tcpchurn.Mapped, true},
}

// RunRST runs sockets.tcp.abortive-close-rst: N abortive closes on every
// path, and the loss rate of their RSTs.
func RunRST(ctx context.Context, env *harness.Env, p RSTParams) check.Result {
	res := check.Result{ID: tcpchurn.RSTCheckID, Title: tcpchurn.Title(tcpchurn.RST, ""), Spec: tcpchurn.RSTSpec}
	lab, err := env.Realize(ctx, tcpLab(), tcpLabName)
	if err != nil {
		res.Errorf("harness: %v", err)
		return res
	}
	defer lab.Close()
	peer, err := peertcp.Start(lab.Port(tcpLink), tcpPeer(), tcpPeerPorts())
	if err != nil {
		res.Errorf("harness: %v", err)
		return res
	}
	before := accounting.Take(ctx, lab.SUT())
	var obs RSTObservations
	for _, path := range rstPaths {
		cfg := tcpchurn.Config{Pattern: tcpchurn.RST, Family: path.family, Count: p.Connections, Wait: check.Duration(p.Wait)}
		if path.link {
			cfg.Peer = peerAddr(path.family, PeerAcceptPort, lab.SUT().Interface(tcpLink)).String()
			peer.TakeConns() // what an earlier path left is not this path's
		} else {
			cfg.ListenPort = listenPort(env)
		}
		env.Logf("%s: %d abortive closes, %s", res.ID, p.Connections, path.name)
		m, err := measureTCP(ctx, env, res.ID, p.Timeout, p.MemoryLimit, p.Probe, cfg, lab)
		if err != nil {
			m = tcpchurn.Measurement{Config: cfg, Unexpected: "harness could not measure: " + err.Error()}
		} else if path.link {
			m.RST = awaitRSTs(ctx, peer, path.family, m.Ports, p.Wait)
			m.RST.Written = m.Written
		}
		obs.Paths = append(obs.Paths, tcpchurn.Path{Name: path.name, Measurement: m})
		if ctx.Err() != nil {
			break
		}
	}
	after := accounting.Take(ctx, lab.SUT())
	res.Evidence = append(lab.Evidence, saveAccounting(env, before, after)...)
	if err := peer.Err(); err != nil {
		obs.PeerErrors = err.Error()
	}
	if err := res.Observe(obs); err != nil {
		res.Errorf("%v", err)
		return res
	}
	res.Verdict, res.Reason = tcpchurn.JudgeRST(obs.Paths)
	return res
}

// awaitRSTs waits until the peer has seen an RST or a FIN for every
// connection the probe closed (by the SUT's port), or wait is over, and
// counts what it saw.
func awaitRSTs(ctx context.Context, peer *peertcp.Host, family string, ports []int, wait time.Duration) *tcpchurn.RSTCount {
	want4 := family != tcpchurn.Inet6
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	count := func(conns map[netip.AddrPort]peertcp.Conn) (tcpchurn.RSTCount, bool) {
		byPort := map[uint16]peertcp.Conn{}
		for from, c := range conns {
			if from.Addr().Is4() == want4 {
				byPort[from.Port()] = c
			}
		}
		rc := tcpchurn.RSTCount{Connections: len(ports)}
		for _, port := range ports {
			c, ok := byPort[uint16(port)]
			switch {
			case ok && !c.RST.IsZero():
				rc.Reset++
			case ok && !c.FIN.IsZero():
				rc.FIN++
			default:
				rc.Nothing++
			}
		}
		return rc, rc.Nothing == 0
	}
	for {
		changed := peer.Changed()
		rc, done := count(peer.Conns())
		if done {
			return &rc
		}
		select {
		case <-changed:
		case <-deadline.C:
			rc, _ = count(peer.Conns())
			return &rc
		case <-ctx.Done():
			rc, _ = count(peer.Conns())
			return &rc
		}
	}
}
