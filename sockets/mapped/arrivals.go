package mapped

import (
	"context"
	"net/netip"
	"time"

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
// datagram that turns up late is still accounted for.
type socketCollector struct {
	fds []int
	got map[string]arrival
}

func newSocketCollector() *socketCollector {
	return &socketCollector{got: map[string]arrival{}}
}

// add watches one more socket.
func (r *socketCollector) add(fd int) { r.fds = append(r.fds, fd) }

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
	buf := make([]byte, 2048)
	for _, fd := range r.fds {
		for {
			n, from, err := unix.Recvfrom(fd, buf, unix.MSG_DONTWAIT)
			if err != nil {
				break
			}
			p := string(buf[:n])
			if _, dup := r.got[p]; !dup {
				r.got[p] = arrival{at: time.Now(), src: addrPortOf(from)}
			}
		}
	}
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
