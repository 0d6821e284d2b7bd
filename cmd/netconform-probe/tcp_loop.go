package main

import (
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// cbCounter reads the kernel's count of TCP control blocks; one per OS
// (tcp_count_*.go).
type cbCounter interface {
	describe() cbDescription
	// count returns what the source counts and how many of those
	// connections are in TIME_WAIT.
	count() (total, timeWait int64, err error)
}

type cbDescription struct {
	source, timeWait string
	// machine: the count covers the whole machine, not the SUT namespace.
	machine bool
	// timeWaitIncluded: total includes the TIME_WAIT connections.
	timeWaitIncluded bool
}

// listenBacklog is the loopback listener's backlog: the loops accept each
// connection at once, so it never fills.
const listenBacklog = 128

// tcpRun is one run of the tcp subcommand.
type tcpRun struct {
	c        tcpchurn.Config
	s        sampler
	cb       cbCounter
	desc     cbDescription
	progress io.Writer
	m        tcpchurn.Measurement
	began    time.Time
	sampling time.Duration
	cbErrs   map[string]bool
	// written (rst toward a peer) is what the connections wrote before
	// their abortive close.
	written int64
}

// runTCP is the measurement. The loops are the same on every OS; the
// system calls (tcp_sys_*.go), the sampler and the control-block counter
// differ.
func runTCP(c tcpchurn.Config, s sampler, cb cbCounter, progress io.Writer) tcpchurn.Measurement {
	every := c.EffectiveSampleEvery()
	r := &tcpRun{c: c, s: s, cb: cb, desc: cb.describe(), progress: progress, cbErrs: map[string]bool{}}
	r.m = tcpchurn.Measurement{
		Config: c, OS: runtime.GOOS, Arch: runtime.GOARCH, Kernel: kernelRelease(),
		Samples: make([]churn.Sample, 0, c.Count/every+4),
		ControlBlocks: &tcpchurn.ControlBlocks{
			Source: r.desc.source, TimeWait: r.desc.timeWait, Machine: r.desc.machine,
		},
	}
	r.began = time.Now()
	start, _ := r.countNow(0)
	r.m.ControlBlocks.Start, r.m.ControlBlocks.Peak = start, start
	r.take(0)
	if c.Pattern == tcpchurn.RST {
		r.rst()
	} else {
		r.churn(every)
	}
	return r.m
}

func domainOf(family string) int {
	if family == tcpchurn.Inet {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// churn runs the connect, close-connecting and abort loops, then the drain.
func (r *tcpRun) churn(every int) {
	c := r.c
	domain, mapped := domainOf(c.Family), c.Family == tcpchurn.Mapped
	listener := -1
	var target *endpoint
	var err error
	if c.Pattern == tcpchurn.CloseConnecting {
		target, err = peerEndpoint(c)
	} else {
		var call string
		var e unix.Errno
		listener, target, call, e = listenLoopback(c.Family, c.ListenPort)
		if e != 0 {
			r.fail(1, call, e)
			r.finish(listener)
			return
		}
	}
	if err != nil {
		r.m.Unexpected = err.Error()
		r.finish(listener)
		return
	}
	loopStart := time.Now()
	r.sampling = 0
	for from := 1; from <= c.Count; from += every {
		to := min(from+every-1, c.Count)
		var at int
		var call string
		var e unix.Errno
		if c.Pattern == tcpchurn.CloseConnecting {
			var connected bool
			at, call, e, connected = connectingCycles(domain, mapped, target, from, to)
			if connected {
				r.m.Iterations = at - 1
				r.m.Unexpected = fmt.Sprintf("connect() to %s, a peer that drops SYNs, completed at once at connection %d: the peer answered", c.Peer, at)
				break
			}
		} else {
			at, call, e = connectCycles(domain, mapped, c.Pattern == tcpchurn.Abort, listener, target, from, to)
		}
		if at != 0 {
			r.m.Iterations = at - 1
			r.fail(at, call, e)
			break
		}
		r.m.Iterations = to
		r.take(to)
	}
	loop := time.Since(loopStart) - r.sampling
	r.m.Elapsed, r.m.Sampling = check.Duration(loop), check.Duration(r.sampling)
	if loop > 0 {
		r.m.Rate = float64(r.m.Iterations) / loop.Seconds()
	}
	r.finish(listener)
}

// finish closes the listener, counts at the last close and drains.
func (r *tcpRun) finish(listener int) {
	if listener >= 0 {
		sysClose(listener)
	}
	cb := r.m.ControlBlocks
	if end, ok := r.countNow(time.Since(r.began)); ok {
		cb.End = end
	}
	r.take(r.m.Iterations)
	r.drain()
}

// drain samples the count after the last close until Held is back within
// the slack of the start, or the drain time is over. The count has no
// notification to wait on: it is polled, first every 2 ms, backing off to
// 250 ms (1 s where counting costs a netstat run).
func (r *tcpRun) drain() {
	cb := r.m.ControlBlocks
	t0 := time.Now()
	limit := time.Duration(r.c.Drain)
	interval, most := 2*time.Millisecond, 250*time.Millisecond
	if r.desc.machine {
		interval, most = 100*time.Millisecond, time.Second
	}
	for {
		el := time.Since(t0)
		n, ok := r.countNow(el)
		if !ok {
			break // the errors are recorded: no drain to judge by
		}
		cb.Drain = append(cb.Drain, n)
		if len(cb.Drain) == 1 || n.Held < cb.After.Held {
			cb.After = n
		}
		if n.Held-cb.Start.Held <= int64(r.c.Slack) {
			cb.Drained, cb.DrainTime = true, check.Duration(el)
			break
		}
		if el >= limit {
			cb.DrainTime = check.Duration(el)
			break
		}
		time.Sleep(min(interval, limit-el))
		interval = min(2*interval, most)
	}
	cb.Settle(r.m.Iterations)
}

// countNow reads the control-block count; elapsed is stored with it.
func (r *tcpRun) countNow(elapsed time.Duration) (tcpchurn.Count, bool) {
	total, tw, err := r.cb.count()
	if err != nil {
		if msg := err.Error(); !r.cbErrs[msg] {
			r.cbErrs[msg] = true
			r.m.ControlBlocks.Errors = append(r.m.ControlBlocks.Errors, msg)
		}
		return tcpchurn.Count{}, false
	}
	held := total
	if r.desc.timeWaitIncluded {
		held = total - tw
	}
	return tcpchurn.Count{Elapsed: check.Duration(elapsed), Total: total, TimeWait: tw, Held: held}, true
}

// take samples the accounting and the control-block count at iteration i.
func (r *tcpRun) take(i int) {
	t0 := time.Now()
	smp := churn.Sample{Iteration: i, Elapsed: check.Duration(t0.Sub(r.began)), Counters: map[string]int64{}}
	smp.Errors = r.s.sample(smp.Counters)
	if n, ok := r.countNow(t0.Sub(r.began)); ok {
		smp.Counters[tcpchurn.CounterTotal] = n.Total
		smp.Counters[tcpchurn.CounterTimeWait] = n.TimeWait
		smp.Counters[tcpchurn.CounterHeld] = n.Held
		if n.Held > r.m.ControlBlocks.Peak.Held {
			r.m.ControlBlocks.Peak = n
		}
	}
	r.m.Samples = append(r.m.Samples, smp)
	if r.progress != nil {
		if line, err := churn.ProgressLine(smp); err == nil {
			r.progress.Write(line)
		}
	}
	r.sampling += time.Since(t0)
}

func (r *tcpRun) fail(at int, call string, e unix.Errno) {
	if r.m.FirstFailure == nil {
		r.m.FirstFailure = failure(at, call, e)
	}
	r.m.Failures++
}

// connectCycles runs connections from..to to the loopback listener: socket,
// connect, accept, (SO_LINGER 0 when abort), close the connecting end,
// close the accepted end. It returns the connection that failed (0: none),
// the call and its errno; what that connection had opened is closed.
func connectCycles(domain int, mapped, abort bool, listener int, ep *endpoint, from, to int) (int, string, unix.Errno) {
	for i := from; i <= to; i++ {
		fd, e := sysSocket(domain, unix.SOCK_STREAM)
		if e != 0 {
			return i, "socket", e
		}
		if mapped {
			if e := sysV6OnlyOff(fd); e != 0 {
				sysClose(fd)
				return i, "setsockopt", e
			}
		}
		if e := sysConnect(fd, ep); e != 0 {
			sysClose(fd)
			return i, "connect", e
		}
		s, e := sysAccept(listener)
		if e != 0 {
			sysClose(fd)
			return i, "accept", e
		}
		if abort {
			if e := sysLinger0(fd); e != 0 {
				sysClose(fd)
				sysClose(s)
				return i, "setsockopt", e
			}
		}
		if e := sysClose(fd); e != 0 {
			sysClose(s)
			return i, "close", e
		}
		if e := sysClose(s); e != 0 {
			return i, "close", e
		}
	}
	return 0, "", 0
}

// connectingCycles runs non-blocking connects to a peer that drops SYNs,
// each closed while it is in progress. connected reports a connect that
// completed at once (the peer answered: the harness's fault).
func connectingCycles(domain int, mapped bool, ep *endpoint, from, to int) (at int, call string, errno unix.Errno, connected bool) {
	for i := from; i <= to; i++ {
		fd, call, e := sysStreamSocket(domain, true)
		if e != 0 {
			return i, call, e, false
		}
		if mapped {
			if e := sysV6OnlyOff(fd); e != 0 {
				sysClose(fd)
				return i, "setsockopt", e, false
			}
		}
		switch e := sysConnect(fd, ep); e {
		case unix.EINPROGRESS:
		case 0:
			sysClose(fd)
			return i, "connect", 0, true
		default:
			sysClose(fd)
			return i, "connect", e, false
		}
		if e := sysClose(fd); e != 0 {
			return i, "close", e, false
		}
	}
	return 0, "", 0, false
}

// listenLoopback opens the listener in the SUT: ::1, 127.0.0.1, or for
// mapped a dual-stack AF_INET6 socket on ::ffff:127.0.0.1. It returns the
// listener and the endpoint to connect to.
func listenLoopback(family string, port int) (int, *endpoint, string, unix.Errno) {
	domain := domainOf(family)
	var sa unix.Sockaddr
	switch family {
	case tcpchurn.Inet:
		sa = &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}
	case tcpchurn.Mapped:
		sa = &unix.SockaddrInet6{Port: port, Addr: netip.MustParseAddr("::ffff:127.0.0.1").As16()}
	default:
		sa = &unix.SockaddrInet6{Port: port, Addr: netip.IPv6Loopback().As16()}
	}
	fd, e := sysSocket(domain, unix.SOCK_STREAM)
	if e != 0 {
		return -1, nil, "socket", e
	}
	fail := func(call string, e unix.Errno) (int, *endpoint, string, unix.Errno) {
		sysClose(fd)
		return -1, nil, call, e
	}
	if family == tcpchurn.Mapped {
		if e := sysV6OnlyOff(fd); e != 0 {
			return fail("setsockopt", e)
		}
	}
	if e := sysReuseAddr(fd); e != 0 {
		return fail("setsockopt", e)
	}
	ep, err := newEndpoint(domain, sa)
	if err != nil {
		return fail("bind", asErrno(err))
	}
	if e := sysBind(fd, ep); e != 0 {
		return fail("bind", e)
	}
	if e := sysListen(fd, listenBacklog); e != 0 {
		return fail("listen", e)
	}
	bound, err := unix.Getsockname(fd)
	if err != nil {
		return fail("getsockname", asErrno(err))
	}
	ep, err = newEndpoint(domain, bound)
	if err != nil {
		return fail("getsockname", asErrno(err))
	}
	return fd, ep, "", 0
}

// peerEndpoint is the configured peer as a socket address; a zone (the
// lab interface of a link-local address) is resolved to its index.
func peerEndpoint(c tcpchurn.Config) (*endpoint, error) {
	ap, err := c.PeerAddr()
	if err != nil {
		return nil, err
	}
	a := ap.Addr()
	if a.Is4() {
		return newEndpoint(unix.AF_INET, &unix.SockaddrInet4{Port: int(ap.Port()), Addr: a.As4()})
	}
	sa := &unix.SockaddrInet6{Port: int(ap.Port()), Addr: a.As16()}
	if z := a.Zone(); z != "" {
		if n, err := strconv.Atoi(z); err == nil {
			sa.ZoneId = uint32(n)
		} else if idx, err := zoneIndex(z); err == nil {
			sa.ZoneId = idx
		} else {
			return nil, fmt.Errorf("peer %s: zone %q: %w", c.Peer, z, err)
		}
	}
	return newEndpoint(unix.AF_INET6, sa)
}
