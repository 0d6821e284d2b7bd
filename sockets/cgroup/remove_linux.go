package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sys/unix"
)

// exitWait bounds how long Remove waits for one killed process to exit.
const exitWait = 5 * time.Second

// Remove kills any process left in the group and removes it.
func (g *Group) Remove() error {
	if g.dirFD >= 0 {
		unix.Close(g.dirFD)
		g.dirFD = -1
	}
	return removeGroup(g.Path)
}

// removeGroup lifts the limit (a task blocked waiting for memory with the v1
// OOM killer off must be able to run to its exit), kills what is left, and
// removes the directory.
func removeGroup(dir string) error {
	liftLimit(dir)
	if err := killAll(dir); err != nil {
		return err
	}
	return rmdir(dir)
}

func liftLimit(dir string) {
	// v1: memsw (if any) must stay >= memory, so lift it first.
	for _, f := range []struct{ file, value string }{
		{"memory.memsw.limit_in_bytes", "-1"},
		{"memory.limit_in_bytes", "-1"},
		{"memory.max", "max"},
	} {
		os.WriteFile(filepath.Join(dir, f.file), []byte(f.value), 0)
	}
}

// killAll SIGKILLs every process in dir and waits for each to exit, through
// pidfds: a pid is signalled only if, once pinned by its pidfd, it is still
// in the group (a recycled pid is never hit), and its exit is awaited by
// polling the pidfd, not by sleeping.
func killAll(dir string) error {
	for round := 0; round < 10; round++ {
		pids, err := readProcs(dir)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if len(pids) == 0 {
			return nil
		}
		for _, pid := range pids {
			if err := killAndWait(dir, pid); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("cgroup %s: processes keep appearing after 10 rounds of SIGKILL", dir)
}

func killAndWait(dir string, pid int) error {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		if err == unix.ESRCH {
			return nil // already gone
		}
		return fmt.Errorf("pidfd_open %d: %w", pid, err)
	}
	defer unix.Close(fd)
	if pids, err := readProcs(dir); err != nil || !slices.Contains(pids, pid) {
		return nil // left the group (or the group is gone) before we pinned it
	}
	if err := unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0); err != nil && err != unix.ESRCH {
		return fmt.Errorf("killing %d in %s: %w", pid, dir, err)
	}
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	deadline := time.Now().Add(exitWait)
	for {
		n, err := unix.Poll(fds, int(time.Until(deadline).Milliseconds()))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("waiting for %d to exit: %w", pid, err)
		}
		if n == 0 {
			return fmt.Errorf("pid %d in %s did not exit within %v of SIGKILL", pid, dir, exitWait)
		}
		return nil
	}
}

// rmdir removes a group whose processes have exited. v1 offers no event for
// "now empty", and a killed task can take a moment to leave the group's
// accounting, so EBUSY is retried a few times with a short backoff.
func rmdir(dir string) error {
	delay := time.Millisecond
	for {
		err := unix.Rmdir(dir)
		if err == nil || err == unix.ENOENT {
			return nil
		}
		if err != unix.EBUSY || delay > 500*time.Millisecond {
			return fmt.Errorf("removing cgroup %s: %w", dir, err)
		}
		time.Sleep(delay)
		delay *= 2
	}
}
