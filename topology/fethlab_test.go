package topology

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/netconform/netconform/macos"
)

// fakeHost is a Mac in memory: interfaces, the calls made, and the state
// directory's content at the moment of each create.
type fakeHost struct {
	mu        sync.Mutex
	dir       string
	ifs       map[string]*fakeIf
	calls     []string
	sysctls   map[string]string
	routes    []routeRequest
	failMAC   bool
	failAt    string // a call ("create feth4000", "ipv6 feth4000", "route") that fails
	boot      string
	alive     map[int]bool
	stateSeen []string // state file content when each create ran
	// detachFor > 0 makes a destroyed name answer EBUSY to that many
	// creates, as xnu does until ifnet_detach_final has run (dlil.c).
	detachFor   int
	detaching   map[string]int
	busyAnswers []string // names whose create was answered EBUSY
	preAttached bool     // IPv6 is on every new feth already (configd was first)
}

type fakeIf struct {
	mac  net.HardwareAddr
	ipv6 bool
	v4   netip.Prefix
	idx  int
}

func newFakeHost(dir string) *fakeHost {
	return &fakeHost{dir: dir, ifs: map[string]*fakeIf{}, sysctls: map[string]string{"net.link.fake.bsd_mode": "1"}, boot: "boot-1",
		alive: map[int]bool{}, detaching: map[string]int{}}
}

func (h *fakeHost) call(s string) error {
	h.calls = append(h.calls, s)
	if h.failAt == s {
		return fmt.Errorf("injected failure of %q", s)
	}
	return nil
}

func (h *fakeHost) Exists(name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.ifs[name]
	return ok
}

func (h *fakeHost) CreatePair(_ context.Context, a, b string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	entries, _ := os.ReadDir(h.dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		body, _ := os.ReadFile(filepath.Join(h.dir, e.Name()))
		h.stateSeen = append(h.stateSeen, string(body))
	}
	for _, n := range []string{a, b} {
		err := h.call("create " + n)
		if err == nil && h.detaching[n] > 0 {
			h.detaching[n]--
			h.busyAnswers = append(h.busyAnswers, n)
			err = fmt.Errorf("%w: /sbin/ifconfig %s create: exit status 1: ifconfig: SIOCIFCREATE2: Resource busy", macos.ErrNameBusy, n)
		}
		if err != nil {
			if n == b {
				h.destroyLocked(a) // CreatePair destroys what it made
			}
			return err
		}
		unit, _ := macos.FethUnit(n)
		h.ifs[n] = &fakeIf{mac: macos.FethMAC(unit), idx: 100 + unit}
	}
	return nil
}

func (h *fakeHost) Destroy(_ context.Context, name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.call("destroy " + name); err != nil {
		return err
	}
	h.destroyLocked(name)
	return nil
}

// destroyLocked removes the interface; its name stays busy for detachFor
// creates.
func (h *fakeHost) destroyLocked(name string) {
	delete(h.ifs, name)
	if h.detachFor > 0 {
		h.detaching[name] = h.detachFor
	}
}

func (h *fakeHost) SetMAC(_ context.Context, name string, mac net.HardwareAddr) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, "lladdr "+name)
	if h.failMAC {
		return errors.New("ifconfig: SIOCSIFLLADDR: operation not supported")
	}
	h.ifs[name].mac = mac
	return nil
}

