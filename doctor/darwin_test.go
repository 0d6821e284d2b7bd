package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/macos"
	"github.com/netconform/netconform/topology"
)

// fakeMac is a Mac as xnu's source describes it, in memory: feth
// interfaces, their IPv6 state, the sysctls, the programs the doctor runs,
// and a real state file in a temporary directory. An RA written on a wire
// side configures an address on its peer only when nd6_ra_input would:
// IFEF_ACCEPT_RTADV set, IPv6 attached, hop limit 255, link-local source,
// a Prefix Information option with A set, and only_allow_rfc4193_prefixes 0.
type fakeMac struct {
	t        *testing.T
	mu       sync.Mutex
	root     bool
	ifs      map[string]*macIf
	sysctls  map[string]string
	dir      string // state directory
	state    *topology.ScratchState
	calls    []string
	commands map[string]fakeCmd // "sysctl net.cfil" -> its output

	createErr     map[string]error
	peerErr       error
	bpfErr        error
	attachErr     error
	destroyErr    error
	noLinkLocal   bool
	afterCreate   func(name string)
	statesAtStart []string // the state directory's content when each create ran
}

type macIf struct {
	peer     string
	up       bool
	ipv6     bool
	autoconf bool
	addrs    []netip.Prefix
}

type fakeCmd struct {
	stdout, stderr string
	err            error
}

func newFakeMac(t *testing.T) *fakeMac {
	t.Helper()
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", "macos", "testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return &fakeMac{t: t, root: true, ifs: map[string]*macIf{}, dir: t.TempDir(), createErr: map[string]error{},
		sysctls: map[string]string{fethSysctl: "1", rfc4193Sysctl: "0"},
		commands: map[string]fakeCmd{
			"sysctl net.cfil":          {stdout: read("sysctl/sysctl-cfil.txt")},
			"sysctl -x net.cfil.stats": {stdout: read("sysctl/sysctl-x-cfil-stats.txt")},
			"log":                      {stdout: read("log/cfil-ndjson.txt")},
			"zprint socket":            {stdout: read("mbufs/zprint-socket.txt")},
		}}
}

func (m *fakeMac) call(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, s)
}

func (m *fakeMac) Privileged() error {
	if !m.root {
		return topology.ErrNotPrivileged
	}
	return nil
}

func (m *fakeMac) Exists(name string) bool { _, ok := m.ifs[name]; return ok }

func (m *fakeMac) ReadSysctl(_ context.Context, name string) (string, error) {
	v, ok := m.sysctls[name]
	if !ok {
		return "", fmt.Errorf("sysctl: unknown oid '%s'", name)
	}
	return v, nil
}

func (m *fakeMac) WriteSysctl(_ context.Context, name, value string) error {
	m.call("sysctl " + name + "=" + value)
	m.sysctls[name] = value
	return nil
}

// ifconfigErr is how macos.Feths reports a failed ifconfig: its err(1, ...)
// line after the exit status.
func ifconfigErr(args, msg string) error {
	return fmt.Errorf("/sbin/ifconfig %s: exit status 1: ifconfig: %s", args, msg)
}

func (m *fakeMac) CreateFeth(_ context.Context, name string) error {
	m.call("create " + name)
	entries, _ := os.ReadDir(m.dir)
	var seen []string
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(m.dir, e.Name()))
		seen = append(seen, string(b))
	}
	m.statesAtStart = append(m.statesAtStart, strings.Join(seen, "\n"))
	if !strings.Contains(strings.Join(seen, ""), `"`+name+`"`) {
		m.t.Errorf("%s created before the state file named it", name)
	}
	if err := m.createErr[name]; err != nil {
		return err
	}
	if !m.root {
		return ifconfigErr(name+" create", "SIOCIFCREATE2: Operation not permitted")
	}
	m.ifs[name] = &macIf{}
	if m.afterCreate != nil {
		m.afterCreate(name)
	}
	return nil
}

