//go:build !linux && !darwin

package cfil

import (
	"context"
	"runtime"

	"github.com/netconform/netconform/topology"
)

func collectState(context.Context, topology.SUT) (State, error) {
	return State{Errors: []string{"no content-filter evidence is collected on " + runtime.GOOS}}, nil
}