func (h *fakeHost) Ifconfig(_ context.Context, name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	i, ok := h.ifs[name]
	if !ok {
		return "", fmt.Errorf("ifconfig: interface %s does not exist", name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500 index %d\n\tether %s\n", name, i.idx, i.mac)
	if i.ipv6 {
		fmt.Fprintf(&b, "\tinet6 fe80::%x:%x%%%s prefixlen 64 scopeid 0x%x\n", i.mac[4], i.mac[5], name, i.idx)
		fmt.Fprintf(&b, "\tinet6 2001:db8:a::%x:%x prefixlen 64 autoconf secured\n", i.mac[4], i.mac[5])
		fmt.Fprintf(&b, "\tinet6 2001:db8:b::%x:%x prefixlen 64 deprecated autoconf temporary\n", i.mac[4], i.mac[5])
	}
	if i.v4.IsValid() {
		fmt.Fprintf(&b, "\tinet %s netmask 0xffffff00 broadcast 192.0.2.255\n", i.v4.Addr())
	}
	b.WriteString("\tnd6 options=1<PERFORMNUD>\n")
	return b.String(), nil
}

func (h *fakeHost) StartIPv6(name string) (bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.call("ipv6 " + name); err != nil {
		return false, err
	}
	h.ifs[name].ipv6 = true
	return h.preAttached, nil
}

func (h *fakeHost) StartAutoconf(name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.call("autoconf " + name)
}

func (h *fakeHost) AddIPv4(_ context.Context, name string, p netip.Prefix) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ifs[name].v4 = p
	return h.call("inet " + name + " " + p.String())
}

func (h *fakeHost) OpenRaw(name string) (RawConn, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.call("bpf " + name); err != nil {
		return nil, err
	}
	return newFakeConn(), nil
}

func (h *fakeHost) Index(name string) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if i, ok := h.ifs[name]; ok {
		return i.idx, nil
	}
	return 0, fmt.Errorf("no interface %s", name)
}

func (h *fakeHost) Names() (map[int]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := map[int]string{1: "lo0", 4: "en0"}
	for n, i := range h.ifs {
		m[i.idx] = n
	}
	return m, nil
}

func (h *fakeHost) OwnerOf(a netip.Addr) (string, int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for n, i := range h.ifs {
		if i.ipv6 && a == netip.MustParseAddr(fmt.Sprintf("2001:db8:a::%x:%x", i.mac[4], i.mac[5])) {
			return n, i.idx, true
		}
	}
	return "", 0, false
}

func (h *fakeHost) EmbedsScope() bool { return true }

func (h *fakeHost) AddRoute(req routeRequest) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.routes = append(h.routes, req)
	return h.call("route")
}

func (h *fakeHost) GetRoute(req routeRequest) (macos.RouteMessage, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.routes = append(h.routes, req)
	if req.Dst.IP[0] == 0x20 && req.Dst.IP[5] == 0x0c { // 2001:db8:c::/48: nothing serves it
		return macos.RouteMessage{}, errNoRoute
	}
	m := macos.RouteMessage{Type: rtmGet, Flags: macos.RTF_UP | macos.RTF_GATEWAY | macos.RTF_IFSCOPE, Index: req.Index}
	m.Addrs[macos.RTAX_DST] = macos.RouteAddr{IP: netip.IPv6Unspecified()}
	m.Addrs[macos.RTAX_GATEWAY] = macos.RouteAddr{IP: netip.MustParseAddr("fe80::a"), ZoneID: req.Index}
	if req.Index == 0 { // unscoped: the Mac's own default
		m.Index = 4
		m.Flags &^= macos.RTF_IFSCOPE
		m.Addrs[macos.RTAX_GATEWAY] = macos.RouteAddr{IP: netip.MustParseAddr("fe80::1"), ZoneID: 4}
	}
	return m, nil
}

func (h *fakeHost) DumpRoutes() ([]macos.RouteMessage, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []macos.RouteMessage
	for _, i := range h.ifs {
		m := macos.RouteMessage{Flags: macos.RTF_UP | macos.RTF_GATEWAY | macos.RTF_STATIC | macos.RTF_IFSCOPE, Index: i.idx}
		m.Addrs[macos.RTAX_DST] = macos.RouteAddr{IP: netip.MustParseAddr("2001:db8:ffff::")}
		m.Addrs[macos.RTAX_NETMASK] = macos.RouteAddr{IP: netip.MustParseAddr("ffff:ffff:ffff::")}
		m.Addrs[macos.RTAX_GATEWAY] = macos.RouteAddr{IP: netip.MustParseAddr("fe80::a"), ZoneID: i.idx}
		out = append(out, m)
	}
	own := macos.RouteMessage{Flags: macos.RTF_UP | macos.RTF_GATEWAY, Index: 4}
	own.Addrs[macos.RTAX_DST] = macos.RouteAddr{IP: netip.IPv6Unspecified()}
	own.Addrs[macos.RTAX_GATEWAY] = macos.RouteAddr{IP: netip.MustParseAddr("fe80::1"), ZoneID: 4}
	return append(out, own), nil
}

