package churncheck

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/sockets/peertcp"
	"github.com/netconform/netconform/sockets/tcpchurn"
	"github.com/netconform/netconform/topology"
)

var cRate = regexp.MustCompile(`RATE (\d+) connections per second`)

// BenchmarkTCPChurnRate compares the probe's loop of each TCP pattern with
// its C equivalent (the checks' reproducer, reports/evidence/repro/
// tcp_churn.c, compiled with cc -O2 here), both run in a fresh lab's SUT
// namespace with the same count, alternately; the best rate of each is
// kept, since other load on the machine only ever slows a run down. The
// rates are each program's own: connections per second over the loop,
// sampling and drain left out. Root only. -benchtime=5x gives five rounds.
func BenchmarkTCPChurnRate(b *testing.B) {
	drv := labtest.Driver(b)
	cc, err := exec.LookPath("cc")
	if err != nil {
		b.Skip("no C compiler (cc) to build the C equivalent")
	}
	cbin := filepath.Join(b.TempDir(), "tcp_churn")
	if out, err := exec.Command(cc, "-O2", "-o", cbin, "../../reports/evidence/repro/tcp_churn.c").CombinedOutput(); err != nil {
		b.Fatalf("cc: %v: %s", err, out)
	}
	for _, tt := range []struct {
		pattern, family string
		count           int
	}{
		{tcpchurn.Connect, tcpchurn.Inet6, 20000},
		{tcpchurn.Connect, tcpchurn.Inet, 20000},
		{tcpchurn.CloseConnecting, tcpchurn.Inet6, 20000},
		{tcpchurn.CloseConnecting, tcpchurn.Inet, 20000},
		{tcpchurn.Abort, tcpchurn.Inet6, 20000},
		{tcpchurn.Abort, tcpchurn.Inet, 20000},
		{tcpchurn.RST, tcpchurn.Inet6, 5000},
	} {
		b.Run(tt.pattern+"/"+tt.family, func(b *testing.B) {
			// Not labtest.Env: a benchmark prints its log even without -v,
			// and the labs' progress lines would bury the figures.
			env := &harness.Env{Driver: drv, RunID: topology.NewRunID(), ReleaseDir: b.TempDir(), CheckID: "bench"}
			var cBest, goBest float64
			for b.Loop() {
				cBest = max(cBest, benchOnce(b, env, tt.pattern, tt.family, tt.count, cbin))
				goBest = max(goBest, benchOnce(b, env, tt.pattern, tt.family, tt.count, ""))
			}
			b.ReportMetric(cBest, "c-conn/s")
			b.ReportMetric(goBest, "go-conn/s")
			b.ReportMetric(goBest/cBest, "go/c")
		})
	}
}

// benchOnce runs one loop in a fresh lab: the C program when cbin is set,
// the probe otherwise; it returns the loop's rate.
func benchOnce(b *testing.B, env *harness.Env, pattern, family string, count int, cbin string) float64 {
	b.Helper()
	ctx := context.Background()
	lab, err := env.Realize(ctx, tcpLab(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	// One sample before and one after the loop: the probe's rate leaves
	// sampling out, and pauses to sample would let the kernel's deferred
	// work (timers, RCU) catch up outside the timed loop, which the C
	// program, sampling nothing, does not get.
	cfg := tcpchurn.Config{Pattern: pattern, Family: family, Count: count, SampleEvery: count,
		Drain: check.Duration(5 * time.Second), Wait: check.Duration(time.Second)}
	args := []string{pattern, strconv.Itoa(count), family}
	if pattern == tcpchurn.CloseConnecting {
		if _, err := peertcp.Start(lab.Port(tcpLink), tcpPeer(), tcpPeerPorts()); err != nil {
			b.Fatal(err)
		}
		peer := peerAddr(family, PeerDropPort, lab.SUT().Interface(tcpLink))
		cfg.Peer = peer.String()
		a := peer.Addr()
		if family == tcpchurn.Mapped {
			a = a.Unmap()
		}
		args = append(args, a.String(), strconv.Itoa(int(peer.Port())))
	}
	if cbin == "" {
		m, err := tcpchurn.Run(ctx, probePath, cfg, lab.SUT().Start)
		if err != nil || m.FirstFailure != nil || m.Iterations != count {
			b.Fatalf("probe: %v %+v", err, m.FirstFailure)
		}
		return m.Rate
	}
	cmd := exec.Command(cbin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := lab.SUT().Start(cmd); err != nil {
		b.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("%s %v: %v\n%s", cbin, args, err, out.String())
	}
	m := cRate.FindStringSubmatch(out.String())
	if m == nil {
		b.Fatalf("no rate in:\n%s", out.String())
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	if v <= 0 {
		b.Fatal(fmt.Errorf("rate %v", v))
	}
	return v
}
