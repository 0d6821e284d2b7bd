// Package cgroup runs a probe under a memory limit in a memory cgroup of its
// own (Linux; cgroup v2 when the memory controller is on the unified
// hierarchy, else v1), so a check can see what socket() does when kernel
// memory runs out: ENOBUFS, ENOMEM, ENFILE, or a kill by the OOM killer.
//
// Every group is named netconform-<runid>-<name> and created below the
// caller's own group (v1) or the nearest ancestor that delegates the memory
// controller (v2), so leftovers of a crashed run can be found and removed
// (CleanupRun, CleanupStale) and no existing group's limits are touched.
//
// The package builds on every OS (this file has no build tag) but does
// nothing outside Linux.
package cgroup
