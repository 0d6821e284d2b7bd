package cgroup

import (
	"context"
	"errors"
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
