package topology

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/netconform/netconform/macos"
)

// The darwin driver. The SUT is the Mac itself: every lab link is a feth pair
// whose SUT side gets IPv6 the way xnu's tests/net_test_lib.c sets a feth up
// (attach, DAD off, link-local) plus Router Advertisement acceptance, and
// whose wire side stays up with no address, carrying the emulated peers
// through /dev/bpf. The driver changes nothing on the Mac but the interfaces
// it created and the sysctls in fethSysctls, and writes down both in its state
// file before changing them (fethstate.go).

// fethSysctls must hold for feth to be plain BSD Ethernet interfaces
// (if_fake.c: with bsd_mode 0 new feths attach as Skywalk native). They are
// only written when the Mac differs, and put back when the process's last lab
// closes.
var fethSysctls = [][2]string{{"net.link.fake.bsd_mode", "1"}}

// fethEnv is what the labs of one process share: the host, the state files
// (one per run id) and the sysctls changed for them.
type fethEnv struct {
	host fethHost
	dir  string
	pid  int
	now  func() time.Time

	// createMu makes picking a free pair and creating it one step among the
	// process's labs: two labs realised at once would try the same names.
	createMu sync.Mutex
	// next is the process's next candidate pair (fethPair's attempt): it only
	// moves forward, so a lab never takes the units a lab of this process has
	// just destroyed, which xnu keeps busy until they finish detaching
	// (macos.ErrNameBusy).
	next int

	mu      sync.Mutex
	states  map[string]*stateFile
	labs    int           // labs realised and not closed
	changed []stateSysctl // sysctls this process changed, with the old values
	owner   *stateFile    // the state file that records them
}

func newFethEnv(host fethHost, dir string, pid int) *fethEnv {
	return &fethEnv{host: host, dir: dir, pid: pid, now: time.Now, states: map[string]*stateFile{}}
}

func (e *fethEnv) stateFor(runID string) *stateFile {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.states[runID]
	if !ok {
		s = newStateFile(e.dir, runID, e.pid, e.host.BootID(), e.now())
		e.states[runID] = s
	}
	return s
}

// holdSysctls sets fethSysctls for the first lab of the process, recording
// each old value before writing the new one.
func (e *fethEnv) holdSysctls(ctx context.Context, state *stateFile) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.labs++
	if e.labs > 1 {
		return nil
	}
	e.owner = state
	for _, kv := range fethSysctls {
		old, err := e.host.ReadSysctl(ctx, kv[0])
		if err != nil || old == kv[1] {
			continue // absent (then feth creation says why) or already right
		}
		if err := state.recordSysctl(kv[0], old); err != nil {
			return err
		}
		e.changed = append(e.changed, stateSysctl{Name: kv[0], Old: old})
		if err := e.host.WriteSysctl(ctx, kv[0], kv[1]); err != nil {
			return fmt.Errorf("set %s=%s for feth: %w", kv[0], kv[1], err)
		}
	}
	return nil
}

// releaseSysctls puts the old values back when the last lab closes.
func (e *fethEnv) releaseSysctls(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.labs--
	if e.labs > 0 {
		return nil
	}
	var errs []error
	for _, c := range e.changed {
		if err := e.host.WriteSysctl(ctx, c.Name, c.Old); err != nil {
			errs = append(errs, fmt.Errorf("restore %s=%s: %w", c.Name, c.Old, err))
			continue // stays in the state file: clean-lab retries
		}
		errs = append(errs, e.owner.forgetSysctl(c.Name))
	}
	e.changed = nil
	return errors.Join(errs...)
}

// fethLink is one realised link.
type fethLink struct {
	sut, wire string
	index     int // the SUT interface's index
}

type fethLab struct {
	env      *fethEnv
	state    *stateFile
	opts     Options
	lab      Lab // the declaration with SUTIf and SUTMAC as realised
	links    map[string]*fethLink
	ports    map[string]*Port
	capture  *Capture
	created  []string // every feth this lab created, SUT and wire sides
	sysctls  bool     // holds the env's sysctls
	closeErr error
	closed   bool

	logMu sync.Mutex
	log   []string // what the driver had to work around, for the evidence (DriverLog)
}

// logf records a line in the lab's log and passes it to Options.Log.
func (l *fethLab) logf(format string, args ...any) {
	line := fmt.Sprintf("lab %s: ", l.lab.Name) + fmt.Sprintf(format, args...)
	l.logMu.Lock()
	l.log = append(l.log, line)
	l.logMu.Unlock()
	if l.opts.Log != nil {
		fmt.Fprintln(l.opts.Log, line)
	}
}

// DriverLog returns the lab's log: the kernel's answers the driver worked
// around (a busy feth name, IPv6 attached by someone else) while building it.
func (l *fethLab) DriverLog() []string {
	l.logMu.Lock()
	defer l.logMu.Unlock()
	return slices.Clone(l.log)
}

