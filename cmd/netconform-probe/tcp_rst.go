package main

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// rst runs N abortive closes in the shape of the macOS report (python/
// cpython#153117): each connection is flow-controlled first, the
// connecting end writing until its send would block (the peer reads
// nothing: its receive window closes and unsent bytes stay queued), then
// closed with SO_LINGER {1, 0}. Over loopback (no peer) the probe holds the
// accepting ends and, once every connection was aborted, reads each until
// the data queued before the RST is gone: the read must then fail with
// ECONNRESET. Toward a peer (the lab's emulated host, which acknowledges
// nothing) it records the local port of each connection for the parent to
// match against the RSTs the peer saw.
func (r *tcpRun) rst() {
	if r.c.Peer == "" {
		r.rstLoopback()
	} else {
		r.rstPeer()
		r.m.Written = r.written
	}
	if end, ok := r.countNow(time.Since(r.began)); ok {
		r.m.ControlBlocks.End = end
	}
	r.take(r.m.Iterations)
}

func (r *tcpRun) rstLoopback() {
	c := r.c
	domain, mapped := domainOf(c.Family), c.Family == tcpchurn.Mapped
	l, ep, call, e := listenLoopback(c.Family, c.ListenPort)
	if e != 0 {
		r.fail(1, call, e)
		return
	}
	defer sysClose(l)
	// Small buffers: the window closes after a few KiB, as it does after
	// megabytes with the defaults. Set on the listener, the accepted ends
	// inherit it (and their window scale follows).
	if e := sysSetInt(l, unix.SOL_SOCKET, unix.SO_RCVBUF, flowBuffer); e != 0 {
		r.fail(1, "setsockopt", e)
		return
	}
	accepted := make([]int, 0, c.Count)
	defer func() {
		for _, s := range accepted {
			sysClose(s)
		}
	}()
	sysReserveFDs(l, 2*c.Count+16)
	var written int64
	t0 := time.Now()
	for i := 1; i <= c.Count; i++ {
		s, n, call, e := abortOne(domain, mapped, l, ep)
		written += n
		if e != 0 {
			r.fail(i, call, e)
			break
		}
		accepted = append(accepted, s)
		r.m.Iterations = i
	}
	r.loopTime(time.Since(t0))
	// Every RST was sent by now; wait, once for all, until each accepted
	// end is readable (the RST, or a FIN had the close been graceful).
	awaitReadable(accepted, time.Duration(c.Wait))
	rc := &tcpchurn.RSTCount{Connections: len(accepted), Written: written}
	buf := make([]byte, 64<<10)
	for _, s := range accepted {
		err := drainRead(s, buf)
		switch {
		case err == unix.ECONNRESET:
			rc.Reset++
		case err == unix.EAGAIN || err == unix.EWOULDBLOCK:
			rc.Nothing++
		case err == nil:
			rc.FIN++
		default:
			rc.Other++
			if rc.OtherWhat == "" {
				rc.OtherWhat = unix.ErrnoName(asErrno(err))
			}
		}
	}
	r.m.RST = rc
}

// drainRead reads s without waiting until no data is left and returns how
// the reads ended: the error, or nil for end of file (a FIN). Data queued
// before the RST may come first (Linux returns it, then ECONNRESET); it is
// not the outcome.
func drainRead(s int, buf []byte) error {
	for range maxDrainReads {
		n, _, err := unix.Recvfrom(s, buf, unix.MSG_DONTWAIT)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
	return unix.EFBIG // more data than was ever written: not an outcome
}

// flowBuffer is the send and receive buffer of the flow-controlled
// connections; fillLimit bounds what one connection writes (its send would
// block long before with such buffers), maxDrainReads the reads of one
// accepting end.
const (
	flowBuffer    = 4096
	fillLimit     = 4 << 20
	maxDrainReads = 1024
)

var fillBuf = make([]byte, 4096)

// fillSend makes fd non-blocking and writes until the send would block:
// the peer's window is closed and the rest stays queued. It returns the
// bytes written.
func fillSend(fd int) (int64, string, unix.Errno) {
	if e := sysSetNonblock(fd); e != 0 {
		return 0, "fcntl", e
	}
	var total int64
	for total < fillLimit {
		n, err := unix.Write(fd, fillBuf)
		if err == unix.EAGAIN || err == unix.EWOULDBLOCK {
			return total, "", 0
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return total, "write", asErrno(err)
		}
		total += int64(n)
	}
	return total, "", 0
}

// abortOne makes one loopback connection, flow-controls it and closes its
// connecting end abortively; it returns the accepted end and the bytes
// written.
func abortOne(domain int, mapped bool, l int, ep *endpoint) (int, int64, string, unix.Errno) {
	fd, e := sysSocket(domain, unix.SOCK_STREAM)
	if e != 0 {
		return -1, 0, "socket", e
	}
	fail := func(s int, n int64, call string, e unix.Errno) (int, int64, string, unix.Errno) {
		sysClose(fd)
		if s >= 0 {
			sysClose(s)
		}
		return -1, n, call, e
	}
	if mapped {
		if e := sysV6OnlyOff(fd); e != 0 {
			return fail(-1, 0, "setsockopt", e)
		}
	}
	if e := sysSetInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, flowBuffer); e != 0 {
		return fail(-1, 0, "setsockopt", e)
	}
	if e := sysConnect(fd, ep); e != 0 {
		return fail(-1, 0, "connect", e)
	}
	s, e := sysAccept(l)
	if e != 0 {
		return fail(-1, 0, "accept", e)
	}
	n, call, e := fillSend(fd)
	if e != 0 {
		return fail(s, n, call, e)
	}
	if e := sysLinger0(fd); e != 0 {
		return fail(s, n, "setsockopt", e)
	}
	if e := sysClose(fd); e != 0 {
		sysClose(s)
		return -1, n, "close", e
	}
	return s, n, "", 0
}

