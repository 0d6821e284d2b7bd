package topology

import (
	"context"
	"os"
	"time"
)

// Leftovers lists the feth interfaces and sysctl changes that netconform runs
// recorded in their state files, with whether the owner still runs.
func Leftovers() ([]Leftover, error) {
	return leftoversFeth(&darwinHost{}, StateDir)
}

// Cleanup destroys the feth interfaces of runs that are dead (or, with all,
// of every run but this process), restores the sysctls they changed and
// removes their state files. Only names listed in a state file and shaped
// fethN are ever destroyed.
func Cleanup(all bool) ([]Leftover, error) {
	if err := CheckPrivileges(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return cleanupFeth(ctx, &darwinHost{}, StateDir, all, os.Getpid())
}