func (e *fethEnv) realize(ctx context.Context, lab Lab, opts Options) (inst Instance, err error) {
	if err := lab.Validate(); err != nil {
		return nil, err
	}
	if !ValidRunID(opts.RunID) {
		return nil, fmt.Errorf("run id %q is not 8 hex digits", opts.RunID)
	}
	// Routes the kernel cannot take are refused before anything exists.
	for _, r := range lab.Routes {
		if _, err := addRouteRequest(r, 1, true); err != nil {
			return nil, fmt.Errorf("lab %s: %w", lab.Name, err)
		}
	}
	l := &fethLab{env: e, state: e.stateFor(opts.RunID), opts: opts, lab: lab, links: map[string]*fethLink{}, ports: map[string]*Port{}}
	l.lab.Links = slices.Clone(lab.Links)
	defer func() {
		if err != nil {
			err = errors.Join(err, l.Close())
			inst = nil
		}
	}()
	l.sysctls = true
	if err := e.holdSysctls(ctx, l.state); err != nil {
		return nil, err
	}
	if opts.CaptureFile != "" {
		if l.capture, err = NewCapture(opts.CaptureFile); err != nil {
			return nil, err
		}
	}
	for i := range l.lab.Links {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := l.addLink(ctx, i); err != nil {
			return nil, err
		}
	}
	embed := e.host.EmbedsScope()
	for _, r := range lab.Routes {
		req, err := addRouteRequest(r, l.links[r.Link].index, embed)
		if err != nil {
			return nil, err
		}
		if err := e.host.AddRoute(req); err != nil {
			return nil, fmt.Errorf("add route %s via %s on %s: %w", r.Dst, r.Gateway, l.links[r.Link].sut, err)
		}
	}
	if err := l.awaitLinkLocal(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// createPair finds a free pair of feth names and creates it. The names are
// in the state file before `ifconfig create` runs. A name that exists is
// skipped; a create answered EBUSY (a destroyed interface of that name, maybe
// another process's, still detaching: macos.ErrNameBusy) moves on to the next
// units at once, as if_clone_create does for a kernel-chosen unit: the busy
// name is freed only when xnu's detacher thread gets to it, any other is free
// now.
func (l *fethLab) createPair(ctx context.Context) (sut, wire string, err error) {
	e := l.env
	host := e.host
	e.createMu.Lock()
	defer e.createMu.Unlock()
	busy := 0
	for attempt := 0; attempt < fethAttempts; attempt++ {
		if err := ctx.Err(); err != nil {
			return "", "", err
		}
		sut, wire = fethPair(e.pid, e.next)
		e.next++
		if host.Exists(sut) || host.Exists(wire) {
			continue
		}
		if err := l.state.setInterfaces(ifPending, sut, wire); err != nil {
			return "", "", err
		}
		cerr := host.CreatePair(ctx, sut, wire)
		// Whatever exists now is ours: both names were free a moment ago.
		var ours, gone []string
		for _, n := range []string{sut, wire} {
			if host.Exists(n) {
				ours = append(ours, n)
			} else {
				gone = append(gone, n)
			}
		}
		l.created = append(l.created, ours...)
		serr := errors.Join(l.state.forgetInterfaces(gone...), l.state.setInterfaces(ifCreated, ours...))
		if errors.Is(cerr, macos.ErrNameBusy) && serr == nil {
			busy++
			l.logf("feth pair %s/%s: %v; trying the next units", sut, wire, cerr)
			continue
		}
		if cerr != nil {
			return "", "", errors.Join(fmt.Errorf("create feth pair %s/%s: %w", sut, wire, cerr), serr)
		}
		return sut, wire, serr
	}
	return "", "", fmt.Errorf("no free feth pair after %d attempts from unit %d (%d answered EBUSY: names of destroyed interfaces still detaching)",
		fethAttempts, fethFirstUnit, busy)
}

func (l *fethLab) addLink(ctx context.Context, i int) error {
	host := l.env.host
	link := &l.lab.Links[i]
	sut, wire, err := l.createPair(ctx)
	if err != nil {
		return err
	}
	fl := &fethLink{sut: sut, wire: wire}
	l.links[link.Name] = fl
	link.SUTIf = sut
	// The MAC is set before IPv6 starts, so the link-local address is formed
	// from it. If the kernel refuses, the lab reports the MAC the interface
	// really has (66:65:74:68 + unit, feth_clone_create).
	_ = host.SetMAC(ctx, sut, link.SUTMAC)
	if text, err := host.Ifconfig(ctx, sut); err == nil {
		if ifs, _ := macos.ParseIfconfig(text); len(ifs) == 1 && len(ifs[0].Ether) == 6 {
			link.SUTMAC = ifs[0].Ether
		}
	}
	// The port is open before the SUT's IPv6 starts, so the capture holds the
	// SUT's very first frames.
	conn, err := host.OpenRaw(wire)
	if err != nil {
		return fmt.Errorf("bpf on %s: %w", wire, err)
	}
	port, err := NewPort(link.Name, conn, l.capture)
	if err != nil {
		conn.Close()
		return err
	}
	l.ports[link.Name] = port
	already, err := host.StartIPv6(sut)
	if err != nil {
		return err
	}
	if already {
		// Something (configd may) attached IPv6 to the new feth first:
		// in6_domifattach answered EEXIST and left it as it was.
		l.logf("%s: IPv6 was already attached (SIOCPROTOATTACH_IN6 answered EEXIST); went on with it", sut)
	}
	if err := host.StartAutoconf(sut); err != nil {
		return err
	}
	if link.SUTIPv4.IsValid() {
		if err := host.AddIPv4(ctx, sut, link.SUTIPv4); err != nil {
			return fmt.Errorf("add %s to %s: %w", link.SUTIPv4, sut, err)
		}
	}
	if fl.index, err = host.Index(sut); err != nil {
		return err
	}
	return nil
}

// awaitLinkLocal waits for a usable link-local address on every SUT
// interface: with DAD off it comes at once, but give the kernel time. The
// darwin SUT's address changes come with no event we rely on yet: poll.
func (l *fethLab) awaitLinkLocal(ctx context.Context) error {
	return awaitLinkLocal(ctx, l.SUT(), PollWatch{Every: 10 * time.Millisecond}, l.lab, 5*time.Second)
}

func (l *fethLab) Lab() *Lab              { return &l.lab }
func (l *fethLab) SUT() SUT               { return (*fethSUT)(l) }
func (l *fethLab) Port(link string) *Port { return l.ports[link] }

// Close stops the ports, destroys the lab's feths (their addresses and routes
// go with them) and restores sysctls. It is safe on a half-built lab and
// idempotent.
func (l *fethLab) Close() error {
	if l.closed {
		return l.closeErr
	}
	l.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	for _, p := range l.ports {
		errs = append(errs, p.Close())
	}
	if l.capture != nil {
		errs = append(errs, l.capture.Close())
	}
	host := l.env.host
	for _, n := range l.created {
		if host.Exists(n) {
			if err := host.Destroy(ctx, n); err != nil {
				errs = append(errs, fmt.Errorf("destroy %s: %w", n, err))
				continue // stays in the state file for clean-lab
			}
		}
		errs = append(errs, l.state.forgetInterfaces(n))
	}
	if l.sysctls {
		errs = append(errs, l.env.releaseSysctls(ctx))
	}
	l.closeErr = errors.Join(errs...)
	return l.closeErr
}

// cleanupFeth removes what runs that are dead (or, with all, every run but
// this process) recorded in dir: it destroys the feths still there, restores
// sysctls and removes the state file. A state file from an earlier boot only
// names interfaces that vanished with it; it is removed without touching
// anything. A file that cannot be read is left alone and reported.
func cleanupFeth(ctx context.Context, host fethHost, dir string, all bool, self int) ([]Leftover, error) {
	states, err := readStates(dir)
	errs := []error{err}
	var removed []Leftover
	boot := host.BootID()
	for _, s := range cleanupTargets(states, all, self, host.Alive) {
		if s.Boot != "" && boot != "" && s.Boot != boot {
			errs = append(errs, removeState(s.path))
			continue
		}
		ok := true
		for _, i := range s.Interfaces {
			if _, err := macos.FethUnit(i.Name); err != nil || !host.Exists(i.Name) {
				continue
			}
			if err := host.Destroy(ctx, i.Name); err != nil {
				errs = append(errs, fmt.Errorf("destroy %s of run %s pid %d: %w", i.Name, s.RunID, s.PID, err))
				ok = false
				continue
			}
			removed = append(removed, Leftover{Name: i.Name, RunID: s.RunID, PID: s.PID, Alive: host.Alive(s.PID)})
		}
		for _, c := range s.Sysctls {
			if err := host.WriteSysctl(ctx, c.Name, c.Old); err != nil {
				errs = append(errs, fmt.Errorf("restore %s=%s of run %s pid %d: %w", c.Name, c.Old, s.RunID, s.PID, err))
				ok = false
				continue
			}
			removed = append(removed, Leftover{Name: "sysctl " + c.Name, RunID: s.RunID, PID: s.PID, Alive: host.Alive(s.PID)})
		}
		if ok { // else kept whole: the next clean-up retries what is left
			errs = append(errs, removeState(s.path))
		}
	}
	return removed, errors.Join(errs...)
}

// leftoversFeth lists what the state files in dir record.
func leftoversFeth(host fethHost, dir string) ([]Leftover, error) {
	states, err := readStates(dir)
	return stateLeftovers(states, host.Alive), err
}

func removeState(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove state file: %w", err)
	}
	return nil
}
