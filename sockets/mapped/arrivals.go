package mapped

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/sockets/peer4"
)

// arrival is when and from where a payload arrived.
type arrival struct {
	at  time.Time
	src netip.AddrPort
}

// receiver is where a case looks for its datagrams.
type receiver interface {
	// await returns when payload has arrived, at deadline, or when ctx ends
	// (its error).
	await(ctx context.Context, payload string, deadline time.Time) error
	seen(payload string) (arrival, bool)
}

// socketReceiver reads the datagrams a socket sends to itself. Everything it
// reads is kept with its time, so a datagram that turns up while a later one
// is awaited is still accounted for (as late).
type socketReceiver struct {
	fd  int
	got map[string]arrival
}

func newSocketReceiver(fd int) *socketReceiver {
	return &socketReceiver{fd: fd, got: map[string]arrival{}}
}

// pollSlice bounds one poll so a cancelled ctx is noticed promptly.
const pollSlice = 100 * time.Millisecond

func (r *socketReceiver) await(ctx context.Context, payload string, deadline time.Time) error {
	for {
		r.drain()
		if _, ok := r.got[payload]; ok {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		wait := min(time.Until(deadline), pollSlice)
		if wait <= 0 {
			return nil
		}
		fds := []unix.PollFd{{Fd: int32(r.fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, int(wait.Milliseconds())+1); err != nil && err != unix.EINTR {
			return err
		}
	}
}

// drain reads every datagram waiting on the socket, without blocking.
func (r *socketReceiver) drain() {
	buf := make([]byte, 2048)
	for {
		n, from, err := unix.Recvfrom(r.fd, buf, unix.MSG_DONTWAIT)
		if err != nil {
			return
		}
		p := string(buf[:n])
		if _, dup := r.got[p]; !dup {
			r.got[p] = arrival{at: time.Now(), src: addrPortOf(from)}
		}
	}
}

func (r *socketReceiver) seen(payload string) (arrival, bool) {
	a, ok := r.got[payload]
	return a, ok
}

// wireReceiver looks for datagrams on the wire at the emulated peer; the
// arrival time is the frame's capture time.
type wireReceiver struct {
	host *peer4.Host

	mu   sync.Mutex
	next int // datagrams of host.Received() already indexed
	got  map[string]arrival
}

func newWireReceiver(h *peer4.Host) *wireReceiver {
	return &wireReceiver{host: h, got: map[string]arrival{}}
}

func (r *wireReceiver) index() {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := r.host.Received()
	for _, d := range all[r.next:] {
		p := string(d.Payload)
		if _, dup := r.got[p]; !dup {
			r.got[p] = arrival{at: d.Time, src: d.Src}
		}
	}
	r.next = len(all)
}

func (r *wireReceiver) await(ctx context.Context, payload string, deadline time.Time) error {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		// Take the channel before looking, so an arrival in between wakes us.
		changed := r.host.Changed()
		if _, ok := r.seen(payload); ok {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (r *wireReceiver) seen(payload string) (arrival, bool) {
	r.index()
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.got[payload]
	return a, ok
}
