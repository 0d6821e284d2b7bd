package churncheck

import (
	"context"
	"errors"

	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// measureTCPLimited runs the TCP probe in a memory cgroup of its own, the
// OOM killer on (as for the socket churn: see measureLimited), and records
// the group's counters in the measurement.
func measureTCPLimited(ctx context.Context, runID, name string, limit int64, probe string, cfg tcpchurn.Config, start startFunc) (m tcpchurn.Measurement, err error) {
	g, err := cgroup.New(runID, name, cgroup.Options{MemoryLimit: limit})
	if err != nil {
		return tcpchurn.Measurement{}, err
	}
	defer func() { err = errors.Join(err, g.Remove()) }()
	m, err = tcpchurn.Run(ctx, probe, cfg, g.Start(start))
	if err != nil {
		return m, err
	}
	m.Limit = g.Describe()
	return m, nil
}
