// Package labtest is the set-up the tests of several packages share: a
// lab environment for a check (Env, Driver), the shipped ginkgo.yaml
// (Config), and a fake wire under a topology.Port for the emulated hosts'
// tests (FakePort). It is a normal package so that tests in any package can
// import it; only _test.go files may (TestOnlyTestsImportLabtest).
package labtest

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/topology"
)

// Driver skips tb unless this machine can build labs: the privileges they
// need (topology.CheckPrivileges) and a lab driver for this OS. It returns
// the driver. A test with subtests calls it first, so that it skips once,
// not once per subtest.
func Driver(tb testing.TB) topology.Driver {
	tb.Helper()
	what := "lab test"
	if _, ok := tb.(*testing.B); ok {
		what = "lab benchmark"
	}
	if err := topology.CheckPrivileges(); err != nil {
		tb.Skipf("%s skipped: %v", what, err)
	}
	// ForThisOS fails only on an OS netconform has no driver for: a
	// missing capability, hence a skip.
	drv, err := topology.ForThisOS()
	if err != nil {
		tb.Skipf("%s skipped: %v", what, err)
	}
	return drv
}

// Env is a fresh environment for running the check checkID in labs on this
// machine (it skips as Driver does): a new run id, so that its namespaces
// clash with no other run's; evidence under tb.TempDir(); the stock profile
// (no commands); its progress lines in tb's log. Callers set the rest
// (profile, params, probe, Setup) on the result.
func Env(tb testing.TB, checkID string) *harness.Env {
	tb.Helper()
	return &harness.Env{Driver: Driver(tb), RunID: topology.NewRunID(), ReleaseDir: tb.TempDir(), CheckID: checkID,
		ProfileName: "stock", Profile: config.Profile{}, Log: logWriter{tb}}
}

// Config loads the shipped ginkgo.yaml, at the module's root: the first
// directory up from the test's working directory (its package's) that
// holds go.mod.
func Config(tb testing.TB) *config.Config {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(root, "ginkgo.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("labtest: no go.mod in the working directory or above it: run the tests inside the module")
		}
		dir = up
	}
}

// logWriter writes each progress line of a check to the test's log.
type logWriter struct{ tb testing.TB }

func (w logWriter) Write(b []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// Wire is a topology.RawConn whose reads are the frames the test plays as
// the SUT (send them on In) and whose writes are what the emulated host
// sent back (read them from Out).
type Wire struct {
	// In is unbuffered: a send returns once the port's reader took the frame.
	In chan []byte
	// Out holds up to 16 frames the host wrote, copied.
	Out    chan []byte
	closed chan struct{}
}

// ReadFrame implements topology.RawConn.
func (w *Wire) ReadFrame(b []byte) (int, error) {
	select {
	case f := <-w.In:
		return copy(b, f), nil
	case <-w.closed:
		return 0, errors.New("closed")
	}
}

// WriteFrame implements topology.RawConn.
func (w *Wire) WriteFrame(f []byte) error { w.Out <- append([]byte(nil), f...); return nil }

// Close implements topology.RawConn.
func (w *Wire) Close() error { close(w.closed); return nil }

// FakePort is a topology.Port on link over a fresh Wire, with no capture,
// closed when the test ends.
func FakePort(tb testing.TB, link string) (*topology.Port, *Wire) {
	tb.Helper()
	w := &Wire{In: make(chan []byte), Out: make(chan []byte, 16), closed: make(chan struct{})}
	port, err := topology.NewPort(link, w, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { port.Close() })
	return port, w
}

// MAC parses a MAC address written in the test's source; a typo panics,
// as it would at package initialisation.
func MAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}
