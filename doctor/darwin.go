package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/macos"
	"github.com/netconform/netconform/topology"
)

// The macOS probes: what the darwin lab driver (topology/fethlab.go) does,
// on a scratch feth pair, and what the evidence collectors run (sysctl
// net.cfil, log show, zprint). No Mac has run this yet: every expectation
// below is read from xnu-11417.121.6 (and network_cmds, system_cmds), cited
// where it is used. The sequence has no build tag and is tested on Linux
// with a fake Mac (darwin_test.go); ops_darwin.go is the real one.
//
// The scratch pair is recorded in the driver's state file before
// `ifconfig create` runs (topology.ScratchState), so a doctor killed
// half-way leaves nothing clean-lab cannot find; and it is destroyed before
// Check returns, which removes its addresses, prefixes and router entries
// with it: ifnet_detach_final unplumbs every protocol (bsd/net/dlil.c), and
// IPv6's in6_purgeif -> in6_ifdetach -> nd6_purge drops the interface's
// prefixes and routers (bsd/netinet6/in6.c, in6_ifattach.c, nd6.c).

// darwinOps is what the macOS probes ask of the Mac.
type darwinOps interface {
	// Privileged is topology.CheckPrivileges (uid 0).
	Privileged() error
	Exists(name string) bool
	ReadSysctl(ctx context.Context, name string) (string, error)
	WriteSysctl(ctx context.Context, name, value string) error
	// CreateFeth, PeerFeth, Up and DestroyFeth run ifconfig(8) as the
	// driver does (macos.Feths); their errors carry ifconfig's message.
	CreateFeth(ctx context.Context, name string) error
	PeerFeth(ctx context.Context, a, b string) error
	Up(ctx context.Context, name string) error
	DestroyFeth(ctx context.Context, name string) error
	// OpenBPF opens a free /dev/bpf and binds it to name (macos.OpenBPF).
	OpenBPF(name string) (frameWriter, error)
	AttachIPv6(name string) error     // SIOCPROTOATTACH_IN6
	DisableDAD(name string) error     // clear ND6_IFF_DAD
	StartLinkLocal(name string) error // SIOCLL_START
	StartAutoconf(name string) error  // SIOCAUTOCONF_START
	// Addrs lists the IPv6 addresses on name.
	Addrs(name string) ([]netip.Prefix, error)
	// Run runs a program (looked up in PATH; exec.ErrNotFound when absent)
	// and returns its stdout and stderr.
	Run(ctx context.Context, name string, args ...string) (stdout, stderr string, err error)
	// State records into this process's state file for runID.
	State(runID string) (scratchRecorder, error)
	PID() int
}

// frameWriter is the bound /dev/bpf: writing a frame on the wire side
// delivers it as input on its peer (if_fake.c, feth_output).
type frameWriter interface {
	WriteFrame(frame []byte) error
	Close() error
}

// scratchRecorder is topology.ScratchState.
type scratchRecorder interface {
	Pending(names ...string) error
	Created(names ...string) error
	Forget(names ...string) error
	RecordSysctl(name, old string) error
	ForgetSysctl(name string) error
}

// darwinTiming bounds the waits for the kernel (tests shorten them).
type darwinTiming struct {
	linkLocal, ra, poll time.Duration
}

var realDarwinTiming = darwinTiming{linkLocal: 3 * time.Second, ra: 3 * time.Second, poll: 20 * time.Millisecond}

// The scratch pair's units: below the labs' (topology/fethnames.go starts at
// 4000), away from feth0/feth1 that people and xnu's tests use, and spread
// by pid so that two doctors rarely try the same pair.
const (
	doctorFethFirst = 3000
	doctorFethPairs = 500
	doctorAttempts  = 8
)

func doctorFethPair(pid, attempt int) (sut, wire string) {
	unit := doctorFethFirst + 2*((int(uint64(pid)*2654435761%doctorFethPairs)+attempt)%doctorFethPairs)
	return fmt.Sprintf("feth%d", unit), fmt.Sprintf("feth%d", unit+1)
}

