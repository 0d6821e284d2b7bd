//go:build !linux

package churncheck

import (
	"context"

	"github.com/netconform/netconform/sockets/churn"
)

func measureLimited(context.Context, string, string, int64, churn.RunParams, startFunc) (churn.Measurement, error) {
	return churn.Measurement{}, errNoCgroups
}

// CleanupRun has nothing to remove where there are no cgroups.
func CleanupRun(string) error { return nil }
