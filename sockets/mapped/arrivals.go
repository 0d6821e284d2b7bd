package mapped

import (
	"context"
	"fmt"
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/sockets/peer4"
)

// arrival is when and from where a payload arrived.
type arrival struct {
	at  time.Time
	src netip.AddrPort
}

// collector is where a case looks for its datagrams: all of the case's
// sockets at once (self) or the wire at the peer. One collector serves the
// K sockets together, so their receive windows overlap and one wait covers
// them all.
type collector interface {
	// refresh takes in whatever has arrived so far, with its time.
	refresh()
	// seen reports whether payload had arrived at the last refresh.
	seen(payload string) (arrival, bool)
	// wait returns when something may have arrived since the last refresh,
	// at deadline, or when ctx ends (its error).
	wait(ctx context.Context, deadline time.Time) error
}

// awaitAll waits until every payload has arrived or deadline has passed,
// whichever comes first: it never waits for a payload that is already in.
func awaitAll(ctx context.Context, c collector, payloads []string, deadline time.Time) error {
	return awaitUntil(ctx, c, func() bool {
		for _, p := range payloads {
			if _, ok := c.seen(p); !ok {
				return false
			}
		}
		return true
	}, deadline)
}

// awaitUntil refreshes c until done says the answer is known or deadline
// has passed, whichever comes first.
func awaitUntil(ctx context.Context, c collector, done func() bool, deadline time.Time) error {
	for {
		c.refresh()
		if done() || !time.Now().Before(deadline) {
			return nil
		}
		if err := c.wait(ctx, deadline); err != nil {
			return err
		}
	}
}

// socketCollector reads the datagrams the case's sockets send to
// themselves. Everything any of them reads is kept with its time, so a
// datagram that turns up late is still accounted for. The time is the
// kernel's, of the datagram's queueing on the socket (SO_TIMESTAMP), not
// that of the read: the matrix reads one case's sockets only once it has
// done waiting for another case's, and a datagram that came in at once
// must not look late for that (the wire collector likewise takes each
// frame's capture time).
type socketCollector struct {
	fds      []int
	got      map[string]arrival
	buf, oob []byte
}

func newSocketCollector() *socketCollector {
	return &socketCollector{got: map[string]arrival{}}
}

// add watches one more socket, asking the kernel to stamp what it
// receives. SO_TIMESTAMP touches only what recvmsg returns, not how the
// socket sends. An error is the harness's: without the stamps, arrival
// times would be read times.
func (r *socketCollector) add(fd int) error {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMP, 1); err != nil {
		return fmt.Errorf("harness could not ask for receive timestamps (SO_TIMESTAMP): %w", err)
	}
	r.fds = append(r.fds, fd)
	return nil
}

// pollSlice bounds one poll so a cancelled ctx is noticed promptly.
const pollSlice = 100 * time.Millisecond

func (r *socketCollector) wait(ctx context.Context, deadline time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wait := min(time.Until(deadline), pollSlice)
	if wait <= 0 || len(r.fds) == 0 {
		return nil
	}
	fds := make([]unix.PollFd, len(r.fds))
	for i, fd := range r.fds {
		fds[i] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN}
	}
	if _, err := unix.Poll(fds, int(wait.Milliseconds())+1); err != nil && err != unix.EINTR {
		return err
	}
	return nil
}

// refresh reads every datagram waiting on every socket, without blocking. A
// pending socket error is read (and so cleared) the same way.
func (r *socketCollector) refresh() {
	if r.buf == nil {
		r.buf, r.oob = make([]byte, 2048), make([]byte, unix.CmsgSpace(int(unsafe.Sizeof(unix.Timeval{}))))
	}
	for _, fd := range r.fds {
		for {
			n, oobn, _, from, err := unix.Recvmsg(fd, r.buf, r.oob, unix.MSG_DONTWAIT)
			if err != nil {
				break
			}
			p := string(r.buf[:n])
			if _, dup := r.got[p]; !dup {
				r.got[p] = arrival{at: receivedAt(r.oob[:oobn]), src: addrPortOf(from)}
			}
		}
	}
}

// receivedAt is the kernel's timestamp in a datagram's control messages;
// the time of reading if it has none (it always has one once add asked).
func receivedAt(oob []byte) time.Time {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return time.Now()
	}
	for _, m := range msgs {
		if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMP && len(m.Data) >= int(unsafe.Sizeof(unix.Timeval{})) {
			tv := (*unix.Timeval)(unsafe.Pointer(&m.Data[0]))
			return time.Unix(tv.Unix())
		}
	}
	return time.Now()
}

func (r *socketCollector) seen(payload string) (arrival, bool) {
	a, ok := r.got[payload]
	return a, ok
}

// wireCollector looks for datagrams on the wire at the emulated peer; the
// arrival time is the frame's capture time.
type wireCollector struct {
	host    *peer4.Host
	changed <-chan struct{} // taken before the last look: wakes at the next datagram
	next    int             // datagrams of host.Received() already indexed
	got     map[string]arrival
}

func newWireCollector(h *peer4.Host) *wireCollector {
	return &wireCollector{host: h, got: map[string]arrival{}}
}

func (r *wireCollector) refresh() {
	// The channel first, then the look: an arrival in between wakes wait.
	r.changed = r.host.Changed()
	all := r.host.Received()
	for _, d := range all[r.next:] {
		p := string(d.Payload)
		if _, dup := r.got[p]; !dup {
			r.got[p] = arrival{at: d.Time, src: d.Src}
		}
	}
	r.next = len(all)
}

func (r *wireCollector) wait(ctx context.Context, deadline time.Time) error {
	if r.changed == nil {
		return nil // never looked: look first
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-r.changed:
		return nil
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *wireCollector) seen(payload string) (arrival, bool) {
	a, ok := r.got[payload]
	return a, ok
}
