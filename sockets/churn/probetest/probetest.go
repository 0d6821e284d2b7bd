// Package probetest builds the netconform-probe binary for tests and
// benchmarks of the packages that run it.
package probetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once  sync.Once
	path  string
	dir   string
	built error
)

// Build compiles cmd/netconform-probe once per test binary and returns its
// path. The binary lives in a directory removed by Cleanup (call it from
// TestMain), since a per-test TempDir would rebuild it for every test.
func Build(tb testing.TB) string {
	tb.Helper()
	once.Do(func() {
		var out []byte
		out, built = exec.Command("go", "env", "GOMOD").Output()
		if built != nil {
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(out)))
		if dir, built = os.MkdirTemp("", "netconform-probe-"); built != nil {
			return
		}
		path = filepath.Join(dir, "netconform-probe")
		cmd := exec.Command("go", "build", "-o", path, "./cmd/netconform-probe")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			built = &buildError{err: err, out: string(out)}
		}
	})
	if built != nil {
		tb.Fatalf("building netconform-probe: %v", built)
	}
	return path
}

// Cleanup removes the probe built by Build, if any.
func Cleanup() {
	if dir != "" {
		os.RemoveAll(dir)
	}
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }
