package cfil

import (
	"context"
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/topology"
)

// sutIPv4 is the SUT's address on the lab link: datagrams between two
// sockets bound to it travel the SUT's own output and input paths, as in the
// macOS report (a socket bound to an interface address, sending to it).
var sutIPv4 = netip.MustParseAddr("192.0.2.1")

// newLabSUT builds a one-link lab in its own namespaces and returns its SUT;
// the lab is removed when the test ends.
func newLabSUT(t *testing.T) topology.SUT {
	t.Helper()
	drv := labtest.Driver(t)
	lab := topology.Lab{Name: "cfil", Links: []topology.Link{{
		Name: "l0", SUTIf: "sut0", SUTMAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01},
		SUTIPv4: netip.PrefixFrom(sutIPv4, 24),
	}}}
	inst, err := drv.Realize(context.Background(), lab, topology.Options{RunID: topology.NewRunID()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := inst.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	return inst.SUT()
}

// startFilter starts a filter and closes it at the end of the test.
func startFilter(t *testing.T, sut topology.SUT, cfg FilterConfig) *Filter {
	t.Helper()
	f, err := StartFilter(context.Background(), sut, cfg)
	if err != nil {
		t.Fatalf("StartFilter(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func snapshot(t *testing.T, sut topology.SUT) State {
	t.Helper()
	s, err := Snapshot(context.Background(), sut)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitGoroutines waits until no more than n goroutines run, so a loop that
// outlives Close fails the test instead of leaking into the next one.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
