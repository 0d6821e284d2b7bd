//go:build linux

package cgroup_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/sockets/churn/probetest"
)

// runID names this test binary's groups; CleanupRun removes whatever a
// failed test left behind.
var runID = "test" + strconv.Itoa(os.Getpid())

func TestMain(m *testing.M) {
	code := m.Run()
	if os.Geteuid() == 0 {
		cgroup.CleanupRun(runID)
	}
	probetest.Cleanup()
	os.Exit(code)
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (CAP_SYS_ADMIN) to create cgroups")
	}
}
