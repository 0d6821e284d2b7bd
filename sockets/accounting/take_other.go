//go:build !linux && !darwin

package accounting

import (
	"context"
	"time"

	"github.com/netconform/netconform/topology"
)

// Take has no source to read on this OS; it says so rather than pretend.
func Take(context.Context, topology.SUT) Snapshot {
	return Snapshot{Time: time.Now(), Counters: map[string]int64{}, Errors: []string{"no socket accounting source on this OS (netconform reads Linux's and macOS's)"}}
}