// The Router Advertisement the doctor sends: from a link-local router that
// is no default router (lifetime 0: nd6_ra_input keeps it as ineligible),
// with one on-link autonomous prefix of the documentation range, as the labs'
// prefixes are.
var (
	doctorRouterMAC = net.HardwareAddr{0x02, 0x6e, 0x63, 0x64, 0x6f, 0x63} // locally administered
	doctorRouterLL  = netip.MustParseAddr("fe80::6e63:64ff:fe6f:6301")
	doctorPrefix    = netip.MustParsePrefix("2001:db8:d0c::/64")
	allNodesMAC     = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}
	allNodes        = netip.MustParseAddr("ff02::1")
)

// fethSysctl must be 1 for a feth to be a plain BSD interface (if_fake.c,
// feth_clone_create): a lab sets it and puts it back, and so does the doctor.
const fethSysctl = "net.link.fake.bsd_mode"

// rfc4193Sysctl, when 1, keeps SLAAC off for every prefix but fc00::/7
// (nd6_ra_input, bsd/netinet6/nd6_rtr.c): the labs' 2001:db8::/32 prefixes
// would then give no address.
const rfc4193Sysctl = "net.inet6.ip6.only_allow_rfc4193_prefixes"

const remedyDarwinRoot = "run it as root: `sudo ./netconform doctor` (feth, /dev/bpf and the IPv6 ioctls need uid 0)"

type darwinSeq struct {
	ctx    context.Context
	runID  string
	ops    darwinOps
	timing darwinTiming

	state      scratchRecorder
	sut, wire  string
	created    []string // feths that exist because of us
	sysctlOld  string   // fethSysctl's value before we set it ("" = untouched)
	bpf        frameWriter
	destroyErr error
}

func darwinSequence(ctx context.Context, runID string, ops darwinOps, tc toolchain, timing darwinTiming) sequence {
	s := &darwinSeq{ctx: ctx, runID: runID, ops: ops, timing: timing}
	probes := []probe{
		{need: NeedRoot, what: "root", run: s.root},
		suitesProbe(tc),
		{need: NeedFeth, what: "feth create (scratch pair)", after: []Need{NeedRoot}, run: s.create},
		{need: NeedFethPeer, what: "feth peer and up", after: []Need{NeedFeth}, run: s.peer},
		{need: NeedBPF, what: "/dev/bpf open and bind", after: []Need{NeedFeth}, run: s.openBPF},
		{need: NeedIPv6, what: "IPv6 attach and link-local on feth", after: []Need{NeedFeth}, run: s.ipv6},
		{need: NeedRA, what: "Router Advertisement accepted", after: []Need{NeedFethPeer, NeedBPF, NeedIPv6}, run: s.ra},
		{need: NeedFethDestroy, what: "feth destroy (scratch pair undone)", after: []Need{NeedFeth}, run: s.destroy},
		{need: NeedCfilSysctl, what: "sysctl net.cfil and net.cfil.stats", run: s.cfil},
		{need: NeedLogShow, what: "log show (kernel lines)", run: s.logShow},
		{need: NeedZprint, what: "zprint socket", after: []Need{NeedRoot}, run: s.zprint},
	}
	return sequence{probes: probes, undo: s.undo}
}

func (s *darwinSeq) root() result {
	if err := s.ops.Privileged(); err != nil {
		if errors.Is(err, topology.ErrNotPrivileged) {
			return missing(err.Error(), remedyDarwinRoot)
		}
		return unknown(err.Error(), "")
	}
	return ok("uid 0")
}

// create finds a free scratch pair and creates both ends, each recorded as
// pending in the state file before ifconfig runs (as fethlab.go createPair).
func (s *darwinSeq) create() result {
	st, err := s.ops.State(s.runID)
	if err != nil {
		return unknown("cannot record the scratch pair: "+err.Error(), "")
	}
	s.state = st
	var note string
	old, err := s.ops.ReadSysctl(s.ctx, fethSysctl)
	switch {
	case err != nil:
		note = fmt.Sprintf("; %s unreadable (%v)", fethSysctl, err)
	case old != "1":
		if err := st.RecordSysctl(fethSysctl, old); err != nil {
			return unknown("cannot record "+fethSysctl+": "+err.Error(), "")
		}
		s.sysctlOld = old
		if err := s.ops.WriteSysctl(s.ctx, fethSysctl, "1"); err != nil {
			return unknown(fmt.Sprintf("%s is %s and could not be set to 1: %v", fethSysctl, old, err), "")
		}
		note = fmt.Sprintf("; %s was %s, set to 1 as a lab does (restored at the end)", fethSysctl, old)
	}
	var busy []string
	for attempt := 0; attempt < doctorAttempts; attempt++ {
		sut, wire := doctorFethPair(s.ops.PID(), attempt)
		if s.ops.Exists(sut) || s.ops.Exists(wire) {
			continue
		}
		res, retry := s.createPair(sut, wire)
		if !retry {
			if res.status == StatusOK {
				res.detail += note
			}
			return res
		}
		busy = append(busy, res.detail)
	}
	return unknown(fmt.Sprintf("no scratch pair could be created in %d attempts: %s", doctorAttempts, strings.Join(busy, "; ")), "")
}

