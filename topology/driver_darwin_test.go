package topology_test

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/ipv6"
	"github.com/netconform/netconform/macos"
	"github.com/netconform/netconform/topology"
)

// These tests create feth interfaces on the Mac they run on, so they run only
// as root with NETCONFORM_FETH_TEST=1 (like macos' BPF test). Nothing here has
// run yet: they were written on Linux, compiled for darwin, and wait for a Mac.

func needMacLab(t *testing.T) {
	t.Helper()
	if os.Getenv("NETCONFORM_FETH_TEST") != "1" || os.Geteuid() != 0 {
		t.Skip("set NETCONFORM_FETH_TEST=1 and run as root: these tests create feth interfaces")
	}
}

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func oneLinkLab() topology.Lab {
	return topology.Lab{Name: "darwin", Links: []topology.Link{{
		Name: "l0", SUTIf: "sut0", SUTMAC: mac("02:00:00:00:00:01"), SUTIPv4: netip.MustParsePrefix("192.0.2.10/24"),
		Routers: []topology.Router{{Name: "a", MAC: mac("02:00:00:00:0a:01"), LinkLocal: netip.MustParseAddr("fe80::a"),
			Prefixes: []netip.Prefix{netip.MustParsePrefix("2001:db8:a::/64")}}},
	}}, Routes: []topology.Route{{Dst: netip.MustParsePrefix("2001:db8:ffff::/48"), Gateway: netip.MustParseAddr("fe80::a"), Link: "l0"}}}
}

// TestDarwinLab realises a one-link lab and checks what the driver promises:
// a feth SUT interface with a link-local address, the SUT's frames on the
// port, a Router Advertisement accepted (SLAAC address, autoconf), the scoped
// lab route, and nothing left after Close.
func TestDarwinLab(t *testing.T) {
	needMacLab(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := topology.ForThisOS()
	if err != nil {
		t.Fatal(err)
	}
	capture := filepath.Join(t.TempDir(), "lab.pcapng")
	inst, err := d.Realize(ctx, oneLinkLab(), topology.Options{RunID: topology.NewRunID(), CaptureFile: capture})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			inst.Close()
		}
	}()
	sut := inst.SUT()
	ifname := sut.Interface("l0")
	if _, err := macos.FethUnit(ifname); err != nil {
		t.Fatalf("SUT interface %q: %v", ifname, err)
	}
	t.Logf("SUT interface %s, MAC %s", ifname, inst.Lab().Links[0].SUTMAC)
	left, err := topology.Leftovers()
	if err != nil || !containsLeftover(left, ifname) {
		t.Errorf("state file does not list %s: %+v, %v", ifname, left, err)
	}

	// The SUT joins multicast groups as IPv6 starts (MLD reports): some frame
	// from it must reach the port.
	port := inst.Port("l0")
	deadline := time.After(5 * time.Second)
	for !hasFromSUT(port.Frames()) {
		select {
		case <-port.Changed():
		case <-deadline:
			t.Fatal("no frame from the SUT on the port within 5s")
		}
	}

	r := inst.Lab().Links[0].Routers[0]
	ra, err := ipv6.RouterAdvertisement(r, mac("33:33:00:00:00:01"), netip.MustParseAddr("ff02::1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := port.Send(ra); err != nil {
		t.Fatal(err)
	}
	var slaac netip.Addr
	for end := time.Now().Add(10 * time.Second); !slaac.IsValid(); {
		addrs, err := sut.Addresses("l0")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range addrs {
			if r.Prefixes[0].Contains(a.Prefix.Addr()) && a.Autoconf && !a.Tentative {
				slaac = a.Prefix.Addr()
			}
		}
		if time.Now().After(end) {
			t.Fatalf("no autoconf address in %s after the RA: %+v (is ACCEPT_RTADV set? ifconfig -v %s)", r.Prefixes[0], addrs, ifname)
		}
		time.Sleep(50 * time.Millisecond)
	}
	routes, err := sut.Routes()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("routes: %v", routes)
	e, err := sut.RouteGet(netip.MustParseAddr("2001:db8:ffff::1"), slaac)
	if err != nil {
		t.Fatal(err)
	}
	if e.Interface != ifname || e.Gateway != r.LinkLocal {
		t.Errorf("lookup from %s: %s, want via %s dev %s", slaac, e, r.LinkLocal, ifname)
	}
	neigh, err := sut.Neighbors()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range neigh {
		if n.Interface != ifname {
			t.Errorf("neighbour of another interface reported: %+v", n)
		}
	}
	closed = true
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := net.InterfaceByName(ifname); err == nil {
		t.Errorf("%s still exists after Close", ifname)
	}
	if left, _ := topology.Leftovers(); containsLeftover(left, ifname) {
		t.Errorf("state file still lists %s", ifname)
	}
}

func hasFromSUT(fs []topology.Frame) bool {
	for _, f := range fs {
		if f.Dir == topology.FromSUT {
			return true
		}
	}
	return false
}

func containsLeftover(ls []topology.Leftover, name string) bool {
	for _, l := range ls {
		if l.Name == name && l.PID == os.Getpid() {
			return true
		}
	}
	return false
}

// TestDarwinCleanupDeadRun plays a crashed run: a state file of a dead pid
// listing a feth that exists. Cleanup must destroy it and remove the file.
func TestDarwinCleanupDeadRun(t *testing.T) {
	needMacLab(t)
	ctx := context.Background()
	const name = "feth3990"
	f := macos.Feths{}
	if err := f.Create(ctx, name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Destroy(ctx, name) })
	const deadPID = 99998 // above the default kern.maxproc range of live pids
	state := filepath.Join(topology.StateDir, "0badc0de-99998.json")
	body := `{"version":1,"run_id":"0badc0de","pid":99998,"interfaces":[{"name":"` + name + `","state":"created"}]}`
	if err := os.MkdirAll(topology.StateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(state) })
	removed, err := topology.Cleanup(false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range removed {
		names = append(names, r.Name)
	}
	if !strings.Contains(strings.Join(names, " "), name) || deadPID == os.Getpid() {
		t.Errorf("Cleanup removed %v", names)
	}
	if _, err := net.InterfaceByName(name); err == nil {
		t.Errorf("%s survives clean-up", name)
	}
	if _, err := os.Stat(state); err == nil {
		t.Error("state file survives clean-up")
	}
}