func (h *fakeHost) NDP(context.Context) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b := "Neighbor                        Linklayer Address  Netif Expire    St Flgs Prbs\n" +
		"fe80::1%en0                     0:11:22:33:44:55   en0   23h59m58s S  R\n"
	for n := range h.ifs {
		b += fmt.Sprintf("fe80::a%%%s  2:0:0:0:a:1  %s  23h59m58s R  R\n", n, n)
	}
	return b, nil
}

func (h *fakeHost) ReadSysctl(_ context.Context, name string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.sysctls[name]
	if !ok {
		return "", fmt.Errorf("sysctl: unknown oid '%s'", name)
	}
	return v, nil
}

func (h *fakeHost) WriteSysctl(_ context.Context, name, value string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.call("sysctl " + name + "=" + value); err != nil {
		return err
	}
	h.sysctls[name] = value
	return nil
}

func (h *fakeHost) BootID() string { return h.boot }

func (h *fakeHost) Alive(pid int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.alive[pid]
}

// fakeConn is a RawConn whose reads block until Close.
type fakeConn struct {
	done chan struct{}
	once sync.Once
	mu   sync.Mutex
	sent [][]byte
}

func newFakeConn() *fakeConn { return &fakeConn{done: make(chan struct{})} }

func (c *fakeConn) ReadFrame([]byte) (int, error) {
	<-c.done
	return 0, net.ErrClosed
}

func (c *fakeConn) WriteFrame(f []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, f)
	return nil
}

