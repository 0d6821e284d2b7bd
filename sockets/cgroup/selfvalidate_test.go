//go:build linux

package cgroup_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/sockets/churn"
	"github.com/netconform/netconform/sockets/churn/probetest"
)

// tightLimit is below what 250,000 fast AF_INET6 stream cycles need on
// Linux 6.18: closed sockets' inodes are freed after an RCU grace period, so
// a few thousand stay charged at any time (peaks of 5-8 MiB measured). On v1
// the probe's start-up stays charged to the parent, so 2 MiB is all the loop
// gets: measured 3 of 3 OOM kills. On v2 the limit also covers the Go
// runtime's few MiB.
func tightLimit(version int) int64 {
	if version == 2 {
		return 6 << 20
	}
	return 2 << 20
}

// TestChurnUnderTightLimitFails is the second half of the self-validation
// (the first is churn's TestStockChurnPasses): the same probe, held to a
// tight memory limit, must give a fail verdict naming the errno or the kill.
// The OOM killer stays on: with it off, v1 parks a task whose page fault hits
// the limit until memory frees, and the probe can hang.
func TestChurnUnderTightLimitFails(t *testing.T) {
	needRoot(t)
	probe := probetest.Build(t)
	g, err := cgroup.New(runID, "probe-version", cgroup.Options{MemoryLimit: 64 << 20})
	if err != nil {
		t.Skipf("no memory cgroup: %v", err)
	}
	version := g.Version
	g.Remove()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := churn.Config{Family: "inet6", Type: "stream", Count: 250000, Pause: check.Duration(200 * time.Millisecond)}
	m, err := cgroup.RunChurn(ctx, runID, "tight", cgroup.Options{MemoryLimit: tightLimit(version)},
		churn.RunParams{Probe: probe, Config: c}, nil)
	r := churn.EvaluateRun(c, m, err, c.Count)
	t.Logf("v%d, limit %d MiB: %s: %s", version, tightLimit(version)>>20, r.Verdict, r.Reason)
	if r.Verdict != check.Fail {
		t.Fatalf("verdict %s, want fail: %s", r.Verdict, r.Reason)
	}
	if !regexp.MustCompile(`SIGKILL|E[A-Z]+ \(`).MatchString(r.Reason) {
		t.Errorf("reason %q names neither the kill nor an errno", r.Reason)
	}
	if m.Limit == nil || m.Limit.MemoryBytes != tightLimit(version) {
		t.Errorf("measurement's limit %+v", m.Limit)
	}
}

// TestOOMKillerOffUnderTightLimit: with the v1 OOM killer off the probe
// either sees socket() fail (ENOMEM/ENOBUFS measured here) or, more often,
// is parked in a page fault until killed; RunChurn must then say so rather
// than return a bare timeout.
func TestOOMKillerOffUnderTightLimit(t *testing.T) {
	needRoot(t)
	probe := probetest.Build(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c := churn.Config{Family: "inet", Type: "stream", Count: 250000, Pause: check.Duration(100 * time.Millisecond)}
	m, err := cgroup.RunChurn(ctx, runID, "oom-off", cgroup.Options{MemoryLimit: 2 << 20, DisableOOMKiller: true},
		churn.RunParams{Probe: probe, Config: c}, nil)
	if m.Limit != nil && !m.Limit.OOMKillerDisabled {
		t.Skipf("OOM killer could not be disabled here (%s)", m.Limit.Description)
	}
	r := churn.EvaluateRun(c, m, err, c.Count)
	t.Logf("%s: %s", r.Verdict, r.Reason)
	switch {
	case err != nil && strings.Contains(err.Error(), "blocked waiting for memory"):
	case err == nil && r.Verdict == check.Fail && m.FirstFailure != nil:
	default:
		t.Errorf("want a named OOM wait or an errno failure, got %s: %s", r.Verdict, r.Reason)
	}
}