// createPair creates sut and wire; retry says the names were taken (EEXIST,
// or EBUSY while a destroyed interface of that name is still detaching:
// dlil_if_acquire in bsd/net/dlil.c) and another pair should be tried.
func (s *darwinSeq) createPair(sut, wire string) (res result, retry bool) {
	if err := s.state.Pending(sut, wire); err != nil {
		return unknown("cannot record the scratch pair: "+err.Error(), ""), false
	}
	for i, n := range []string{sut, wire} {
		err := s.ops.CreateFeth(s.ctx, n)
		if err == nil {
			s.created = append(s.created, n)
			if rerr := s.state.Created(n); rerr != nil {
				return unknown("cannot record "+n+": "+rerr.Error(), ""), false
			}
			continue
		}
		// This name and those not tried do not exist: forget them. One
		// created stays recorded until undo destroys it.
		if ferr := s.state.Forget([]string{sut, wire}[i:]...); ferr != nil {
			err = errors.Join(err, ferr)
		}
		switch {
		case hasErrnoText(err, "Resource busy", "File exists"):
			return unknown(err.Error(), ""), true
		case hasErrnoText(err, "Operation not permitted"):
			return missing(err.Error(), remedyDarwinRoot), false
		case hasErrnoText(err, "Invalid argument"):
			// if_clone_create answers EINVAL when no cloner has the name
			// (bsd/net/if.c).
			return missing("this kernel has no feth interface cloner: "+err.Error(),
				"none on this Mac: feth (if_fake.c) is in every macOS since 10.13; report `sw_vers` and `ifconfig -C`"), false
		}
		return unknown(err.Error(), ""), false
	}
	s.sut, s.wire = sut, wire
	return ok("%s and %s created", sut, wire), false
}

func (s *darwinSeq) peer() result {
	if err := s.ops.PeerFeth(s.ctx, s.sut, s.wire); err != nil {
		// feth_config answers EBUSY when either side has a peer or is
		// detaching (if_fake.c): not for a pair just made.
		if hasErrnoText(err, "Operation not permitted") {
			return missing(err.Error(), remedyDarwinRoot)
		}
		return unknown(err.Error(), "")
	}
	for _, n := range []string{s.sut, s.wire} {
		if err := s.ops.Up(s.ctx, n); err != nil {
			return unknown(err.Error(), "")
		}
	}
	return ok("%s peer %s, both up", s.sut, s.wire)
}

func (s *darwinSeq) openBPF() result {
	w, err := s.ops.OpenBPF(s.wire)
	switch {
	case err == nil:
		s.bpf = w
		return ok("bound to %s", s.wire)
	case isAny(err, unix.EACCES, unix.EPERM):
		// /dev/bpf* are root:wheel 0600 (bpf_make_dev_t, bsd/net/bpf.c).
		return missing(err.Error(), remedyDarwinRoot)
	case strings.Contains(err.Error(), "no free /dev/bpf"):
		return missing(err.Error(), "every /dev/bpf device is held open (Wireshark, tcpdump, VPN or monitoring agents): "+
			"quit some, or raise the limit: `sudo sysctl -w debug.bpf_maxdevices=512`")
	}
	return unknown(err.Error(), "")
}