func (c *fakeConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func hw(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func twoLinkLab() Lab {
	return Lab{
		Name: "t",
		Links: []Link{
			{Name: "l0", SUTIf: "sut0", SUTMAC: hw("02:00:00:00:00:01"), SUTIPv4: netip.MustParsePrefix("192.0.2.10/24"),
				Routers: []Router{{Name: "a", MAC: hw("02:00:00:00:0a:01"), LinkLocal: netip.MustParseAddr("fe80::a")}}},
			{Name: "l1", SUTIf: "sut1", SUTMAC: hw("02:00:00:00:01:01")},
		},
		Routes: []Route{{Dst: netip.MustParsePrefix("2001:db8:ffff::/48"), Gateway: netip.MustParseAddr("fe80::a"), Link: "l0"}},
	}
}

const testRun = "0123abcd"

func TestFethLabRealizeAndClose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		failMAC bool
		wantMAC string
	}{
		{name: "MAC set", wantMAC: "02:00:00:00:00:01"},
		{name: "MAC refused: the feth's own is reported", failMAC: true, wantMAC: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			dir := t.TempDir()
			host := newFakeHost(dir)
			host.failMAC = tc.failMAC
			env := newFethEnv(host, dir, 4242)
			inst, err := env.realize(context.Background(), twoLinkLab(), Options{RunID: testRun, CaptureFile: filepath.Join(dir, "cap.pcapng")})
			if err != nil {
				t.Fatal(err)
			}
			lab := inst.Lab()
			sut0, sut1 := inst.SUT().Interface("l0"), inst.SUT().Interface("l1")
			if lab.Links[0].SUTIf != sut0 || !strings.HasPrefix(sut0, "feth") || sut0 == sut1 {
				t.Fatalf("SUT interfaces %s %s, lab says %s", sut0, sut1, lab.Links[0].SUTIf)
			}
			if lab.Routers()[0].SUTIf != sut0 {
				t.Errorf("placed router on %s, want %s", lab.Routers()[0].SUTIf, sut0)
			}
			want := tc.wantMAC
			if want == "" {
				unit, _ := macos.FethUnit(sut0)
				want = macos.FethMAC(unit).String()
			}
			if got := lab.Links[0].SUTMAC.String(); got != want {
				t.Errorf("SUTMAC %s, want %s", got, want)
			}
			// Order on the SUT side: MAC before IPv6, the wire's BPF before IPv6, autoconf after.
			sutUnit, _ := macos.FethUnit(sut0)
			wire0 := fmt.Sprintf("feth%d", sutUnit+1)
			order := []string{"create " + sut0, "create " + wire0, "lladdr " + sut0, "bpf " + wire0, "ipv6 " + sut0, "autoconf " + sut0, "inet " + sut0 + " 192.0.2.10/24"}
			if !isSubsequence(host.calls, order) {
				t.Errorf("calls %v lack the order %v", host.calls, order)
			}
			// Every create ran with its names already pending in the state file.
			if len(host.stateSeen) != 2 || !strings.Contains(host.stateSeen[0], `"name": "`+sut0+`",`+"\n      \"state\": \"pending\"") {
				t.Errorf("state at create time: %q", host.stateSeen)
			}
			st, err := readStates(dir)
			if err != nil || len(st) != 1 || len(st[0].Interfaces) != 4 || st[0].Interfaces[0].State != ifCreated || st[0].Boot != "boot-1" {
				t.Fatalf("state after realise: %+v, %v", st, err)
			}
			if len(host.routes) != 1 || host.routes[0].Index != 100+sutUnit || host.routes[0].Flags&macos.RTF_IFSCOPE == 0 {
				t.Errorf("route requests %+v", host.routes)
			}
			addrs, err := inst.SUT().Addresses("l0")
			if err != nil {
				t.Fatal(err)
			}
			if len(addrs) != 4 || !addrs[0].Prefix.Addr().IsLinkLocalUnicast() || addrs[0].Prefix.Bits() != 64 || addrs[0].Prefix.Addr().Zone() != "" ||
				!addrs[1].Autoconf || addrs[1].Prefix != netip.PrefixFrom(slaacA(lab.Links[0].SUTMAC), 64) || !addrs[2].Deprecated || addrs[3].Prefix.String() != "192.0.2.10/24" {
				t.Errorf("addresses %+v", addrs)
			}
			routes, err := inst.SUT().Routes()
			if err != nil || len(routes) != 2 {
				t.Fatalf("routes %v, %v (the Mac's own default must not appear)", routes, err)
			}
			if routes[0].Gateway.String() != "fe80::a" || routes[0].Dst.String() != "2001:db8:ffff::/48" || routes[0].Proto != "UGSI" {
				t.Errorf("route %+v", routes[0])
			}
			neigh, err := inst.SUT().Neighbors()
			if err != nil || len(neigh) != 2 || neigh[0].MAC != "02:00:00:00:0a:01" || neigh[0].State != "REACHABLE" || !neigh[0].Router {
				t.Errorf("neighbours %+v, %v", neigh, err)
			}
			if err := inst.Close(); err != nil {
				t.Fatal(err)
			}
			if len(host.ifs) != 0 {
				t.Errorf("left interfaces %v", host.ifs)
			}
			if entries, _ := os.ReadDir(dir); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasSuffix(e.Name(), ".json") }) {
				t.Errorf("state file left after Close: %v", entries)
			}
			if err := inst.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

// slaacA is the fake's address in 2001:db8:a::/64 for mac.
func slaacA(mac net.HardwareAddr) netip.Addr {
	return netip.MustParseAddr(fmt.Sprintf("2001:db8:a::%x:%x", mac[4], mac[5]))
}

func isSubsequence(have, want []string) bool {
	i := 0
	for _, h := range have {
		if i < len(want) && h == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestFethLabFailuresLeaveNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		failAt func(pid int) string
	}{
		{"second create of the first pair", func(pid int) string { _, w := fethPair(pid, 0); return "create " + w }},
		{"IPv6 start on the second link", func(pid int) string { s, _ := fethPair(pid, 1); return "ipv6 " + s }},
		{"route", func(int) string { return "route" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			dir := t.TempDir()
			host := newFakeHost(dir)
			host.failAt = tc.failAt(77)
			env := newFethEnv(host, dir, 77)
			if _, err := env.realize(context.Background(), twoLinkLab(), Options{RunID: testRun}); err == nil {
				t.Fatal("realise succeeded")
			}
			if len(host.ifs) != 0 {
				t.Errorf("interfaces left: %v", host.ifs)
			}
			if st, _ := readStates(dir); len(st) != 0 {
				t.Errorf("state left: %+v", st)
			}
		})
	}
}

func TestFethLabSkipsTakenNames(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	taken, _ := fethPair(5, 0)
	host.ifs[taken] = &fakeIf{mac: hw("66:65:74:68:00:01")} // the user's
	env := newFethEnv(host, dir, 5)
	lab := twoLinkLab()
	lab.Routes = nil
	inst, err := env.realize(context.Background(), lab, Options{RunID: testRun})
	if err != nil {
		t.Fatal(err)
	}
	if inst.SUT().Interface("l0") == taken {
		t.Fatal("took an existing interface")
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := host.ifs[taken]; !ok || len(host.ifs) != 1 {
		t.Errorf("interfaces after Close: %v", host.ifs)
	}
}

func TestFethLabRefusesSourceRoutes(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	lab := twoLinkLab()
	lab.Routes[0].Src = netip.MustParsePrefix("2001:db8:a::/64")
	_, err := newFethEnv(host, dir, 1).realize(context.Background(), lab, Options{RunID: testRun})
	if !errors.Is(err, errSourceRoute) {
		t.Fatalf("err = %v", err)
	}
	if len(host.calls) != 0 {
		t.Errorf("host touched: %v", host.calls)
	}
}

func TestFethSysctlsRecordedAndRestored(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	host.sysctls["net.link.fake.bsd_mode"] = "0"
	env := newFethEnv(host, dir, 9)
	lab := twoLinkLab()
	lab.Routes = nil
	a, err := env.realize(context.Background(), lab, Options{RunID: testRun})
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.realize(context.Background(), lab, Options{RunID: testRun})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := readStates(dir)
	if len(st) != 1 || len(st[0].Sysctls) != 1 || st[0].Sysctls[0] != (stateSysctl{Name: "net.link.fake.bsd_mode", Old: "0"}) {
		t.Fatalf("state %+v", st)
	}
	if host.sysctls["net.link.fake.bsd_mode"] != "1" {
		t.Fatal("bsd_mode not set")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if host.sysctls["net.link.fake.bsd_mode"] != "1" {
		t.Fatal("restored while a lab is still open")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if host.sysctls["net.link.fake.bsd_mode"] != "0" {
		t.Fatal("not restored after the last lab")
	}
	if st, _ := readStates(dir); len(st) != 0 {
		t.Errorf("state left: %+v", st)
	}
}

func TestFethRouteGet(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	lab := twoLinkLab()
	inst, err := newFethEnv(host, dir, 3).realize(context.Background(), lab, Options{RunID: testRun})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	sut0 := inst.SUT().Interface("l0")
	src := netip.MustParseAddr("2001:db8:a::1") // the fake's SLAAC address on l0 (MAC ends in 01)
	dst := netip.MustParseAddr("2001:db8:ffff::1")
	for _, tc := range []struct {
		name      string
		dst, src  netip.Addr
		wantIf    string
		wantGW    string
		wantError string
	}{
		{name: "scoped to the source's interface", dst: dst, src: src, wantIf: sut0, wantGW: "fe80::a"},
		{name: "unscoped follows the Mac's primary", dst: dst, wantIf: "en0", wantGW: "fe80::1"},
		{name: "no route", dst: netip.MustParseAddr("2001:db8:c::1"), wantError: errNoRoute.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			e, err := inst.SUT().RouteGet(tc.dst, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if e.Error != tc.wantError || (tc.wantError == "" && (e.Interface != tc.wantIf || e.Gateway.String() != tc.wantGW)) {
				t.Errorf("got %+v", e)
			}
			if e.Dst != netip.PrefixFrom(tc.dst, 128) || (tc.src.IsValid() && e.Src != netip.PrefixFrom(tc.src, 128)) {
				t.Errorf("asked-for dst/src not kept: %+v", e)
			}
		})
	}
	if _, err := inst.SUT().RouteGet(dst, netip.MustParseAddr("2001:db8:9::9")); err == nil {
		t.Error("a source no interface holds must be an error")
	}
}

func TestFethLabsAtOnceGetDistinctInterfaces(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	env := newFethEnv(host, dir, 11)
	lab := twoLinkLab()
	lab.Routes = nil
	insts := make([]Instance, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range insts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			insts[i], errs[i] = env.realize(context.Background(), lab, Options{RunID: testRun})
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, inst := range insts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		for _, l := range []string{"l0", "l1"} {
			n := inst.SUT().Interface(l)
			if seen[n] {
				t.Errorf("%s used twice", n)
			}
			seen[n] = true
		}
	}
	for _, inst := range insts {
		if err := inst.Close(); err != nil {
			t.Error(err)
		}
	}
	if len(host.ifs) != 0 {
		t.Errorf("left %v", host.ifs)
	}
}

// TestFethLabRightAfterClose builds a second lab right after the first one
// closed, while xnu still answers EBUSY for the destroyed names (the fake
// keeps each busy for 50 creates, as if the detacher thread were slow). Every
// ipv6 check does this with its two RA orders. The same process never asks
// for the names it just destroyed; another process whose candidates start
// at the same units (modelled by a fresh environment with the same pid) is
// answered EBUSY and moves on.
func TestFethLabRightAfterClose(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sameEnv  bool
		wantBusy bool
	}{
		{name: "same process: the destroyed units are not asked for", sameEnv: true},
		{name: "another process on the same units: EBUSY, then the next units", wantBusy: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			dir := t.TempDir()
			host := newFakeHost(dir)
			host.detachFor = 50
			env := newFethEnv(host, dir, 31)
			first, err := env.realize(context.Background(), twoLinkLab(), Options{RunID: testRun})
			if err != nil {
				t.Fatal(err)
			}
			firstIfs := []string{first.SUT().Interface("l0"), first.SUT().Interface("l1")}
			if err := first.Close(); err != nil {
				t.Fatal(err)
			}
			if !tc.sameEnv {
				env = newFethEnv(host, dir, 31)
			}
			var log strings.Builder
			second, err := env.realize(context.Background(), twoLinkLab(), Options{RunID: testRun, Log: &log})
			if err != nil {
				t.Fatalf("second lab right after the first closed: %v", err)
			}
			for _, l := range []string{"l0", "l1"} {
				if n := second.SUT().Interface(l); slices.Contains(firstIfs, n) {
					t.Errorf("second lab got %s, a name still detaching", n)
				}
			}
			if got := len(host.busyAnswers) > 0; got != tc.wantBusy {
				t.Errorf("EBUSY answered to %v, want answers: %v", host.busyAnswers, tc.wantBusy)
			}
			dl := second.(*fethLab).DriverLog()
			if tc.wantBusy && (len(dl) == 0 || !strings.Contains(dl[0], "EBUSY") || !strings.Contains(log.String(), dl[0])) {
				t.Errorf("driver log %q, Options.Log %q: the EBUSY answers must be logged", dl, log.String())
			}
			if err := second.Close(); err != nil {
				t.Fatal(err)
			}
			if len(host.ifs) != 0 {
				t.Errorf("left %v", host.ifs)
			}
			if st, _ := readStates(dir); len(st) != 0 {
				t.Errorf("state left: %+v", st)
			}
		})
	}
}

// TestFethLabEveryNameBusy: if every candidate answers EBUSY the lab fails
// with a reason that says so, and leaves nothing.
func TestFethLabEveryNameBusy(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	for a := 0; a < fethAttempts; a++ {
		s, _ := fethPair(8, a)
		host.detaching[s] = 1
	}
	_, err := newFethEnv(host, dir, 8).realize(context.Background(), twoLinkLab(), Options{RunID: testRun})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d answered EBUSY", fethAttempts)) {
		t.Fatalf("err = %v", err)
	}
	if len(host.ifs) != 0 {
		t.Errorf("left %v", host.ifs)
	}
	if st, _ := readStates(dir); len(st) != 0 {
		t.Errorf("state left: %+v", st)
	}
}

// TestFethLabIPv6AttachedFirst: when something attached IPv6 to the new feth
// before the driver (SIOCPROTOATTACH_IN6 answers EEXIST), the lab is built
// and its log says so.
func TestFethLabIPv6AttachedFirst(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	host.preAttached = true
	var log strings.Builder
	inst, err := newFethEnv(host, dir, 12).realize(context.Background(), twoLinkLab(), Options{RunID: testRun, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	dl := inst.(*fethLab).DriverLog()
	if len(dl) != 2 || !strings.Contains(dl[0], inst.SUT().Interface("l0")+": IPv6 was already attached") || !strings.Contains(dl[0], "EEXIST") {
		t.Errorf("driver log %q", dl)
	}
	if log.String() != strings.Join(dl, "\n")+"\n" {
		t.Errorf("Options.Log got %q", log.String())
	}
	if addrs, err := inst.SUT().Addresses("l0"); err != nil || len(addrs) == 0 || !addrs[0].Prefix.Addr().IsLinkLocalUnicast() {
		t.Errorf("addresses %v, %v", addrs, err)
	}
}

// TestFethRouteGetOn: the lookup rule 5.5 compares with the wire is scoped to
// the lab interface (RTF_IFSCOPE, rtm_index), as its socket is; unscoped, the
// fake Mac answers with its own default on en0, as a real one would.
func TestFethRouteGetOn(t *testing.T) {
	dir := t.TempDir()
	host := newFakeHost(dir)
	inst, err := newFethEnv(host, dir, 3).realize(context.Background(), twoLinkLab(), Options{RunID: testRun})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	sut := inst.SUT().(ScopedRouteGetter)
	sut0 := inst.SUT().Interface("l0")
	idx, _ := host.Index(sut0)
	for _, tc := range []struct {
		name, ifname string
		dst          netip.Addr
		wantGW       string
		wantError    string
		wantErr      bool
	}{
		{name: "scoped to the lab interface", ifname: sut0, dst: netip.MustParseAddr("2001:db8:a:ffff::1"), wantGW: "fe80::a"},
		{name: "no route", ifname: sut0, dst: netip.MustParseAddr("2001:db8:c::1"), wantError: errNoRoute.Error()},
		{name: "the Mac's own interface is refused", ifname: "en0", dst: netip.MustParseAddr("2001:db8:a:ffff::1"), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			host.routes = nil
			e, err := sut.RouteGetOn(tc.dst, tc.ifname)
			if tc.wantErr {
				if err == nil || len(host.routes) != 0 {
					t.Fatalf("got %+v, %v, requests %+v", e, err, host.routes)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(host.routes) != 1 || host.routes[0].Flags&macos.RTF_IFSCOPE == 0 || host.routes[0].Index != idx {
				t.Fatalf("request %+v: want RTF_IFSCOPE with rtm_index %d", host.routes, idx)
			}
			if e.Error != tc.wantError || (tc.wantError == "" && (e.Interface != sut0 || e.Gateway.String() != tc.wantGW)) {
				t.Errorf("got %+v", e)
			}
			if e.Dst != netip.PrefixFrom(tc.dst, 128) || e.Src.IsValid() {
				t.Errorf("asked-for dst not kept: %+v", e)
			}
		})
	}
}