func (m *fakeMac) PeerFeth(_ context.Context, a, b string) error {
	m.call("peer " + a + " " + b)
	if m.peerErr != nil {
		return m.peerErr
	}
	m.ifs[a].peer, m.ifs[b].peer = b, a
	return nil
}

func (m *fakeMac) Up(_ context.Context, name string) error {
	m.call("up " + name)
	m.ifs[name].up = true
	return nil
}

func (m *fakeMac) DestroyFeth(_ context.Context, name string) error {
	m.call("destroy " + name)
	if m.destroyErr != nil {
		return m.destroyErr
	}
	delete(m.ifs, name)
	return nil
}

func (m *fakeMac) OpenBPF(name string) (frameWriter, error) {
	m.call("bpf " + name)
	if m.bpfErr != nil {
		return nil, m.bpfErr
	}
	return &fakeBPF{m: m, wire: name}, nil
}

func (m *fakeMac) AttachIPv6(name string) error {
	m.call("attach " + name)
	m.ifs[name].ipv6 = true
	return m.attachErr
}

func (m *fakeMac) DisableDAD(name string) error { m.call("nodad " + name); return nil }

func (m *fakeMac) StartLinkLocal(name string) error {
	m.call("ll " + name)
	if !m.noLinkLocal {
		m.ifs[name].addrs = append(m.ifs[name].addrs, netip.MustParsePrefix("fe80::6465:74ff:fe68:bb8/64"))
	}
	return nil
}

func (m *fakeMac) StartAutoconf(name string) error {
	m.call("autoconf " + name)
	m.ifs[name].autoconf = true
	return nil
}

func (m *fakeMac) Addrs(name string) ([]netip.Prefix, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.ifs[name]
	if !ok {
		return nil, fmt.Errorf("no interface %s", name)
	}
	return slices.Clone(i.addrs), nil
}

func (m *fakeMac) Run(_ context.Context, name string, args ...string) (string, string, error) {
	key := strings.Join(append([]string{name}, args...), " ")
	if name == "log" {
		key = "log"
		if args[0] != "show" || !slices.Contains(args, "ndjson") {
			m.t.Errorf("log invoked as %v", args)
		}
	}
	m.call("run " + key)
	c, ok := m.commands[key]
	if !ok {
		return "", "", exec.ErrNotFound
	}
	return c.stdout, c.stderr, c.err
}

func (m *fakeMac) State(runID string) (scratchRecorder, error) {
	if m.state == nil {
		s, err := topology.NewScratchState(m.dir, runID, 4242, "boot-1")
		if err != nil {
			return nil, err
		}
		m.state = s
	}
	return m.state, nil
}

func (m *fakeMac) PID() int { return 4242 }

// fakeBPF delivers a written frame to the wire's peer as nd6_ra_input would.
type fakeBPF struct {
	m    *fakeMac
	wire string
}

func (b *fakeBPF) Close() error { b.m.call("close bpf " + b.wire); return nil }

func (b *fakeBPF) WriteFrame(frame []byte) error {
	m := b.m
	m.call("write " + b.wire)
	w, ok := m.ifs[b.wire]
	if !ok || !w.up {
		return unix.ENETDOWN
	}
	sut := m.ifs[w.peer]
	if sut == nil || !sut.up || !sut.ipv6 || !sut.autoconf {
		return nil // dropped: no IPv6, or no IFEF_ACCEPT_RTADV
	}
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	ip, _ := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
	ra, _ := p.Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
	if ip == nil || ra == nil || ip.HopLimit != 255 || !ip.SrcIP.IsLinkLocalUnicast() {
		return nil
	}
	for _, o := range ra.Options {
		if o.Type != layers.ICMPv6OptPrefixInfo || len(o.Data) != 30 || o.Data[1]&0x40 == 0 || m.sysctls[rfc4193Sysctl] != "0" {
			continue
		}
		a, _ := netip.AddrFromSlice(o.Data[14:30])
		pfx := netip.PrefixFrom(a, int(o.Data[0]))
		b16 := pfx.Addr().As16()
		b16[15] = 0x42
		m.mu.Lock()
		sut.addrs = append(sut.addrs, netip.PrefixFrom(netip.AddrFrom16(b16), pfx.Bits()))
		m.mu.Unlock()
	}
	return nil
}

