package mapped

import (
	"context"
	"strconv"
	"time"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
)

// The first-datagram checks (one per case), the matrix of every way of
// sending a mapped datagram, and the user-space filter check, in suite
// order.
func init() {
	for _, c := range Cases {
		catalog.Register(catalog.Entry{
			Descriptor: check.Descriptor{ID: c.ID, Title: c.Title, Spec: Spec, Suite: "sockets", Labels: []string{"sockets", "mapped-sendto"}, View: observation.ViewFirstDatagram},
			Run:        func(ctx context.Context, env *harness.Env) check.Result { return Run(ctx, env, c, paramsOf(env)) },
			Proofs:     caseProofs(c),
		})
	}
	catalog.Register(catalog.Entry{
		Descriptor: check.Descriptor{ID: IDMatrix, Title: MatrixTitle, Spec: Spec, Suite: "sockets", Labels: []string{"sockets", "mapped-sendto", "cfil"}, View: observation.ViewMappedMatrix},
		Run: func(ctx context.Context, env *harness.Env) check.Result {
			m, err := NewMatrix(env.Params.Sockets.MappedMatrix)
			if err != nil {
				return check.Result{Verdict: check.Error, Reason: "harness: params.sockets." + err.Error()}
			}
			return RunMatrix(ctx, env, m, paramsOf(env))
		},
		// No Needs: without NFQUEUE the matrix still runs, and its reason
		// says that no content filter was on the path.
		Proofs: []catalog.Proof{
			{Name: "stock", Want: check.Pass, Reason: `^all \d+ cases that ran passed: .*; every case went through a user-space filter \(NFQUEUE 3281 on OUTPUT, accept\)`},
			// The seed's signature for every flow: a second filter, after
			// the check's own (mangle POSTROUTING runs after filter
			// OUTPUT, on every locally sent packet, loopback included),
			// loses the first datagram of each new flow while the call
			// has returned success, as the seed's failed reinject does.
			{Name: "drop-first-datagram-per-flow-after-the-filter", Want: check.Fail, Fault: DropFirstPerFlow(cfil.AfterOutbound), Params: shortWindow,
				Reason: `^all \d+ cases that ran lost datagrams: 1st datagram lost 10/10 \(10 silent drops: the call said success but nothing arrived, 10 of them while a later datagram of the same socket did\); 2nd datagram delivered 10/10 in all \d+ cases(;|$)`},
			// Only the datagrams to the peer lose their first: the cases
			// to the SUT's own addresses, judged in the same batches after
			// losing ones, still pass (their arrival times are the kernel's,
			// not those of a read that waited for another case).
			{Name: "drop-first-datagram-per-flow-to-the-peer-only", Want: check.Fail, Fault: dropFirstPerFlowToPort(cfil.AfterOutbound, peerPort), Params: shortWindow,
				Reason: `^\d+ of \d+ cases that ran lost datagrams: 1st datagram lost 10/10 \(10 silent drops[^)]*\); 2nd datagram delivered 10/10 in \d+ cases: ([^,|]* peer, )*[^,|]* peer \| the other \d+ passed`},
			// The send path refuses every datagram before the check's
			// filter (mangle OUTPUT runs before filter OUTPUT): every call
			// fails with EPERM, and the reason names it.
			{Name: "refused-on-the-send-path", Want: check.Fail, Fault: harness.ShellFault("iptables -t mangle -I OUTPUT -p udp -j DROP"),
				Reason: `^all \d+ cases that ran lost datagrams: 1st datagram lost 10/10 \(10 failed with an errno: EPERM ×10\); 2nd datagram lost 10/10 \(10 failed with an errno: EPERM ×10\) in all \d+ cases(;|$)`},
		},
	})
	catalog.Register(catalog.Entry{
		Descriptor: check.Descriptor{ID: IDUserspaceFilter, Spec: FilterSpec, Suite: "sockets", Labels: []string{"sockets", "cfil"}, View: observation.ViewFilteredFirstDatagram,
			Title: "Dual-stack UDP sendto() through a user-space filter that accepts everything: the first datagram still arrives"},
		Run: func(ctx context.Context, env *harness.Env) check.Result {
			return UserspaceFilter(ctx, env, paramsOf(env))
		},
		// Its own filter is an NFQUEUE one: where iptables or the queue
		// target is missing, it cannot be put on the path.
		Needs: []doctor.Need{doctor.NeedIptables, doctor.NeedNFQueue},
		Proofs: []catalog.Proof{
			{Name: "stock", Want: check.Pass},
			// A second filter, on the SUT's input path, that loses first
			// datagrams: the self case's first datagrams pass the check's
			// accepting filter on output and are lost on input, as the
			// seed's reinject failure loses them after the filter. (On
			// OUTPUT the check's own rule comes first and its accept ends
			// the chain: the fault would never see a packet.)
			{Name: "drop-first-datagram-per-flow-on-input", Want: check.Fail, Fault: DropFirstPerFlow(cfil.Inbound), Params: shortWindow,
				Reason: `self \(sockets.mapped-sendto.self\): .*1st datagram lost 10/10`},
			// The SUT refusing every UDP datagram before the filter's hook
			// (mangle runs before filter): a fail, though the filter saw none.
			{Name: "refused-before-the-filter", Want: check.Fail, Fault: harness.ShellFault("iptables -t mangle -I OUTPUT -p udp -j DROP"),
				Reason: `self \(sockets.mapped-sendto.self\): 1st datagram lost 10/10 \(10 failed with an errno: sendto EPERM ×10\)`},
		},
	})
}

