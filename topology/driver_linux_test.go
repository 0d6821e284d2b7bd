package topology

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
)

func needPrivileges(tb testing.TB) {
	tb.Helper()
	if err := CheckPrivileges(); err != nil {
		tb.Skipf("lab test skipped: %v", err)
	}
}

func twoRouterLab() Lab {
	l := validLab()
	l.Name = "two"
	l.Links[0].Routers = append(l.Links[0].Routers, Router{Name: "b", MAC: mac("02:00:00:00:0b:01"),
		LinkLocal: netip.MustParseAddr("fe80::b"), Prefixes: []netip.Prefix{netip.MustParsePrefix("2001:db8:b::/64")}})
	l.Routes = []Route{{Dst: netip.MustParsePrefix("::/0"), Src: netip.MustParsePrefix("2001:db8:b::/64"),
		Gateway: netip.MustParseAddr("fe80::b"), Link: "l0"}}
	return l
}

// namespaces lists the named network namespaces whose names contain one of
// the runs' ids (every name when none is given): other tests, and other
// runs, create and remove theirs at the same time (go test runs packages in
// parallel), so a test looks only at its own.
func namespaces(tb testing.TB, runIDs ...string) []string {
	tb.Helper()
	entries, err := os.ReadDir(netnsDir)
	if err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		mine := len(runIDs) == 0
		for _, id := range runIDs {
			mine = mine || strings.Contains(e.Name(), id)
		}
		if mine {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

func TestRealizeAndClose(t *testing.T) {
	needPrivileges(t)
	runID := NewRunID()
	capture := filepath.Join(t.TempDir(), "lab.pcapng")
	inst, err := linuxDriver{}.Realize(context.Background(), twoRouterLab(), Options{RunID: runID, CaptureFile: capture})
	if err != nil {
		t.Fatal(err)
	}
	if up := namespaces(t, runID); len(up) != 2 {
		t.Errorf("the lab's namespaces while it is up: %v, want the SUT's and the wire's", up)
	}
	sut := inst.SUT()
	addrs, err := sut.Addresses("l0")
	if err != nil {
		t.Fatal(err)
	}
	wantLL := netip.MustParseAddr("fe80::ff:fe00:1") // EUI-64 of 02:00:00:00:00:01
	found := false
	for _, a := range addrs {
		found = found || a.Prefix.Addr() == wantLL
	}
	if !found {
		t.Errorf("SUT addresses %v lack the EUI-64 link-local %s", addrs, wantLL)
	}
	routes, err := sut.Routes()
	if err != nil {
		t.Fatal(err)
	}
	srcRoute := false
	for _, r := range routes {
		if r.Src == netip.MustParsePrefix("2001:db8:b::/64") && r.Gateway == netip.MustParseAddr("fe80::b") && r.Interface == "sut0" {
			srcRoute = true
		}
	}
	if !srcRoute {
		t.Errorf("source-specific route missing from %v", routes)
	}
	got, err := sut.RouteGet(netip.MustParseAddr("2001:db8:ffff::1"), netip.MustParseAddr("2001:db8:b::1"))
	if err != nil || got.Gateway != netip.MustParseAddr("fe80::b") {
		t.Errorf("route get from the B prefix = %v, %v; want via fe80::b", got, err)
	}
	got, err = sut.RouteGet(netip.MustParseAddr("2001:db8:ffff::1"), netip.MustParseAddr("2001:db8:a::1"))
	if err != nil || got.Error == "" {
		t.Errorf("route get from the A prefix = %v, %v; want unreachable (no route for it)", got, err)
	}
	out, err := sut.Shell(context.Background(), "cat /proc/sys/net/ipv6/conf/sut0/accept_dad; echo $NC_TEST", []string{"NC_TEST=hello"})
	if err != nil || string(out) != "0\nhello\n" {
		t.Errorf("shell in SUT = %q, %v", out, err)
	}
	// The SUT solicits routers as soon as its link is up: the port must see it.
	port := inst.Port("l0")
	deadline := time.After(5 * time.Second)
	for len(port.Frames()) == 0 {
		select {
		case <-port.Changed():
		case <-deadline:
			t.Fatal("no frame from the SUT within 5s")
		}
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	if left := namespaces(t, runID); len(left) != 0 {
		t.Errorf("namespaces left after Close: %v", left)
	}
	// The capture must be a pcapng a person can open: one interface per
	// link, holding the SUT's frames.
	f, err := os.Open(capture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatalf("capture is not pcapng: %v", err)
	}
	frames := 0
	for {
		_, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		frames++
		if intf, err := r.Interface(ci.InterfaceIndex); err != nil || intf.Name != "l0" {
			t.Errorf("frame on capture interface %d (%v, %v), want link l0", ci.InterfaceIndex, intf.Name, err)
		}
	}
	if frames == 0 {
		t.Error("capture holds no frame")
	}
}

func TestCleanupRemovesDeadRunsOnly(t *testing.T) {
	needPrivileges(t)
	// A namespace named as if by a dead process (pid 1<<22 exceeds pid_max
	// defaults on this kernel... and on most) must go; our own must stay.
	dead := ObjectName(NewRunID(), 4194304+7, 1, "sut")
	ns, err := newNamedNamespace(dead, func() error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	ns.Close()
	inst, err := linuxDriver{}.Realize(context.Background(), validLab(), Options{RunID: NewRunID()})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	removed, err := Cleanup(false)
	if err != nil {
		t.Fatal(err)
	}
	// Other dead runs' leftovers may go too; the dead one must.
	gone := false
	for _, r := range removed {
		gone = gone || r.Name == dead
	}
	if !gone {
		t.Fatalf("Cleanup removed %v, not %s", removed, dead)
	}
	if _, err := os.Stat(filepath.Join(netnsDir, dead)); !os.IsNotExist(err) {
		t.Errorf("%s still present", dead)
	}
	if len(inst.(*linuxLab).names) != 2 {
		t.Fatal("lab lost its names")
	}
	for _, n := range inst.(*linuxLab).names {
		if _, err := os.Stat(filepath.Join(netnsDir, n)); err != nil {
			t.Errorf("Cleanup removed the live lab's %s", n)
		}
	}
}

// BenchmarkRealizeClose measures building and tearing down the two-router lab.
func BenchmarkRealizeClose(b *testing.B) {
	needPrivileges(b)
	run := NewRunID()
	for b.Loop() {
		inst, err := linuxDriver{}.Realize(context.Background(), twoRouterLab(), Options{RunID: run})
		if err != nil {
			b.Fatal(err)
		}
		if err := inst.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
