package cfil

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/netconform/netconform/topology"
)

// commandResult is one program run in the SUT's network context.
type commandResult struct {
	Stdout, Stderr string
	Err            error // the run's error (exit status...), nil on success
}

// output is what to quote in an error: stderr, else stdout.
func (r commandResult) output() string {
	if s := strings.TrimSpace(r.Stderr); s != "" {
		return s
	}
	return strings.TrimSpace(r.Stdout)
}

// runInSUT runs name (looked up in PATH, so a missing binary is reported as
// exec.ErrNotFound before anything runs) inside sut. The error return means
// the binary is missing or the SUT's context could not be entered; the
// program's own failure is in the result.
func runInSUT(ctx context.Context, sut topology.SUT, name string, args ...string) (commandResult, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return commandResult{}, err
	}
	var r commandResult
	doErr := sut.Do(func() error {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, path, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		// C locale: the error texts classified in iptables_errors.go are English.
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		cmd.WaitDelay = 2 * time.Second
		r.Err = cmd.Run()
		r.Stdout, r.Stderr = stdout.String(), stderr.String()
		return nil // fn never fails: a Do error is then about the SUT itself
	})
	if doErr != nil {
		return r, fmt.Errorf("cfil: run %s in the SUT: %w", name, doErr)
	}
	return r, nil
}
