package cfil

import (
	"context"
	"runtime"
	"time"

	"github.com/netconform/netconform/topology"
)

// Snapshot reads the content-filter evidence of sut now. What cannot be read
// is listed in State.Errors; the error return is for a SUT that cannot be
// reached at all (or a cancelled ctx).
func Snapshot(ctx context.Context, sut topology.SUT) (State, error) {
	if err := ctx.Err(); err != nil {
		return State{OS: runtime.GOOS}, err
	}
	s, err := collectState(ctx, sut)
	s.OS = runtime.GOOS
	s.Filters = running.on(sut)
	return s, err
}

// Window collects the kernel log lines for [since, until] (macOS: CFIL lines
// of `log show`; Linux: none, and no error) and builds the Attribution from
// the two states.
func Window(ctx context.Context, before, after State, since, until time.Time) Attribution {
	switch after.OS {
	case "darwin":
		events, problems := cfilLogEvents(ctx, since, until)
		a := xnuAttribution(before, after, eventsInWindow(events, since, until))
		a.Errors = problems
		return a
	case "linux":
		return linuxAttribution(before, after)
	}
	return Attribution{Before: before, After: after,
		Summary: "no content-filter evidence collected on " + after.OS,
		Errors:  []string{unsupported("no content-filter evidence is collected on %q (only linux and darwin)", after.OS).Error()}}
}
