package cgroup

import (
	"context"
	"errors"
	"fmt"
	"os/exec"

	"github.com/netconform/netconform/sockets/churn"
)

// RunChurn runs one churn measurement in a fresh group
// netconform-<runID>-<name> limited by opt, fills the measurement's Limit
// from the group's counters, and removes the group. start is the caller's
// start function (nil: cmd.Start), wrapped by Group.Start.
func RunChurn(ctx context.Context, runID, name string, opt Options, p churn.RunParams, start func(*exec.Cmd) error) (m churn.Measurement, err error) {
	g, err := New(runID, name, opt)
	if err != nil {
		return churn.Measurement{}, err
	}
	defer func() {
		err = errors.Join(err, g.Remove())
	}()
	m, err = churn.Run(ctx, p, g.Start(start))
	if err != nil {
		// With the v1 OOM killer off, a task whose page fault hits the limit
		// waits until memory frees: say so rather than leave a bare timeout.
		if s, serr := g.Stats(); serr == nil && s.UnderOOM && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: the probe was blocked waiting for memory in %s (memory.oom_control under_oom 1, OOM killer off)", err, g.Path)
		}
		return m, err
	}
	m.Limit = g.Describe()
	return m, nil
}

// Describe is the group as a churn.Limit, counters read now.
func (g *Group) Describe() *churn.Limit {
	l := &churn.Limit{
		Cgroup: g.Path, Version: g.Version, MemoryBytes: g.limit,
		BaselineBytes: g.baseline, OOMKillerDisabled: g.OOMKillerDisabled, Description: g.Note,
	}
	if s, err := g.Stats(); err == nil {
		l.OOMKills, l.Failcnt, l.MaxUsage = s.OOMKills, s.Failcnt, s.MaxUsage
	} else if l.Description == "" {
		l.Description = "reading the group's counters: " + err.Error()
	} else {
		l.Description += "; reading the group's counters: " + err.Error()
	}
	return l
}