var fastTiming = darwinTiming{linkLocal: 50 * time.Millisecond, ra: 50 * time.Millisecond, poll: time.Millisecond}

func runDarwin(t *testing.T, ctx context.Context, m *fakeMac) Report {
	t.Helper()
	seq := darwinSequence(ctx, testRunID, m, okToolchain(t), fastTiming)
	r := Report{RunID: testRunID, Items: runProbes(seq.probes, stopWith(ctx))}
	for n, err := range seq.undo() {
		undone(r.Items, n, err, testRunID)
	}
	return r
}

// stateFiles is the state directory's content by file name.
func (m *fakeMac) stateFiles() map[string]string {
	out := map[string]string{}
	entries, _ := os.ReadDir(m.dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(m.dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

// TestDarwinHealthy: every need met, the lab's order of operations on the
// scratch pair, and nothing left: no interface, no state file, the sysctl
// as it was.
func TestDarwinHealthy(t *testing.T) {
	m := newFakeMac(t)
	r := runDarwin(t, context.Background(), m)
	var order []Need
	for _, it := range r.Items {
		order = append(order, it.Need)
		if it.Status != StatusOK {
			t.Errorf("%s: %s %q %q", it.Need, it.Status, it.Detail, it.Remedy)
		}
	}
	want := []Need{NeedRoot, NeedSuites, NeedFeth, NeedFethPeer, NeedBPF, NeedIPv6, NeedRA, NeedFethDestroy, NeedCfilSysctl, NeedLogShow, NeedZprint}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", order, want)
	}
	sut, wire := doctorFethPair(4242, 0)
	wantCalls := []string{"create " + sut, "create " + wire, "peer " + sut + " " + wire, "up " + sut, "up " + wire,
		"bpf " + wire, "attach " + sut, "nodad " + sut, "ll " + sut, "autoconf " + sut, "write " + wire,
		"close bpf " + wire, "destroy " + sut, "destroy " + wire}
	if got := m.calls[:len(wantCalls)]; fmt.Sprint(got) != fmt.Sprint(wantCalls) {
		t.Errorf("calls\n%v\nwant\n%v", got, wantCalls)
	}
	if len(m.ifs) != 0 || len(m.stateFiles()) != 0 {
		t.Errorf("left behind: interfaces %v, state files %v", m.ifs, m.stateFiles())
	}
	ra, _ := r.Item(NeedRA)
	if !strings.Contains(ra.Detail, "2001:db8:d0c::42") {
		t.Errorf("RA row %q does not name the address", ra.Detail)
	}
	if z, _ := r.Item(NeedZprint); !strings.Contains(z.Detail, "2001 elements in use of 576 bytes") {
		t.Errorf("zprint row %q", z.Detail)
	}
	if c, _ := r.Item(NeedCfilSysctl); !strings.Contains(c.Detail, "active_count 1") {
		t.Errorf("cfil row %q", c.Detail)
	}
}

// TestDarwinScratchUnits: the scratch pairs stay below the labs' units and
// within feth's range, even and odd, and differ between processes.
func TestDarwinScratchUnits(t *testing.T) {
	seen := map[string]bool{}
	for pid := 1; pid < 3000; pid += 7 {
		for a := 0; a < doctorAttempts; a++ {
			s, w := doctorFethPair(pid, a)
			us, _ := macos.FethUnit(s)
			uw, _ := macos.FethUnit(w)
			if us%2 != 0 || uw != us+1 || us < doctorFethFirst || uw >= 4000 {
				t.Fatalf("pid %d attempt %d: %s/%s", pid, a, s, w)
			}
			if a == 0 {
				seen[s] = true
			}
		}
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct first pairs over 429 pids", len(seen))
	}
}

func TestDarwinMissing(t *testing.T) {
	busy := func(m *fakeMac) {
		s, _ := doctorFethPair(4242, 0)
		m.createErr[s] = ifconfigErr(s+" create", "SIOCIFCREATE2: Resource busy")
	}
	tests := []struct {
		name    string
		set     func(*fakeMac)
		need    Need
		status  Status
		detail  string
		remedy  string
		blocked []Need
	}{
		{"not root", func(m *fakeMac) { m.root = false }, NeedRoot, StatusMissing, "needs root", "sudo ./netconform doctor",
			[]Need{NeedFeth, NeedFethPeer, NeedBPF, NeedIPv6, NeedRA, NeedFethDestroy, NeedZprint}},
		{"name still detaching: next pair", busy, NeedFeth, StatusOK, pairText(doctorFethPair(4242, 1)), "", nil},
		{"no feth cloner", func(m *fakeMac) {
			s, _ := doctorFethPair(4242, 0)
			m.createErr[s] = ifconfigErr(s+" create", "SIOCIFCREATE2: Invalid argument")
		}, NeedFeth, StatusMissing, "no feth interface cloner", "ifconfig -C", []Need{NeedFethPeer, NeedBPF, NeedIPv6, NeedRA, NeedFethDestroy}},
		{"every /dev/bpf busy", func(m *fakeMac) { m.bpfErr = errors.New("no free /dev/bpf device among 256") }, NeedBPF, StatusMissing,
			"no free", "debug.bpf_maxdevices", []Need{NeedRA}},
		{"bpf permission", func(m *fakeMac) { m.bpfErr = fmt.Errorf("open /dev/bpf0: %w", unix.EACCES) }, NeedBPF, StatusMissing,
			"permission denied", "sudo", []Need{NeedRA}},
		{"IPv6 attached by configd", func(m *fakeMac) { m.attachErr = fmt.Errorf("SIOCPROTOATTACH_IN6: %w", unix.EEXIST) },
			NeedIPv6, StatusOK, "already attached", "", nil},
		{"no link-local", func(m *fakeMac) { m.noLinkLocal = true }, NeedIPv6, StatusUnknown, "no link-local", "ifconfig -v", nil},
		{"SLAAC off for 2001:db8", func(m *fakeMac) { m.sysctls[rfc4193Sysctl] = "1" }, NeedRA, StatusMissing,
			"only_allow_rfc4193_prefixes is 1", "sysctl -w net.inet6.ip6.only_allow_rfc4193_prefixes=0", nil},
		{"no cfil sysctls", func(m *fakeMac) {
			m.commands["sysctl net.cfil"] = fakeCmd{stderr: "sysctl: unknown oid 'net.cfil'", err: errors.New("exit status 1")}
		}, NeedCfilSysctl, StatusMissing, "no net.cfil sysctls", "socket checks still run", nil},
		{"cfil stats of another size", func(m *fakeMac) {
			m.commands["sysctl -x net.cfil.stats"] = fakeCmd{stdout: "net.cfil.stats: Format:S,cfil_stats Length:4 Dump:0x01000000\n"}
		}, NeedCfilSysctl, StatusUnknown, "4 bytes", "sysctl -x net.cfil.stats", nil},
		{"log show refused", func(m *fakeMac) {
			m.commands["log"] = fakeCmd{stderr: "log: Could not open local log store", err: errors.New("exit status 65")}
		}, NeedLogShow, StatusMissing, "Could not open local log store", "run it as root", nil},
		{"zprint without root", func(m *fakeMac) {
			m.commands["zprint socket"] = fakeCmd{stderr: "zprint: mach_memory_info: (os/kern) no access (try running as root)", err: errors.New("exit status 1")}
		}, NeedZprint, StatusMissing, "try running as root", "sudo", nil},
		{"zprint denied", func(m *fakeMac) {
			m.commands["zprint socket"] = fakeCmd{stderr: "zprint: mach_memory_info: (os/kern) denied (entitlement required or rate-limit exceeded)", err: errors.New("exit status 1")}
		}, NeedZprint, StatusMissing, "refuses zone information", "checks still run", nil},
		{"zprint without a socket zone", func(m *fakeMac) { m.commands["zprint socket"] = fakeCmd{stdout: "TOTAL SIZE = 0K\n"} },
			NeedZprint, StatusUnknown, "no `socket` zone", "zprint socket", nil},
		{"no zprint", func(m *fakeMac) { delete(m.commands, "zprint socket") }, NeedZprint, StatusMissing, "no zprint", "/usr/bin", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFakeMac(t)
			tt.set(m)
			r := runDarwin(t, context.Background(), m)
			it, _ := r.Item(tt.need)
			if it.Status != tt.status || !strings.Contains(it.Detail, tt.detail) || !strings.Contains(it.Remedy, tt.remedy) {
				t.Errorf("%s: %s %q remedy %q; want %s %q %q", tt.need, it.Status, it.Detail, it.Remedy, tt.status, tt.detail, tt.remedy)
			}
			for _, b := range tt.blocked {
				bi, _ := r.Item(b)
				if bi.Status != StatusBlocked || bi.Remedy != it.Remedy {
					t.Errorf("%s: %s %q; want blocked with %s's remedy", b, bi.Status, bi.Detail, tt.need)
				}
			}
			if len(m.ifs) != 0 || len(m.stateFiles()) != 0 {
				t.Errorf("left behind: interfaces %v, state files %v", m.ifs, m.stateFiles())
			}
		})
	}
}

func pairText(sut, wire string) string { return sut + " and " + wire }

// TestDarwinRAIgnoredIsUnknown: an RA that configures nothing, with nothing
// the doctor can name, is not a missing need: the ipv6 checks run and say.
func TestDarwinRAIgnoredIsUnknown(t *testing.T) {
	m := newFakeMac(t)
	m.afterCreate = func(name string) {
		if s, _ := doctorFethPair(4242, 0); name == s {
			m.ifs[name].autoconf = false
		}
	}
	ops := &noAutoconf{m}
	seq := darwinSequence(context.Background(), testRunID, ops, okToolchain(t), fastTiming)
	r := Report{Items: runProbes(seq.probes, func() error { return nil })}
	seq.undo()
	it, _ := r.Item(NeedRA)
	if it.Status != StatusUnknown || !strings.Contains(it.Detail, "no address in 2001:db8:d0c::/64") {
		t.Errorf("RA: %s %q", it.Status, it.Detail)
	}
	if _, miss := r.Missing(NeedRA); miss {
		t.Error("an undecided RA must not make the ipv6 checks skip")
	}
}

// noAutoconf is a Mac on which SIOCAUTOCONF_START succeeds and does nothing.
type noAutoconf struct{ *fakeMac }

func (n *noAutoconf) StartAutoconf(name string) error { n.call("autoconf " + name); return nil }

// TestDarwinBSDMode: bsd_mode 0 is recorded in the state file before it is
// set to 1, and put back at the end.
func TestDarwinBSDMode(t *testing.T) {
	m := newFakeMac(t)
	m.sysctls[fethSysctl] = "0"
	r := runDarwin(t, context.Background(), m)
	if it, _ := r.Item(NeedFeth); it.Status != StatusOK || !strings.Contains(it.Detail, "was 0, set to 1") {
		t.Errorf("feth: %s %q", it.Status, it.Detail)
	}
	if len(m.statesAtStart) == 0 || !strings.Contains(m.statesAtStart[0], `"old": "0"`) {
		t.Errorf("state file at the first create: %q", m.statesAtStart)
	}
	if m.sysctls[fethSysctl] != "0" {
		t.Errorf("%s left at %s", fethSysctl, m.sysctls[fethSysctl])
	}
	if len(m.stateFiles()) != 0 {
		t.Errorf("state files left: %v", m.stateFiles())
	}
}

// TestDarwinDestroyFails: interfaces that would not go stay in the state
// file, so clean-lab finds them, and the row says to run it.
func TestDarwinDestroyFails(t *testing.T) {
	m := newFakeMac(t)
	m.destroyErr = ifconfigErr("destroy", "SIOCIFDESTROY: Resource busy")
	r := runDarwin(t, context.Background(), m)
	it, _ := r.Item(NeedFethDestroy)
	if it.Status != StatusMissing || !strings.Contains(it.Remedy, "clean-lab") {
		t.Errorf("destroy: %s %q %q", it.Status, it.Detail, it.Remedy)
	}
	files := m.stateFiles()
	name := fmt.Sprintf("%s-4242.json", testRunID)
	var st struct {
		Interfaces []struct{ Name, State string }
	}
	if err := json.Unmarshal([]byte(files[name]), &st); err != nil || len(st.Interfaces) != 2 {
		t.Fatalf("state file %s: %q (%v)", name, files[name], err)
	}
	for _, i := range st.Interfaces {
		if i.State != "created" || !m.Exists(i.Name) {
			t.Errorf("state %+v", i)
		}
	}
}

// TestDarwinInterrupted: Ctrl-C after the pair exists stops the probing,
// and the pair is still destroyed and forgotten.
func TestDarwinInterrupted(t *testing.T) {
	m := newFakeMac(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, wire := doctorFethPair(4242, 0)
	m.afterCreate = func(name string) {
		if name == wire {
			cancel()
		}
	}
	r := runDarwin(t, ctx, m)
	if it, _ := r.Item(NeedFeth); it.Status != StatusOK {
		t.Errorf("feth: %s", it.Status)
	}
	for _, n := range []Need{NeedFethPeer, NeedRA, NeedZprint} {
		if it, _ := r.Item(n); it.Status != StatusUnknown || !strings.Contains(it.Detail, "not probed") {
			t.Errorf("%s: %s %q", n, it.Status, it.Detail)
		}
	}
	if it, _ := r.Item(NeedFethPeer); !strings.Contains(it.Detail, "interrupted") {
		t.Errorf("peer: %q does not say it was interrupted", it.Detail)
	}
	if len(m.ifs) != 0 || len(m.stateFiles()) != 0 {
		t.Errorf("left behind: interfaces %v, state files %v", m.ifs, m.stateFiles())
	}
}

// TestRouterAdvertisement: the RA passes nd6_ra_input's checks, withdraws
// no default (lifetime 0) and carries the prefix with L and A.
func TestRouterAdvertisement(t *testing.T) {
	frame, err := RouterAdvertisement(doctorRouterMAC, doctorRouterLL, doctorPrefix)
	if err != nil {
		t.Fatal(err)
	}
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		t.Fatal(el.Error())
	}
	eth := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
	icmp := p.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6)
	ra := p.Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
	if eth.DstMAC.String() != "33:33:00:00:00:01" || ip.HopLimit != 255 || !ip.SrcIP.IsLinkLocalUnicast() || ip.DstIP.String() != "ff02::1" {
		t.Errorf("headers: %s %d %s %s", eth.DstMAC, ip.HopLimit, ip.SrcIP, ip.DstIP)
	}
	if icmp.TypeCode.Code() != 0 || ra.RouterLifetime != 0 {
		t.Errorf("code %d lifetime %d", icmp.TypeCode.Code(), ra.RouterLifetime)
	}
	// The checksum must verify: a bad one is dropped by icmp6_input.
	icmp.SetNetworkLayerForChecksum(ip)
	if err, res := icmp.VerifyChecksum(); err != nil || !res.Valid {
		t.Errorf("checksum: %v %+v", err, res)
	}
	var pio, slla bool
	for _, o := range ra.Options {
		switch o.Type {
		case layers.ICMPv6OptPrefixInfo:
			a, _ := netip.AddrFromSlice(o.Data[14:30])
			pio = o.Data[0] == 64 && o.Data[1] == 0xc0 && a == doctorPrefix.Addr()
		case layers.ICMPv6OptSourceAddress:
			slla = string(o.Data) == string(doctorRouterMAC)
		}
	}
	if !pio || !slla {
		t.Errorf("options %+v", ra.Options)
	}
}
