package churncheck

import (
	"context"

	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/sockets/churn"
)

// measureLimited runs the probe in a memory cgroup of its own. The OOM
// killer stays on: with it off, a cgroup v1 group makes the probe wait for
// memory forever instead of failing socket() (measured on Linux 6.18), and
// a kill is a truthful outcome the verdict reports.
func measureLimited(ctx context.Context, runID, name string, limit int64, p churn.RunParams, start startFunc) (churn.Measurement, error) {
	return cgroup.RunChurn(ctx, runID, name, cgroup.Options{MemoryLimit: limit}, p, start)
}

// CleanupRun removes whatever memory cgroups run runID left (a probe killed
// mid-run with its group): the suites call it when they end.
func CleanupRun(runID string) error {
	_, err := cgroup.CleanupRun(runID)
	return err
}
