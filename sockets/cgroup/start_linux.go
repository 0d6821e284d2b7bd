package cgroup

import (
	"fmt"
	"os/exec"
	"syscall"
)

// Start wraps a start function (nil: cmd.Start) so the process runs in the
// group before it does anything the limit must see.
//
// v2: the process is created inside the group (clone3 CLONE_INTO_CGROUP via
// SysProcAttr.UseCgroupFD), so nothing escapes the limit. next must keep the
// SysProcAttr fields it finds.
//
// v1: there is no such clone flag; the pid is written to cgroup.procs as soon
// as next returns. The process must wait for a go-ahead (the probe's
// --wait-stdin, which churn.Run uses) so its measured work happens after the
// move. If the move fails the process is killed and the error returned.
//
// In both cases the group's usage right after placement is kept as the
// baseline (Baseline).
func (g *Group) Start(next func(*exec.Cmd) error) func(*exec.Cmd) error {
	if next == nil {
		next = (*exec.Cmd).Start
	}
	return func(cmd *exec.Cmd) error {
		if g.Version == 2 {
			if cmd.SysProcAttr == nil {
				cmd.SysProcAttr = &syscall.SysProcAttr{}
			}
			cmd.SysProcAttr.UseCgroupFD = true
			cmd.SysProcAttr.CgroupFD = g.dirFD
			if err := next(cmd); err != nil {
				return err
			}
		} else {
			if err := next(cmd); err != nil {
				return err
			}
			if err := g.AddProcess(cmd.Process.Pid); err != nil {
				cmd.Process.Kill()
				return fmt.Errorf("moving pid %d into %s: %w", cmd.Process.Pid, g.Path, err)
			}
		}
		g.baseline, _ = g.Usage()
		return nil
	}
}

// Baseline is the group's memory use right after the last Start placed a
// process in it (v1: close to 0, the start-up stayed with the parent; v2:
// whatever the process had allocated by then).
func (g *Group) Baseline() int64 { return g.baseline }
