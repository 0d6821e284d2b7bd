package tcpchurn

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/check"
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
	if _, err := os.Stat(probe); err != nil {
		return Measurement{}, fmt.Errorf("%w: %v", churn.ErrProbeMissing, err)
	}
	if start == nil {
		start = (*exec.Cmd).Start
	}
	cmd := exec.CommandContext(ctx, probe, Args(c)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	release, err := cmd.StdinPipe()
	if err != nil {
		return Measurement{}, err
	}
	began := time.Now()
	if err := start(cmd); err != nil {
		release.Close()
		if cmd.Process != nil {
			cmd.Wait()
		}
		return Measurement{}, fmt.Errorf("start %s: %w", probe, err)
	}
	_, werr := io.WriteString(release, "go\n")
	release.Close()
	err = cmd.Wait()
	wall := time.Since(began)
	if ctx.Err() != nil {
		samples, rest := churn.SplitProgress(stderr.Bytes())
		last := -1
		if len(samples) > 0 {
			last = samples[len(samples)-1].Iteration
		}
		return Measurement{}, fmt.Errorf("probe did not finish: %w (last sample at connection %d; stderr: %q)", context.Cause(ctx), last, tail(rest))
	}
	samples, rest := churn.SplitProgress(stderr.Bytes())
	if ps := cmd.ProcessState; ps != nil {
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			m := Measurement{Config: c, Killed: true, Signal: unix.SignalName(ws.Signal()), Samples: samples,
				Wall: check.Duration(wall), Stderr: tail(rest)}
			if m.Signal == "" {
				m.Signal = ws.Signal().String()
			}
			if len(samples) > 0 {
				m.Iterations = samples[len(samples)-1].Iteration
			}
			return m, nil
		}
	}
	if err != nil {
		return Measurement{}, fmt.Errorf("probe: %w (stderr: %s)", err, tail(rest))
	}
	if werr != nil {
		return Measurement{}, fmt.Errorf("releasing probe: %w", werr)
	}
	var m Measurement
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil {
		return Measurement{}, fmt.Errorf("probe output is not a measurement: %w (stdout: %q)", err, tail(stdout.String()))
	}
	m.Wall = check.Duration(wall)
	m.Stderr = tail(rest)
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

func tail(s string) string {
	if len(s) <= churn.StderrLimit {
		return s
	}
	return "…" + s[len(s)-churn.StderrLimit:]
}
