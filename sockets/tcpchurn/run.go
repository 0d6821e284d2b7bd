package tcpchurn

import (
	"context"
	"os/exec"
	"strconv"
	"time"

	"github.com/netconform/netconform/sockets/churn"
)

// Run runs the probe's tcp subcommand for c and returns its Measurement.
// start places the probe (in the SUT's namespace, in a memory cgroup); nil
// means cmd.Start. As with churn.Run, the probe waits for a line on stdin
// so that start has placed it before its first socket, a probe killed by a
// signal comes back as data (Killed, Signal, the samples of its progress
// lines), and an error means the harness could not measure.
func Run(ctx context.Context, probe string, c Config, start func(*exec.Cmd) error) (Measurement, error) {
	if err := c.Validate(); err != nil {
		return Measurement{}, err
	}
	o, err := churn.RunProbe(ctx, probe, Args(c), "connection", start)
	if err != nil {
		return Measurement{}, err
	}
	if o.Signal != "" {
		m := Measurement{Config: c, Killed: true, Signal: o.Signal, Samples: o.Samples, Wall: o.Wall, Stderr: o.Stderr}
		if len(o.Samples) > 0 {
			m.Iterations = o.Samples[len(o.Samples)-1].Iteration
		}
		return m, nil
	}
	var m Measurement
	if err := o.Decode(&m); err != nil {
		return Measurement{}, err
	}
	m.Wall, m.Stderr = o.Wall, o.Stderr
	return m, nil
}

// Args are the probe's arguments for c.
func Args(c Config) []string {
	args := []string{"tcp",
		"--pattern", c.Pattern,
		"--family", c.Family,
		"--count", strconv.Itoa(c.Count),
		"--sample-every", strconv.Itoa(c.SampleEvery),
		"--drain", time.Duration(c.Drain).String(),
		"--wait-stdin", "--progress",
	}
	if c.Peer != "" {
		args = append(args, "--peer", c.Peer)
	}
	if c.ListenPort != 0 {
		args = append(args, "--listen-port", strconv.Itoa(c.ListenPort))
	}
	if c.Slack != 0 {
		args = append(args, "--slack", strconv.Itoa(c.Slack))
	}
	if c.Wait != 0 {
		args = append(args, "--wait", time.Duration(c.Wait).String())
	}
	return args
}
