package cgroup

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync/atomic"

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
	// When ctx ends, look at the group before the probe is killed: a probe
	// blocked waiting for memory (v1, OOM killer off) shows under_oom only
	// while it is still there.
	var underOOM atomic.Bool
	runCtx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancel(nil)
	stop := context.AfterFunc(ctx, func() {
		if s, err := g.Stats(); err == nil {
			underOOM.Store(s.UnderOOM)
		}
		cancel(context.Cause(ctx))
	})
	defer stop()
	m, err = churn.Run(runCtx, p, g.Start(start))
	if err != nil {
		if underOOM.Load() {
			err = fmt.Errorf("%w: the probe was blocked waiting for memory in %s (memory.oom_control under_oom 1 with the OOM killer off; v1 parks a task whose page fault hits the limit)", err, g.Path)
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