// ipv6 sets the SUT side up as xnu's tests/net_test_lib.c ifnet_start_ipv6
// does and waits for the link-local address.
func (s *darwinSeq) ipv6() result {
	var note string
	if err := s.ops.AttachIPv6(s.sut); err != nil {
		switch {
		case errors.Is(err, unix.EEXIST):
			// proto_plumb answers EEXIST when something (configd) attached
			// IPv6 first (in6_domifattach, in6_ifattach.c): it is attached.
			note = " (IPv6 was already attached by someone else: fine)"
		case isAny(err, unix.EPERM, unix.EACCES):
			return missing(err.Error(), remedyDarwinRoot)
		default:
			return unknown(err.Error(), "")
		}
	}
	if err := s.ops.DisableDAD(s.sut); err != nil {
		return unknown(err.Error(), "")
	}
	if err := s.ops.StartLinkLocal(s.sut); err != nil {
		return unknown(err.Error(), "")
	}
	var last []netip.Prefix
	found := s.await(s.timing.linkLocal, func() bool {
		last, _ = s.ops.Addrs(s.sut)
		for _, p := range last {
			if p.Addr().IsLinkLocalUnicast() {
				return true
			}
		}
		return false
	}, nil)
	if !found {
		return unknown(fmt.Sprintf("no link-local address on %s %v after SIOCLL_START (addresses: %v)", s.sut, s.timing.linkLocal, last),
			"every ipv6 check would end in error: attach `ifconfig -v "+s.sut+"` taken while `sudo ./netconform doctor` waits to a report")
	}
	return ok("%s has %s%s", s.sut, firstLinkLocal(last), note)
}

func firstLinkLocal(ps []netip.Prefix) netip.Addr {
	for _, p := range ps {
		if p.Addr().IsLinkLocalUnicast() {
			return p.Addr()
		}
	}
	return netip.Addr{}
}

// ra turns on RA processing as the lab does (SIOCAUTOCONF_START sets
// IFEF_ACCEPT_RTADV, without which nd6_ra_input drops every RA) and sends one
// RA from the wire side; an address in its prefix must appear.
func (s *darwinSeq) ra() result {
	if err := s.ops.StartAutoconf(s.sut); err != nil {
		if isAny(err, unix.EPERM, unix.EACCES) {
			return missing(err.Error(), remedyDarwinRoot)
		}
		return unknown(err.Error(), "")
	}
	frame, err := RouterAdvertisement(doctorRouterMAC, doctorRouterLL, doctorPrefix)
	if err != nil {
		return unknown(err.Error(), "")
	}
	var sendErr error
	send := func() {
		if err := s.bpf.WriteFrame(frame); err != nil && sendErr == nil {
			sendErr = err
		}
	}
	send()
	var addr netip.Addr
	found := s.await(s.timing.ra, func() bool {
		ps, _ := s.ops.Addrs(s.sut)
		for _, p := range ps {
			if doctorPrefix.Contains(p.Addr()) {
				addr = p.Addr()
				return true
			}
		}
		return false
	}, send)
	if found {
		return ok("%s configured %s from one RA for %s", s.sut, addr, doctorPrefix)
	}
	if sendErr != nil {
		return unknown(fmt.Sprintf("sending the RA on %s: %v", s.wire, sendErr), "")
	}
	if v, err := s.ops.ReadSysctl(s.ctx, rfc4193Sysctl); err == nil && v != "0" {
		return missing(fmt.Sprintf("no address in %s on %s: %s is %s, so SLAAC is off for 2001:db8::/32", doctorPrefix, s.sut, rfc4193Sysctl, v),
			"sudo sysctl -w "+rfc4193Sysctl+"=0 (for the run; it is 0 by default)")
	}
	return unknown(fmt.Sprintf("no address in %s on %s %v after a Router Advertisement", doctorPrefix, s.sut, s.timing.ra),
		"the ipv6 checks would end in error: attach this table and `ifconfig -v "+s.sut+"` and `ndp -p` taken while the doctor waits to a report")
}

// await polls cond until it holds or d passes, calling every (if not nil)
// about once a second: a resend for the RA.
func (s *darwinSeq) await(d time.Duration, cond func() bool, every func()) bool {
	deadline := time.Now().Add(d)
	nextEvery := time.Now().Add(time.Second)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) || s.ctx.Err() != nil {
			return false
		}
		if every != nil && time.Now().After(nextEvery) {
			every()
			nextEvery = nextEvery.Add(time.Second)
		}
		select {
		case <-s.ctx.Done():
		case <-time.After(s.timing.poll):
		}
	}
}

