package mapped

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/harness"
)

// filterPath is the content filter a check's datagrams go through: the
// check's own user-space filter (Linux: NFQUEUE, accepting everything), or
// the machine's own content filter (macOS: netconform cannot be one, since
// only Apple platform binaries may open the NECP session that assigns flows
// to a filter: bsd/net/necp.c, necp_session_open, since xnu-8792/macOS 13),
// or none, with the reason.
type filterPath struct {
	own *cfil.Filter
	cfg cfil.FilterConfig
	// agents is net.cfil.active_count when the machine's filter is used.
	agents int64
	// none says why no filter is on the path ("" when one is).
	none string
}

// putFilterOnPath starts the check's own filter with cfg, or, where this
// machine cannot run one, looks for the machine's own. An error is the
// harness failing (no verdict); a missing capability is filterPath.none.
// The own filter is closed with the lab.
func putFilterOnPath(ctx context.Context, lab *harness.Lab, cfg cfil.FilterConfig) (filterPath, error) {
	f, err := cfil.StartFilter(ctx, lab.SUT(), cfg)
	if err == nil {
		lab.OnClose(f.Close)
		return filterPath{own: f, cfg: cfg}, nil
	}
	if !errors.Is(err, cfil.ErrUnsupported) {
		return filterPath{}, fmt.Errorf("harness could not start the user-space filter: %w", err)
	}
	st, serr := cfil.Snapshot(ctx, lab.SUT())
	if serr != nil {
		return filterPath{}, fmt.Errorf("content-filter snapshot: %w", serr)
	}
	n, known := cfil.ActiveAgents(st)
	switch {
	case known && n > 0:
		return filterPath{agents: n}, nil
	case known:
		return filterPath{none: cfil.NoFilterNote + " (net.cfil.active_count 0: no content filter agent is connected on this machine; " + err.Error() + ")"}, nil
	}
	return filterPath{none: cfil.NoFilterNote + " (" + err.Error() + ")"}, nil
}

// record is the filter as an observation records it.
func (fp filterPath) record() FilterRecord {
	switch {
	case fp.own != nil:
		return FilterRecord{Queue: fp.cfg.Queue, Hook: fp.cfg.Where(), Match: fp.cfg.Match, Mode: fp.cfg.Mode, Rules: fp.own.Rules(), FilterStats: fp.own.Stats()}
	case fp.agents > 0:
		return FilterRecord{System: fmt.Sprintf("the machine's own content filter: net.cfil.active_count %d", fp.agents)}
	}
	return FilterRecord{None: fp.none}
}

// stats is what the own filter has decided so far (zero otherwise).
func (fp filterPath) stats() cfil.FilterStats {
	if fp.own == nil {
		return cfil.FilterStats{}
	}
	return fp.own.Stats()
}

// sentence names the filter and what it did, for a reason.
func (fp filterPath) sentence(stats cfil.FilterStats) string {
	if fp.own == nil {
		if fp.agents > 0 {
			return fmt.Sprintf("through the machine's own content filter (net.cfil.active_count %d)", fp.agents)
		}
		return fp.none
	}
	s := fmt.Sprintf("user-space filter (NFQUEUE %d on %s, %s), which saw %d packets and dropped %d", fp.cfg.Queue, fp.cfg.Where(), fp.cfg.Mode, stats.Seen, stats.Dropped)
	if len(stats.DroppedFlows) > 0 {
		s += " (" + strings.Join(stats.DroppedFlows, ", ") + ")"
	}
	return s
}