// caseProofs are the proofs of a single case's check: the stock pass, the
// seed's loss of every flow's first datagram on the case's own fault path,
// and a refusal, then the held-datagram proofs of the cases that have them.
func caseProofs(c Case) []catalog.Proof {
	return append([]catalog.Proof{
		{Name: "stock", Want: check.Pass},
		{Name: "drop-first-datagram-per-flow", Want: check.Fail, Fault: DropFirstPerFlow(FaultPath(c)), Params: shortWindow,
			Reason: `1st datagram lost 10/10 \(10 silent drops: (sendto|send) said success but nothing arrived, 10 of them while a later datagram of the same socket did\); 2nd datagram delivered 10/10`},
		// The SUT refusing the datagrams (a packet filter's DROP on
		// output: EPERM): the stack's answer, a fail naming the call
		// and the errno (checks_linux_test.go has more refusals).
		{Name: "refused-by-packet-filter", Want: check.Fail, Fault: harness.ShellFault("iptables -I OUTPUT -p udp -j DROP"),
			Reason: `1st datagram lost 10/10 \(10 failed with an errno: (sendto|send) EPERM ×10\)`},
	}, heldProofs(c)...)
}

// heldProofs are the proofs that a slow filter is not taken for a lossy
// one, for the two ways a case looks for its datagrams (its own sockets,
// the wire at the peer): a filter that holds each new flow, as cfil does
// while its agent decides, and lets it pass in order. Held for less than
// the receive window, the first datagrams are delivered; held for longer,
// they are late, not lost: the socket's 2nd datagram, which would end the
// wait for a lost 1st one, waits behind it.
func heldProofs(c Case) []catalog.Proof {
	if c.ID != IDSelf && c.ID != IDPeer {
		return nil
	}
	return []catalog.Proof{
		{Name: "first-datagram-held-within-the-window", Want: check.Pass, Fault: HoldFirstPerFlow(FaultPath(c), 50*time.Millisecond), Params: shortWindow,
			Reason: `^every datagram delivered: 1st datagram delivered 10/10, 2nd datagram delivered 10/10`},
		{Name: "first-datagram-held-past-the-window", Want: check.Fail, Fault: HoldFirstPerFlow(FaultPath(c), 450*time.Millisecond), Params: shortWindow,
			Reason: `^1st datagram lost 10/10 \(10 late: arrived after the 300ms window\); 2nd datagram delivered 10/10`},
	}
}

// shortWindow keeps a run that loses datagrams short: each lost one costs
// its receive window.
func shortWindow(p *config.Params) { p.Sockets.ReceiveTimeout = 300 * time.Millisecond }

// DropFirstPerFlow is the fault that mimics the seed: a content filter at
// a point of the SUT's UDP path that drops the first packet of every new
// flow while sendto() succeeds.
func DropFirstPerFlow(path cfil.Path) func(context.Context, *harness.Lab) error {
	return func(ctx context.Context, lab *harness.Lab) error {
		f, err := cfil.StartFilter(ctx, lab.SUT(), cfil.UDPFilter(7, path, cfil.DropFirstPerFlow))
		if err != nil {
			return err
		}
		lab.OnClose(f.Close)
		return nil
	}
}

// dropFirstPerFlowToPort is DropFirstPerFlow for the datagrams to port
// only (a port match serves the IPv4 and the IPv6 rule alike).
func dropFirstPerFlowToPort(path cfil.Path, port uint16) func(context.Context, *harness.Lab) error {
	return func(ctx context.Context, lab *harness.Lab) error {
		cfg := cfil.UDPFilter(7, path, cfil.DropFirstPerFlow)
		cfg.Match = append(cfg.Match, "--dport", strconv.Itoa(int(port)))
		f, err := cfil.StartFilter(ctx, lab.SUT(), cfg)
		if err != nil {
			return err
		}
		lab.OnClose(f.Close)
		return nil
	}
}

// HoldFirstPerFlow is the fault of a slow content filter at path: each new
// flow held for hold, its datagrams then passed in order (cfil.HoldFirstPerFlow).
func HoldFirstPerFlow(path cfil.Path, hold time.Duration) func(context.Context, *harness.Lab) error {
	return func(ctx context.Context, lab *harness.Lab) error {
		cfg := cfil.UDPFilter(7, path, cfil.HoldFirstPerFlow)
		cfg.Hold = hold
		f, err := cfil.StartFilter(ctx, lab.SUT(), cfg)
		if err != nil {
			return err
		}
		lab.OnClose(f.Close)
		return nil
	}
}

// FaultPath is where a fault must sit to hit a case: datagrams to the SUT
// itself are lost on its way in, datagrams to the peer on the way out, since
// they never come in.
func FaultPath(c Case) cfil.Path {
	if c.To == Self {
		return cfil.Inbound
	}
	return cfil.Outbound
}

func paramsOf(env *harness.Env) Params {
	p := env.Params.Sockets
	return Params{Sockets: p.FreshSockets, Timeout: p.ReceiveTimeout}
}
