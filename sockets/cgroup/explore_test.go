//go:build linux

package cgroup_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/sockets/churn"
	"github.com/netconform/netconform/sockets/churn/probetest"
)

// TestExploreLimits answers "what does socket() return under a tight memory
// limit on this machine?" for every family and type, limit and OOM-killer
// setting, and logs a table. It takes ten minutes or so (a probe that hangs costs 6 s), so it runs only with
// NETCONFORM_EXPLORE=1 (go test -run ExploreLimits -v ./sockets/cgroup).
func TestExploreLimits(t *testing.T) {
	needRoot(t)
	if os.Getenv("NETCONFORM_EXPLORE") != "1" {
		t.Skip("set NETCONFORM_EXPLORE=1 to explore socket() under memory limits")
	}
	probe := probetest.Build(t)
	const repeats = 3
	for _, ft := range [][2]string{{"inet6", "stream"}, {"inet6", "dgram"}, {"inet", "stream"}, {"inet", "dgram"}} {
		for _, mib := range []int64{2, 4, 8} {
			for _, noOOM := range []bool{false, true} {
				var outcomes []string
				for i := range repeats {
					name := fmt.Sprintf("x-%s%s-%d-%v-%d", ft[0], ft[1], mib, noOOM, i)
					ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
					m, err := cgroup.RunChurn(ctx, runID, name,
						cgroup.Options{MemoryLimit: mib << 20, DisableOOMKiller: noOOM},
						churn.RunParams{Probe: probe, Config: churn.Config{Family: ft[0], Type: ft[1], Count: 250000, Pause: check.Duration(200 * time.Millisecond)}}, nil)
					cancel()
					outcomes = append(outcomes, outcome(m, err))
				}
				t.Logf("%-6s %-6s limit %d MiB oom-killer-off=%-5v: %v", ft[0], ft[1], mib, noOOM, outcomes)
			}
		}
	}
}

func outcome(m churn.Measurement, err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "hang(no exit in 6s)"
	case err != nil:
		msg, _, _ := strings.Cut(err.Error(), " (stderr:")
		if strings.Contains(err.Error(), "SIGSEGV") {
			msg += ": Go runtime SIGSEGV"
		}
		return "harness: " + msg
	case m.Killed:
		return fmt.Sprintf("%s@>=%d(oom_kill=%d)", m.Signal, m.Iterations, m.Limit.OOMKills)
	case m.FirstFailure != nil:
		rec := "recovered"
		if !m.Recovery.Recovered {
			rec = "not-recovered"
		}
		return fmt.Sprintf("%s@%d(%s,%s)", m.FirstFailure.Errno, m.FirstFailure.Iteration, m.FirstFailure.Call, rec)
	default:
		return fmt.Sprintf("pass(max %.1fMiB)", float64(m.Limit.MaxUsage)/(1<<20))
	}
}