// awaitReadable polls fds until every one is readable or the wait is over.
func awaitReadable(fds []int, wait time.Duration) {
	deadline := time.Now().Add(wait)
	pending := append([]int(nil), fds...)
	for len(pending) > 0 {
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		pfds := make([]unix.PollFd, len(pending))
		for i, fd := range pending {
			pfds[i] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN}
		}
		n, err := unix.Poll(pfds, int(left.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return
		}
		pending = pending[:0]
		for _, p := range pfds {
			if p.Revents == 0 {
				pending = append(pending, int(p.Fd))
			}
		}
	}
}

// rstPeer connects to the peer N times (non-blocking connect, then a poll
// for completion within the wait) and closes each connection abortively.
func (r *tcpRun) rstPeer() {
	c := r.c
	domain, mapped := domainOf(c.Family), c.Family == tcpchurn.Mapped
	ep, err := peerEndpoint(c)
	if err != nil {
		r.m.Unexpected = err.Error()
		return
	}
	t0 := time.Now()
	defer func() { r.loopTime(time.Since(t0)) }()
	for i := 1; i <= c.Count; i++ {
		fd, ok := r.connectPeer(i, domain, mapped, ep)
		if !ok {
			return
		}
		// Read before the close: the port is what the peer's records of
		// the RSTs are matched against.
		port := localPort(fd)
		if !r.abortPeer(i, fd) {
			return
		}
		r.m.Ports = append(r.m.Ports, port)
		r.m.Iterations = i
	}
}

// connectPeer opens connection i to the peer and waits for its handshake.
// When that fails it closes the socket, records why (r.fail with the call
// and errno, or r.m.Unexpected when the peer did not answer within the
// wait) and returns false.
func (r *tcpRun) connectPeer(i, domain int, mapped bool, ep *endpoint) (int, bool) {
	fd, call, e := sysStreamSocket(domain, true)
	if e != 0 {
		r.fail(i, call, e)
		return -1, false
	}
	if mapped {
		if e := sysV6OnlyOff(fd); e != 0 {
			sysClose(fd)
			r.fail(i, "setsockopt", e)
			return -1, false
		}
	}
	if e := sysSetInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, flowBuffer); e != 0 {
		sysClose(fd)
		r.fail(i, "setsockopt", e)
		return -1, false
	}
	if e := sysConnect(fd, ep); e != 0 && e != unix.EINPROGRESS {
		sysClose(fd)
		r.fail(i, "connect", e)
		return -1, false
	}
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
	n, _ := unix.Poll(pfd, int(time.Duration(r.c.Wait).Milliseconds()))
	if n == 0 {
		sysClose(fd)
		r.m.Unexpected = fmt.Sprintf("the lab peer %s did not complete the handshake of connection %d within %v", r.c.Peer, i, time.Duration(r.c.Wait))
		return -1, false
	}
	if soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || soerr != 0 {
		sysClose(fd)
		if err != nil {
			r.fail(i, "getsockopt", asErrno(err))
		} else {
			r.fail(i, "connect", unix.Errno(soerr))
		}
		return -1, false
	}
	return fd, true
}

// localPort is the connection's local port (0 when getsockname fails).
func localPort(fd int) int {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return 0
	}
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return a.Port
	case *unix.SockaddrInet6:
		return a.Port
	}
	return 0
}

// abortPeer flow-controls connection i and closes it abortively
// (SO_LINGER {1, 0}); r.written counts what it wrote even when a later call
// fails. When a call fails it records it and returns false.
func (r *tcpRun) abortPeer(i, fd int) bool {
	// The peer acknowledges no data: what is written stays unsent or
	// unacknowledged, as toward a peer whose window is closed.
	wrote, call, e := fillSend(fd)
	r.written += wrote
	if e != 0 {
		sysClose(fd)
		r.fail(i, call, e)
		return false
	}
	if e := sysLinger0(fd); e != 0 {
		sysClose(fd)
		r.fail(i, "setsockopt", e)
		return false
	}
	if e := sysClose(fd); e != 0 {
		r.fail(i, "close", e)
		return false
	}
	return true
}

// loopTime records the duration of the abortive closes alone (the wait
// for the RSTs and the reads are not part of the rate).
func (r *tcpRun) loopTime(d time.Duration) {
	r.m.Elapsed = check.Duration(d)
	if d > 0 {
		r.m.Rate = float64(r.m.Iterations) / d.Seconds()
	}
}