// destroy is the lab's Close for the scratch pair: the BPF first, then both
// interfaces, each forgotten by the state file once gone.
func (s *darwinSeq) destroy() result {
	if s.bpf != nil {
		_ = s.bpf.Close()
		s.bpf = nil
	}
	names := append([]string(nil), s.created...)
	if err := s.destroyCreated(); err != nil {
		s.destroyErr = err
		return missing(err.Error(), "`sudo ./netconform clean-lab` destroys what is left; labs would leave their interfaces the same way")
	}
	return ok("%s destroyed", strings.Join(names, " and "))
}

func (s *darwinSeq) destroyCreated() error {
	// Destroy must not depend on the probes' context, which may be done.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 30*time.Second)
	defer cancel()
	var errs []error
	var left []string
	for _, n := range s.created {
		if s.ops.Exists(n) {
			if err := s.ops.DestroyFeth(ctx, n); err != nil {
				errs = append(errs, fmt.Errorf("destroy %s: %w", n, err))
				left = append(left, n)
				continue // stays in the state file for clean-lab
			}
		}
		errs = append(errs, s.state.Forget(n))
	}
	s.created = left
	return errors.Join(errs...)
}

// undo removes whatever the probes left (an early stop skips the destroy
// row) and puts the sysctl back.
func (s *darwinSeq) undo() map[Need]error {
	out := map[Need]error{}
	if s.bpf != nil {
		_ = s.bpf.Close()
		s.bpf = nil
	}
	if len(s.created) > 0 && s.destroyErr == nil {
		out[NeedFeth] = s.destroyCreated()
	}
	if s.sysctlOld != "" {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), 10*time.Second)
		defer cancel()
		if err := s.ops.WriteSysctl(ctx, fethSysctl, s.sysctlOld); err != nil {
			out[NeedFeth] = errors.Join(out[NeedFeth], fmt.Errorf("restore %s=%s: %w", fethSysctl, s.sysctlOld, err))
		} else {
			out[NeedFeth] = errors.Join(out[NeedFeth], s.state.ForgetSysctl(fethSysctl))
		}
	}
	return out
}

// cfil reads what the content-filter attribution reads (cfil/snapshot_darwin.go):
// the net.cfil node (content_filter.c) and the stats struct with -x (-o cuts
// an opaque value at 16 bytes).
func (s *darwinSeq) cfil() result {
	out, errOut, err := s.ops.Run(s.ctx, "sysctl", "net.cfil")
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return missing("no sysctl in PATH", "put /usr/sbin in PATH")
		}
		if strings.Contains(out+errOut, "unknown oid") {
			return missing("this kernel has no net.cfil sysctls: "+oneLine(errOut),
				"none on this Mac: the content-filter attribution will say it is unavailable; the socket checks still run")
		}
		return unknown(fmt.Sprintf("sysctl net.cfil: %v: %s", err, oneLine(errOut)), "")
	}
	active := "?"
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, "net.cfil.active_count:"); ok {
			active = strings.TrimSpace(v)
		}
	}
	sOut, sErr, err := s.ops.Run(s.ctx, "sysctl", "-x", "net.cfil.stats")
	if err != nil {
		return unknown(fmt.Sprintf("sysctl -x net.cfil.stats: %v: %s", err, oneLine(sErr)), "")
	}
	if _, err := macos.ParseCfilStatsSysctl(sOut); err != nil {
		return unknown("net.cfil.stats: "+err.Error(),
			"the stats struct changed in this kernel: attach `sysctl -x net.cfil.stats` and `sw_vers` to a report so the decoder learns it")
	}
	return ok("active_count %s; net.cfil.stats is the %d-byte struct of xnu 10063-11417", active, macos.CfilStatsSize)
}

// logShow runs `log show` as the cfil attribution does
// (cfil/attribution_xnu.go cfilLogArgs), over the last two seconds.
func (s *darwinSeq) logShow() result {
	const layout = "2006-01-02 15:04:05-0700"
	now := time.Now()
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	out, errOut, err := s.ops.Run(ctx, "log", "show", "--style", "ndjson",
		"--start", now.Add(-2*time.Second).Format(layout), "--end", now.Add(time.Second).Format(layout),
		"--predicate", `sender == "kernel" AND eventMessage CONTAINS "CFIL"`)
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return missing("no log in PATH", "put /usr/bin in PATH")
	case err != nil:
		return missing(fmt.Sprintf("log show: %v: %s", err, oneLine(errOut)),
			"run it as root; if root gets this too, try `sudo log show --last 1m` by hand (logd must be running): "+
				"without it the cfil evidence lacks the kernel's lines")
	}
	events, _, perr := macos.ParseLogNDJSON(strings.NewReader(out))
	if perr != nil {
		return unknown("log show output: "+perr.Error(), "")
	}
	return ok("%d kernel CFIL lines in the last 2 s", len(events))
}

