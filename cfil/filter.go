package cfil

import (
	"sync"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// Filter is a running user-space filter in a SUT's network context.
type Filter struct {
	cfg      FilterConfig
	sut      topology.SUT
	verdicts *verdicts

	closeOnce sync.Once
	closeErr  error
	rules     []string
	stop      func() error // removes the rules, then stops the loop
}

// Stats returns what the filter has seen and decided so far.
func (f *Filter) Stats() FilterStats { return f.verdicts.snapshot() }

// SeenFrom is how many UDP or TCP packets the filter was given from the
// given source ports: a check whose sockets each have a port of their own
// tells with it which of its cases went through the filter.
func (f *Filter) SeenFrom(ports ...uint16) int { return f.verdicts.seenFrom(ports) }

// Rules lists the rules the filter installed, as iptables-save prints them
// (without counters): evidence of what was put on the path, and of a filter
// that is IPv4-only because ip6tables is missing.
func (f *Filter) Rules() []string { return append([]string(nil), f.rules...) }

// Config returns the configuration the filter was started with.
func (f *Filter) Config() FilterConfig { return f.cfg }

// Close removes the rules and stops the verdict loop; it returns once the
// loop's goroutine has ended. It is idempotent: later calls return the first
// call's result.
func (f *Filter) Close() error {
	f.closeOnce.Do(func() {
		running.remove(f)
		if f.stop != nil {
			f.closeErr = f.stop()
		}
	})
	return f.closeErr
}

// FilterState is a running filter as a Snapshot records it: the filter's own
// account of its verdicts, which the kernel's queue counters cannot give.
type FilterState = observation.UserFilterState

// running holds the filters this process has started and not closed, so
// that Snapshot can put their verdicts beside the kernel's counters.
var running filterRegistry

type filterRegistry struct {
	mu      sync.Mutex
	filters []*Filter
}

func (r *filterRegistry) add(f *Filter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.filters = append(r.filters, f)
}

func (r *filterRegistry) remove(f *Filter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, g := range r.filters {
		if g == f {
			r.filters = append(r.filters[:i], r.filters[i+1:]...)
			return
		}
	}
}

// on lists the states of the filters running on sut.
func (r *filterRegistry) on(sut topology.SUT) []FilterState {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []FilterState
	for _, f := range r.filters {
		if sameSUT(f.sut, sut) {
			out = append(out, FilterState{Queue: f.cfg.Queue, Table: tableName(f.cfg), Hook: f.cfg.Hook, Mode: f.cfg.Mode, FilterStats: f.Stats()})
		}
	}
	return out
}

// sameSUT compares two SUTs without panicking on an implementation whose
// dynamic type is not comparable (such SUTs are never considered the same).
func sameSUT(a, b topology.SUT) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// tableName is the table a FilterState records: empty for filter.
func tableName(c FilterConfig) string {
	if c.table() == "filter" {
		return ""
	}
	return c.table()
}
