package churn

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/check"
)

// RunParams is what Run needs: the probe binary and the loop to run.
type RunParams struct {
	// Probe is the path of the netconform-probe binary.
	Probe string
	Config
}

// StderrLimit bounds the stderr text kept in a Measurement.
const StderrLimit = 8 << 10

// ErrProbeMissing is returned (wrapped) when the probe binary is not there.
var ErrProbeMissing = errors.New("probe binary missing")

// Run runs one churn loop in the probe and returns its Measurement.
//
// start starts the command; the caller uses it to start the probe inside a
// network namespace from a locked thread, or inside a memory cgroup. nil means
// cmd.Start. The probe is started with --wait-stdin and released by a line on
// its stdin only after start returns, so whatever start does to place the
// process (move it into a cgroup) happens before the first socket.
//
// A probe killed by a signal (SIGKILL from the OOM killer) is data, not an
// error: the Measurement comes back with Killed and Signal set. Run returns an
// error only when the harness could not measure: probe missing, start failed,
// ctx ended, non-zero exit, unparseable output.
func Run(ctx context.Context, p RunParams, start func(*exec.Cmd) error) (Measurement, error) {
	if err := p.Config.Validate(); err != nil {
		return Measurement{}, err
	}
	if _, err := os.Stat(p.Probe); err != nil {
		return Measurement{}, fmt.Errorf("%w: %v", ErrProbeMissing, err)
	}
	if start == nil {
		start = (*exec.Cmd).Start
	}
	cmd := exec.CommandContext(ctx, p.Probe, probeArgs(p.Config)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// Pipes left open by a stuck grandchild must not hang Wait forever.
	cmd.WaitDelay = 5 * time.Second
	release, err := cmd.StdinPipe()
	if err != nil {
		return Measurement{}, err
	}
	began := time.Now()
	if err := start(cmd); err != nil {
		release.Close()
		if cmd.Process != nil {
			cmd.Wait() // started, then killed by start (a failed cgroup move): reap it
		}
		return Measurement{}, fmt.Errorf("start %s: %w", p.Probe, err)
	}
	// The probe is where start put it: let it begin.
	_, werr := io.WriteString(release, "go\n")
	release.Close()
	err = cmd.Wait()
	wall := time.Since(began)
	if ctx.Err() != nil {
		// Cause, not Err: a caller that cancels with a cause (the cgroup
		// runner passing on its own deadline) keeps it visible.
		samples, rest := SplitProgress(stderr.Bytes())
		last := -1
		if len(samples) > 0 {
			last = samples[len(samples)-1].Iteration
		}
		return Measurement{}, fmt.Errorf("probe did not finish: %w (last sample at iteration %d; stderr: %q)", context.Cause(ctx), last, tail(rest))
	}
	return parseOutcome(p.Config, stdout.Bytes(), stderr.Bytes(), cmd.ProcessState, err, werr, wall)
}

// parseOutcome turns what the probe left behind into a Measurement.
func parseOutcome(c Config, stdout, stderr []byte, ps *os.ProcessState, waitErr, releaseErr error, wall time.Duration) (Measurement, error) {
	samples, rest := SplitProgress(stderr)
	if ps != nil {
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			m := Measurement{Config: c, Killed: true, Signal: unix.SignalName(ws.Signal()), Samples: samples}
			if m.Signal == "" {
				m.Signal = ws.Signal().String()
			}
			if len(samples) > 0 {
				m.Iterations = samples[len(samples)-1].Iteration
			}
			m.Wall = durationOf(wall)
			m.Stderr = tail(rest)
			return m, nil
		}
	}
	if waitErr != nil {
		return Measurement{}, fmt.Errorf("probe: %w (stderr: %s)", waitErr, tail(rest))
	}
	if releaseErr != nil {
		return Measurement{}, fmt.Errorf("releasing probe: %w", releaseErr)
	}
	var m Measurement
	if err := json.Unmarshal(stdout, &m); err != nil {
		return Measurement{}, fmt.Errorf("probe output is not a measurement: %w (stdout: %q)", err, tail(string(stdout)))
	}
	m.Wall = durationOf(wall)
	m.Stderr = tail(rest)
	return m, nil
}

func probeArgs(c Config) []string {
	args := []string{"churn",
		"--family", c.Family,
		"--type", c.Type,
		"--count", strconv.Itoa(c.Count),
		"--sample-every", strconv.Itoa(c.SampleEvery),
		"--wait-stdin", "--progress",
	}
	if c.Pause > 0 {
		args = append(args, "--pause", time.Duration(c.Pause).String())
	}
	if c.RecoverTries > 0 {
		args = append(args, "--recover-tries", strconv.Itoa(c.RecoverTries))
	}
	return args
}

func durationOf(d time.Duration) check.Duration { return check.Duration(d) }

func tail(s string) string {
	if len(s) <= StderrLimit {
		return s
	}
	return "…" + s[len(s)-StderrLimit:]
}
