package doctor

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/topology"
)

func needRoot(tb testing.TB) {
	tb.Helper()
	if err := topology.CheckPrivileges(); err != nil {
		tb.Skipf("needs root: the doctor creates a namespace, a veth pair, an NFQUEUE rule and a cgroup (%v)", err)
	}
}

// TestCheckLinuxReal runs the doctor on this machine and holds each row to
// what can be told independently, then checks that nothing is left.
func TestCheckLinuxReal(t *testing.T) {
	needRoot(t)
	runID := topology.NewRunID()
	r := Check(context.Background(), Options{RunID: runID})
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	_, iptablesErr := exec.LookPath("iptables")
	_, ipv6Err := os.Stat("/proc/sys/net/ipv6")
	want := map[Need]Status{
		NeedRoot: StatusOK, NeedSuites: StatusOK, NeedNetns: StatusOK, NeedVeth: StatusOK, NeedAFPacket: StatusOK,
		NeedIPv6: StatusOK, NeedIptables: StatusOK,
	}
	if ipv6Err != nil {
		want[NeedIPv6] = StatusMissing
	}
	if iptablesErr != nil {
		want[NeedIptables], want[NeedNFQueue] = StatusMissing, StatusBlocked
	}
	for _, it := range r.Items {
		t.Logf("%-10s %-8s %6.1f ms  %s", it.Need, it.Status, float64(it.Duration.Microseconds())/1000, it.Detail)
		if w, ok := want[it.Need]; ok && it.Status != w {
			t.Errorf("%s: %s (%s), want %s", it.Need, it.Status, it.Detail, w)
		}
		// The rest depend on the kernel's configuration; on a machine with
		// root they are decided either way, never left unknown.
		if it.Status == StatusUnknown {
			t.Errorf("%s could not be decided: %s", it.Need, it.Detail)
		}
	}
	t.Logf("whole doctor: %v", r.Elapsed)

	// Nothing of the run's is left: no namespace, no cgroup.
	if _, err := os.Stat(filepath.Join("/run/netns", DoctorNamespace(runID, os.Getpid()))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("scratch namespace left behind (%v)", err)
	}
	left, err := topology.Leftovers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range left {
		if l.RunID == runID {
			t.Errorf("left behind: %s", l.Name)
		}
	}
	if groups, err := cgroup.CleanupRun(runID); err != nil || len(groups) > 0 {
		t.Errorf("cgroups of the run left behind: %v (%v)", groups, err)
	}
}

// TestCheckLinuxLeavesNothingWhenInterrupted: a doctor stopped before it
// starts still undoes nothing wrongly and creates nothing.
func TestCheckLinuxInterrupted(t *testing.T) {
	needRoot(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	runID := topology.NewRunID()
	r := Check(ctx, Options{RunID: runID})
	for _, it := range r.Items {
		if it.Status != StatusUnknown || !strings.Contains(it.Detail, "interrupted") {
			t.Errorf("%s: %s %q", it.Need, it.Status, it.Detail)
		}
	}
	if r.ExitCode() != ExitNoProbe {
		t.Errorf("exit %d", r.ExitCode())
	}
	if _, err := os.Stat(filepath.Join("/run/netns", DoctorNamespace(runID, os.Getpid()))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("namespace exists (%v)", err)
	}
}

// BenchmarkCheck measures the whole Linux doctor, as `netconform run` would
// call it before every run (figure in the README).
func BenchmarkCheck(b *testing.B) {
	needRoot(b)
	for b.Loop() {
		r := Check(context.Background(), Options{})
		if r.Error != "" {
			b.Fatal(r.Error)
		}
	}
}
