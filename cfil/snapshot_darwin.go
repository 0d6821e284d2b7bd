package cfil

import (
	"context"
	"errors"
	"os/exec"

	"github.com/netconform/netconform/topology"
)

// collectState reads the net.cfil sysctls. On macOS the SUT is this machine:
// the commands run in its (only) network context.
func collectState(ctx context.Context, sut topology.SUT) (State, error) {
	list, err := runInSUT(ctx, sut, "sysctl", "net.cfil")
	if err != nil && !errors.Is(err, exec.ErrNotFound) {
		return State{OS: "darwin"}, err
	}
	// -x, not -o: -o prints only the first 16 bytes of an opaque value.
	stats, err2 := runInSUT(ctx, sut, "sysctl", "-x", sysctlStats)
	if err2 != nil && !errors.Is(err2, exec.ErrNotFound) {
		return State{OS: "darwin"}, err2
	}
	return xnuState(list.Stdout+list.Stderr, errors.Join(err, list.Err), stats.Stdout+stats.Stderr, errors.Join(err2, stats.Err)), nil
}