// zprint: as root, mach_memory_info gets the host privilege port and
// unredacted sizes; otherwise sizes are zeroed (zone_info_redact,
// osfmk/kern/zalloc.c), and zprint says "try running as root" on
// KERN_NO_ACCESS or "entitlement required" on KERN_DENIED (system_cmds
// zprint.c).
func (s *darwinSeq) zprint() result {
	out, errOut, err := s.ops.Run(s.ctx, "zprint", "socket")
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return missing("no zprint in PATH", "put /usr/bin in PATH (zprint ships with macOS)")
	case err != nil && strings.Contains(errOut, "try running as root"):
		return missing("zprint: "+oneLine(errOut), remedyDarwinRoot)
	case err != nil && strings.Contains(errOut, "entitlement required"):
		return missing("the kernel refuses zone information: "+oneLine(errOut),
			"none on this Mac: the socket zone counts will be missing from the churn evidence; the checks still run")
	case err != nil:
		return unknown(fmt.Sprintf("zprint socket: %v: %s", err, oneLine(errOut)), "")
	}
	z, found := macos.FindZone(macos.ParseZprint(out), "socket")
	if !found {
		return unknown("zprint socket printed no `socket` zone", "attach `zprint socket` and `sw_vers` to a report")
	}
	return ok("socket zone: %d elements in use of %d bytes", z.InUse, z.ElemSize)
}

// hasErrnoText reports whether an ifconfig(8) failure carries one of the
// strerror texts: ifconfig prints err(1, "SIOCIFCREATE2") (network_cmds
// ifclone.c), so only its text tells the errno.
func hasErrnoText(err error, texts ...string) bool {
	for _, t := range texts {
		if strings.Contains(err.Error(), t) {
			return true
		}
	}
	return false
}

// RouterAdvertisement is the doctor's RA (RFC 4861 §4.2) from router mac/ll
// to all nodes: router lifetime 0 (not a default router), one Prefix
// Information option for prefix with L and A set and 300 s lifetimes, and the
// source link-layer address. Every test of nd6_ra_input passes: hop limit
// 255, link-local source, ICMP code 0.
func RouterAdvertisement(mac net.HardwareAddr, ll netip.Addr, prefix netip.Prefix) ([]byte, error) {
	pio := make([]byte, 30)
	pio[0] = byte(prefix.Bits())
	pio[1] = 0xc0 // L, A
	for i, v := range []uint32{300, 300} {
		pio[2+4*i] = byte(v >> 24)
		pio[3+4*i] = byte(v >> 16)
		pio[4+4*i] = byte(v >> 8)
		pio[5+4*i] = byte(v)
	}
	a := prefix.Masked().Addr().As16()
	copy(pio[14:], a[:])
	ra := &layers.ICMPv6RouterAdvertisement{HopLimit: 64, Options: layers.ICMPv6Options{
		{Type: layers.ICMPv6OptSourceAddress, Data: mac},
		{Type: layers.ICMPv6OptPrefixInfo, Data: pio},
	}}
	eth := &layers.Ethernet{SrcMAC: mac, DstMAC: allNodesMAC, EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: layers.IPProtocolICMPv6, SrcIP: ll.AsSlice(), DstIP: allNodes.AsSlice()}
	icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeRouterAdvertisement, 0)}
	if err := icmp.SetNetworkLayerForChecksum(ip); err != nil {
		return nil, err
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true}, eth, ip, icmp, ra); err != nil {
		return nil, fmt.Errorf("serialize the RA: %w", err)
	}
	return buf.Bytes(), nil
}

// commandError names a failed program with what it printed.
func commandError(what string, err error, stderr string) error {
	return fmt.Errorf("%s: %w: %s", what, err, oneLine(stderr))
}
