package main

import "github.com/netconform/netconform/sockets/cgroup"

// Memory cgroups exist only on Linux: the churn probes run in them.

// cleanupStaleCgroups removes groups of runs that ended without removing
// them (an empty group costs little, but leftovers must be findable).
func cleanupStaleCgroups() ([]string, error) { return cgroup.CleanupStale(cgroup.Prefix) }

// cleanupRunCgroups removes every group of one run, killing what is inside.
func cleanupRunCgroups(runID string) ([]string, error) { return cgroup.CleanupRun(runID) }
