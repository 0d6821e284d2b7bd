//go:build !linux

package main

// No memory cgroups outside Linux: the churn probe runs without a limit there.
func cleanupStaleCgroups() ([]string, error)     { return nil, nil }
func cleanupRunCgroups(string) ([]string, error) { return nil, nil }
