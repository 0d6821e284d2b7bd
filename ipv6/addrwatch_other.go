//go:build !linux

package ipv6

import (
	"context"
	"time"

	"github.com/netconform/netconform/topology"
)

// addressWatch on macOS re-reads the addresses every pollEvery: the routing
// socket's RTM_NEWADDR would be the event, but nothing of it has run on a Mac
// yet, and a missed message must not turn into a wait to the deadline.
type addressWatch struct{}

const pollEvery = 10 * time.Millisecond

func watchAddresses(topology.SUT) (*addressWatch, error) { return &addressWatch{}, nil }

// watchTables re-reads the tables every pollEvery too (the routing
// socket's messages would be the events; see addressWatch).
func watchTables(topology.SUT) (*addressWatch, error) { return &addressWatch{}, nil }

func (w *addressWatch) wait(ctx context.Context, deadline time.Time) error {
	t := time.NewTimer(max(0, min(time.Until(deadline), pollEvery)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (w *addressWatch) close() {}
