package churn_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
	"github.com/netconform/netconform/sockets/churn/probetest"
)

// TestStockChurnPasses is the first half of the self-validation: the seed's
// loop (250,000 AF_INET6 SOCK_STREAM create+close cycles) passes on a stock
// Linux kernel, with samples to chart.
func TestStockChurnPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 250,000 socket cycles")
	}
	probe := probetest.Build(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := churn.Config{Family: "inet6", Type: "stream", Count: 250000}
	m, err := churn.Run(ctx, churn.RunParams{Probe: probe, Config: c}, nil)
	r := churn.EvaluateRun(c, m, err, c.Count)
	if r.Verdict != check.Pass {
		t.Fatalf("stock churn: %s: %s", r.Verdict, r.Reason)
	}
	t.Logf("%s: %s", r.ID, r.Reason)
	// One before the loop and one every count/25 cycles.
	if len(m.Samples) != churn.DefaultSamples+1 {
		t.Errorf("%d samples, want %d", len(m.Samples), churn.DefaultSamples+1)
	}
	last := m.Samples[len(m.Samples)-1]
	if last.Iteration != c.Count || last.Counters["sockstat.sockets.used"] == 0 {
		t.Errorf("last sample %+v: want iteration %d with sockstat counters", last, c.Count)
	}
	if m.Wall <= 0 || m.Rate <= 0 {
		t.Errorf("wall %v rate %v: want both positive", m.Wall, m.Rate)
	}
}

func TestRunProbeMissing(t *testing.T) {
	c := churn.Config{Family: "inet6", Type: "stream", Count: 10}
	_, err := churn.Run(context.Background(), churn.RunParams{Probe: filepath.Join(t.TempDir(), "nope"), Config: c}, nil)
	if !errors.Is(err, churn.ErrProbeMissing) {
		t.Fatalf("err = %v, want ErrProbeMissing", err)
	}
	if r := churn.EvaluateRun(c, churn.Measurement{}, err, 10); r.Verdict != check.Error {
		t.Errorf("verdict %s, want error", r.Verdict)
	}
}

func TestRunUnparseableOutput(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "fake-probe")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nread line\necho 'not json'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := churn.Config{Family: "inet6", Type: "stream", Count: 10}
	_, err := churn.Run(context.Background(), churn.RunParams{Probe: fake, Config: c}, nil)
	if err == nil || !strings.Contains(err.Error(), "not a measurement") {
		t.Fatalf("err = %v, want an unparseable-output error", err)
	}
}

// TestRunKilledIsData: a probe ended by SIGKILL comes back as a Measurement
// marked Killed, not as an error.
func TestRunKilledIsData(t *testing.T) {
	probe := probetest.Build(t)
	killAtStart := func(cmd *exec.Cmd) error {
		if err := cmd.Start(); err != nil {
			return err
		}
		return cmd.Process.Signal(syscall.SIGKILL)
	}
	c := churn.Config{Family: "inet6", Type: "stream", Count: 10}
	m, err := churn.Run(context.Background(), churn.RunParams{Probe: probe, Config: c}, killAtStart)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Killed || m.Signal != "SIGKILL" {
		t.Fatalf("killed=%v signal=%q, want SIGKILL", m.Killed, m.Signal)
	}
	if r := churn.Evaluate(m, c.Count); r.Verdict != check.Fail || !strings.Contains(r.Reason, "SIGKILL") {
		t.Errorf("%s %q", r.Verdict, r.Reason)
	}
}
