//go:build !linux

package cfil

import (
	"context"
	"runtime"

	"github.com/netconform/netconform/topology"
)

// StartFilter is Linux-only. On macOS a real content filter is a Network
// Extension (a signed system extension the user approves), which the suite
// cannot install; checks there observe the filter the machine already has.
func StartFilter(_ context.Context, _ topology.SUT, cfg FilterConfig) (*Filter, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if runtime.GOOS == "darwin" {
		return nil, unsupported("no user-space filter on darwin: a macOS content filter is a Network Extension system extension, which netconform cannot install")
	}
	return nil, unsupported("no user-space filter on %s (NFQUEUE is Linux-only)", runtime.GOOS)
}
