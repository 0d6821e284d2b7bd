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
	o, err := RunProbe(ctx, p.Probe, probeArgs(p.Config), "iteration", start)
	if err != nil {
		return Measurement{}, err
	}
	if o.Signal != "" {
		m := Measurement{Config: p.Config, Killed: true, Signal: o.Signal, Samples: o.Samples, Wall: o.Wall, Stderr: o.Stderr}
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

// ProbeOutcome is what one run of the probe left behind.
type ProbeOutcome struct {
	// Stdout is the measurement the probe wrote (JSON), when it finished.
	Stdout []byte
	// Samples are its progress lines; Stderr the rest of its stderr, cut
	// to its last StderrLimit bytes.
	Samples []Sample
	Stderr  string
	Wall    check.Duration
	// Signal names the signal that killed the probe ("" when it exited):
	// then Samples are all there is of the measurement.
	Signal string
}

// Decode reads the measurement on the probe's stdout into m.
func (o ProbeOutcome) Decode(m any) error {
	if err := json.Unmarshal(o.Stdout, m); err != nil {
		return fmt.Errorf("probe output is not a measurement: %w (stdout: %q)", err, tail(string(o.Stdout)))
	}
	return nil
}

// RunProbe runs the probe with args, which hold --wait-stdin and --progress:
// the probe waits for a line on its stdin, released only after start
// returns, so whatever start does to place the process (a network
// namespace from a locked thread, a memory cgroup) happens before its first
// socket; nil start means cmd.Start. unit names what the progress lines
// count ("iteration", "connection") in the error of a probe that did not
// finish.
//
// A probe killed by a signal (SIGKILL from the OOM killer) is data, not an
// error: the outcome's Signal is set. RunProbe returns an error only when
// the harness could not measure: probe missing, start failed, ctx ended,
// non-zero exit.
func RunProbe(ctx context.Context, probe string, args []string, unit string, start func(*exec.Cmd) error) (ProbeOutcome, error) {
	if _, err := os.Stat(probe); err != nil {
		return ProbeOutcome{}, fmt.Errorf("%w: %v", ErrProbeMissing, err)
	}
	if start == nil {
		start = (*exec.Cmd).Start
	}
	cmd := exec.CommandContext(ctx, probe, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	// Pipes left open by a stuck grandchild must not hang Wait forever.
	cmd.WaitDelay = 5 * time.Second
	release, err := cmd.StdinPipe()
	if err != nil {
		return ProbeOutcome{}, err
	}
	began := time.Now()
	if err := start(cmd); err != nil {
		release.Close()
		if cmd.Process != nil {
			cmd.Wait() // started, then killed by start (a failed cgroup move): reap it
		}
		return ProbeOutcome{}, fmt.Errorf("start %s: %w", probe, err)
	}
	// The probe is where start put it: let it begin.
	_, werr := io.WriteString(release, "go\n")
	release.Close()
	err = cmd.Wait()
	samples, rest := SplitProgress(stderr.Bytes())
	o := ProbeOutcome{Stdout: stdout.Bytes(), Samples: samples, Stderr: tail(rest), Wall: check.Duration(time.Since(began))}
	if ctx.Err() != nil {
		// Cause, not Err: a caller that cancels with a cause (the cgroup
		// runner passing on its own deadline) keeps it visible.
		last := -1
		if len(samples) > 0 {
			last = samples[len(samples)-1].Iteration
		}
		return ProbeOutcome{}, fmt.Errorf("probe did not finish: %w (last sample at %s %d; stderr: %q)", context.Cause(ctx), unit, last, o.Stderr)
	}
	if ps := cmd.ProcessState; ps != nil {
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			o.Signal = unix.SignalName(ws.Signal())
			if o.Signal == "" {
				o.Signal = ws.Signal().String()
			}
			return o, nil
		}
	}
	if err != nil {
		return ProbeOutcome{}, fmt.Errorf("probe: %w (stderr: %s)", err, o.Stderr)
	}
	if werr != nil {
		return ProbeOutcome{}, fmt.Errorf("releasing probe: %w", werr)
	}
	return o, nil
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

func tail(s string) string {
	if len(s) <= StderrLimit {
		return s
	}
	return "…" + s[len(s)-StderrLimit:]
}
