package accounting

import (
	"context"
	"os/exec"

	"github.com/netconform/netconform/topology"
)

// Take runs the tools whose output users attach to the macOS 26 reports:
// the pcb counts, netstat -m and zprint for both socket zones (darwin.go).
func Take(ctx context.Context, _ topology.SUT) Snapshot {
	return takeDarwin(ctx, func(ctx context.Context, name string, args ...string) ([]byte, error) {
		return exec.CommandContext(ctx, name, args...).Output()
	})
}
