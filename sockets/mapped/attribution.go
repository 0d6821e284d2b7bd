package mapped

import (
	"context"
	"fmt"
	"time"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/topology"
)

// filterWatch is the content-filter evidence around one check's window: the
// state before the first datagram, and cfil's conclusion after the last.
type filterWatch struct {
	sut    topology.SUT
	before cfil.State
	since  time.Time
}

// watchFilters takes the "before" snapshot. Faults injected by the test
// harness (Env.Setup) are already in place: they are what it must see.
func watchFilters(ctx context.Context, sut topology.SUT) (*filterWatch, error) {
	since := time.Now()
	before, err := cfil.Snapshot(ctx, sut)
	if err != nil {
		return nil, fmt.Errorf("content-filter snapshot before the datagrams: %w", err)
	}
	return &filterWatch{sut: sut, before: before, since: since}, nil
}

// conclude takes the "after" snapshot and returns cfil's attribution.
func (w *filterWatch) conclude(ctx context.Context) (cfil.Attribution, error) {
	after, err := cfil.Snapshot(ctx, w.sut)
	if err != nil {
		return cfil.Attribution{}, fmt.Errorf("content-filter snapshot after the datagrams: %w", err)
	}
	return cfil.Window(ctx, w.before, after, w.since, time.Now()), nil
}
