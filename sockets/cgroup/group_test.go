//go:build linux

package cgroup_test

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/netconform/netconform/sockets/cgroup"
)

// startSleeper starts a process that lives until killed, inside g.
func startSleeper(t *testing.T, g *cgroup.Group) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	if err := g.Start(nil)(cmd); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func TestGroupLifecycle(t *testing.T) {
	needRoot(t)
	g, err := cgroup.New(runID, "life", cgroup.Options{MemoryLimit: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(g.Path, "/netconform-"+runID+"-life") {
		t.Errorf("path %s", g.Path)
	}
	cmd := startSleeper(t, g)
	pids, err := g.Procs()
	if err != nil || !slices.Contains(pids, cmd.Process.Pid) {
		t.Fatalf("procs %v (%v), want %d in them", pids, err, cmd.Process.Pid)
	}
	s, err := g.Stats()
	if err != nil || s.Limit != 64<<20 {
		t.Errorf("stats %+v, %v", s, err)
	}
	if err := g.Remove(); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("sleeper ended with %v, want SIGKILL from Remove", err)
	}
	if _, err := os.Stat(g.Path); !os.IsNotExist(err) {
		t.Errorf("%s still there after Remove: %v", g.Path, err)
	}
}

func TestNewRejectsBadNames(t *testing.T) {
	for _, tt := range []struct{ run, name string }{{"a-b", "x"}, {"ok", "../x"}, {"", "x"}, {"ok", ""}} {
		if _, err := cgroup.New(tt.run, tt.name, cgroup.Options{MemoryLimit: 1 << 20}); err == nil {
			t.Errorf("New(%q, %q) accepted", tt.run, tt.name)
		}
	}
}

func TestCleanupStaleAndRun(t *testing.T) {
	needRoot(t)
	empty, err := cgroup.New(runID, "stale-empty", cgroup.Options{MemoryLimit: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	busy, err := cgroup.New(runID, "stale-busy", cgroup.Options{MemoryLimit: 64 << 20})
	if err != nil {
		t.Fatal(err)
	}
	cmd := startSleeper(t, busy)
	defer cmd.Wait()

	removed, err := cgroup.CleanupStale(cgroup.Prefix + runID + "-stale-")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{empty.Path}) {
		t.Errorf("CleanupStale removed %v, want only %s", removed, empty.Path)
	}
	if _, err := os.Stat(busy.Path); err != nil {
		t.Fatalf("CleanupStale removed a group in use: %v", err)
	}
	removed, err = cgroup.CleanupRun(runID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(removed, busy.Path) {
		t.Errorf("CleanupRun removed %v, want %s among them", removed, busy.Path)
	}
	if _, err := cgroup.CleanupStale("other-"); err == nil {
		t.Error("CleanupStale accepted a prefix outside netconform-")
	}
}
