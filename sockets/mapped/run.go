package mapped

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/peer4"
	"github.com/netconform/netconform/topology"
)

// DatagramsPerSocket is how many datagrams each fresh socket sends: the
// first (the one the seed loses) and a second to show the socket works.
const DatagramsPerSocket = 2

// Params are what a case run needs from the configuration.
type Params struct {
	// Sockets is K, the number of fresh sockets.
	Sockets int
	// Timeout is each datagram's receive window.
	Timeout time.Duration
}

// peerBurst is the most datagrams a case sends to the peer before it
// accounts for them (arrived, or their windows ended). The peer's address
// may not be resolved yet, and a stack holds only so many datagrams for an
// unresolved neighbour: xnu keeps 16 per ARP entry and drops the oldest
// beyond (bsd/netinet/in_arp.c, arp_maxhold, xnu-11417.121.6), Linux holds
// up to neigh/unres_qlen_bytes (212992 bytes by default). A larger burst
// could lose datagrams to that queue, which is not the loss the check looks
// for. K = 10 (the default) is one burst.
const peerBurst = 16

// caseRun is one case on a realised lab.
type caseRun struct {
	s    spec
	p    Params
	sut  topology.SUT
	peer *peer4.Host
	// col is where the datagrams are looked for: the peer's wire, or the
	// case's own sockets (self).
	col collector
	// nonce makes this run's payloads unique, so nothing left over from
	// another run or case can be mistaken for an arrival.
	nonce string
	// records are the case's sockets' records (open fills them in), socks
	// its sockets (nil where set-up failed), rx the receiving socket of a
	// loopback case (closed by close), dest where a socket's datagrams go.
	records []SocketRecord
	socks   []*udpSocket
	rx      *udpSocket
	dest    func(local netip.AddrPort) netip.AddrPort
}

func newCaseRun(s spec, p Params, sut topology.SUT, peer *peer4.Host) *caseRun {
	var b [4]byte
	rand.Read(b[:])
	r := &caseRun{s: s, p: p, sut: sut, peer: peer, nonce: hex.EncodeToString(b[:])}
	if s.To == Peer {
		r.col = newWireCollector(peer)
	} else {
		r.col = newSocketCollector()
	}
	return r
}

// close closes the case's sockets. The matrix keeps every case's sockets
// open until its last case is done, so that no later case gets a port (and
// so a flow) an earlier one had: a filter that tracks flows must see each
// case's flows as new, as the kernel's per-socket flows are.
func (r *caseRun) close() {
	for _, s := range r.socks {
		if s != nil {
			s.close()
		}
	}
	if r.rx != nil {
		r.rx.close()
	}
	r.socks, r.rx = nil, nil
}

// pending is a datagram the call accepted whose outcome is not known yet.
// It is held by position: rec points into the run's fixed records slice,
// never into a Datagrams slice that later appends may move.
type pending struct {
	rec    *SocketRecord
	i      int
	sentAt time.Time
}

func (m pending) datagram() *DatagramResult { return &m.rec.Datagrams[m.i] }

// run opens K fresh sockets, then sends their 1st datagrams, all of them,
// and waits once: until every one has arrived or the last of their receive
// windows has ended. Then the 2nd datagrams likewise, so every socket's 2nd
// datagram still leaves after its 1st was accounted for. A datagram that
// missed its window gets one more window at the end (late or silent drop).
// A case that loses datagrams thus costs one window per datagram number,
// whatever K. An error means the harness could not finish (ctx ended, the
// SUT could not be entered): no verdict.
func (r *caseRun) run(ctx context.Context) ([]SocketRecord, error) {
	defer r.close()
	if err := r.open(); err != nil {
		return r.records, err
	}
	burst := r.p.Sockets
	if r.s.To == Peer {
		burst = peerBurst
	}
	var late []pending
	for n := 1; n <= DatagramsPerSocket; n++ {
		var batch []pending
		for k, s := range r.socks {
			if s == nil {
				continue
			}
			if m, ok := r.send(s, &r.records[k], n); ok {
				batch = append(batch, m)
			}
			if len(batch) == burst {
				if err := r.account(ctx, batch, &late); err != nil {
					return r.records, err
				}
				batch = nil
			}
		}
		if err := r.account(ctx, batch, &late); err != nil {
			return r.records, err
		}
	}
	return r.records, r.settle(ctx, late)
}

// open opens the case's K sockets (and the loopback receiver), binding and
// connecting them as the case says, into r.records and r.socks: a socket the
// stack refused to set up has every datagram recorded as lost with that
// errno. An error is the harness's (the SUT could not be entered, the
// receiver could not be opened).
func (r *caseRun) open() error {
	own := sutIPv4.Addr()
	r.records = make([]SocketRecord, r.p.Sockets)
	r.socks = make([]*udpSocket, r.p.Sockets)
	var loopbackTo netip.AddrPort
	if r.s.To == Loopback {
		rx, err := openReceiver(r.sut)
		if err != nil {
			return err
		}
		r.rx = rx
		loopbackTo = rx.local()
		if err := r.col.(*socketCollector).add(rx.fd); err != nil {
			return err
		}
	}
	r.dest = func(local netip.AddrPort) netip.AddrPort {
		switch r.s.To {
		case Peer:
			return netip.AddrPortFrom(peerIPv4, peerPort)
		case Loopback:
			return loopbackTo
		}
		return netip.AddrPortFrom(own, local.Port())
	}
	for k := range r.p.Sockets {
		rec := &r.records[k]
		rec.Index = k + 1
		s, cerr := openSocket(r.sut, r.s, own, r.dest)
		if cerr != nil {
			if cerr.Call == "enter SUT" {
				return cerr.Err
			}
			// The stack refused to set the socket up: every datagram of
			// it is lost with that errno.
			for n := 1; n <= DatagramsPerSocket; n++ {
				rec.Datagrams = append(rec.Datagrams, DatagramResult{Number: n, Call: cerr.Call, Return: -1, Errno: cerr.Errno, Outcome: Errno})
			}
			continue
		}
		r.socks[k] = s
		rec.Local = s.local()
		rec.To = s.display(r.dest(rec.Local))
		if r.s.To == Self {
			if err := r.col.(*socketCollector).add(s.fd); err != nil {
				return err
			}
		}
	}
	return nil
}

// openReceiver opens the loopback case's receiving socket in the SUT: an
// AF_INET socket bound to 127.0.0.1, port 0.
func openReceiver(sut topology.SUT) (*udpSocket, error) {
	var s *udpSocket
	var cerr *callError
	err := sut.Do(func() error {
		s, cerr = rawSocket(spec{Family: "inet"})
		if cerr != nil {
			return nil
		}
		if err := unix.Bind(s.fd, s.sockaddr(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0))); err != nil {
			s.close()
			s, cerr = nil, failed("bind", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("harness could not enter the SUT: %w", err)
	}
	if cerr != nil {
		// The receiver is the harness's own socket: without it the case
		// cannot decide anything.
		return nil, fmt.Errorf("harness could not open the loopback receiver: %v", cerr)
	}
	return s, nil
}

// send sends datagram n of socket rec and records the call's answer; ok
// means the call accepted it and its arrival is to be awaited.
func (r *caseRun) send(s *udpSocket, rec *SocketRecord, n int) (pending, bool) {
	payload := fmt.Sprintf("netconform %s %s socket %d datagram %d", r.s.Name, r.nonce, rec.Index, n)
	ret, err := s.send(r.s.Call, []byte(payload), r.dest(rec.Local), sutIPv4.Addr())
	sentAt := time.Now()
	rec.Datagrams = append(rec.Datagrams, DatagramResult{Number: n, Payload: payload, Call: r.s.Call.Syscall(), Return: ret})
	d := &rec.Datagrams[len(rec.Datagrams)-1]
	if err != nil {
		f := failed(d.Call, err)
		d.Errno, d.Outcome = f.Errno, Errno
		return pending{}, false
	}
	if !rec.Local.IsValid() || rec.Local.Port() == 0 {
		rec.Local = s.local() // the unbound socket got its address now
	}
	if r.s.Call.Connects() {
		rec.Local = s.local() // connect chose the source
	}
	return pending{rec: rec, i: len(rec.Datagrams) - 1, sentAt: sentAt}, true
}

// account waits once for a batch of datagrams, until all have arrived or
// the last of their windows has ended, then calls each delivered if it
// arrived within its own window; the others go to late for settle.
func (r *caseRun) account(ctx context.Context, batch []pending, late *[]pending) error {
	if len(batch) == 0 {
		return nil
	}
	last := batch[0].sentAt
	for _, m := range batch {
		if m.sentAt.After(last) {
			last = m.sentAt
		}
	}
	return r.accountUntil(ctx, batch, late, last.Add(r.p.Timeout))
}

// accountUntil is account with the wait ending at deadline at the latest:
// the matrix waits for all its cases' datagrams of one number together.
func (r *caseRun) accountUntil(ctx context.Context, batch []pending, late *[]pending, deadline time.Time) error {
	if len(batch) == 0 {
		return nil
	}
	payloads := make([]string, len(batch))
	for i, m := range batch {
		payloads[i] = m.datagram().Payload
	}
	if err := awaitAll(ctx, r.col, payloads, deadline); err != nil {
		return err
	}
	for _, m := range batch {
		d := m.datagram()
		if a, ok := r.col.seen(d.Payload); ok && !a.at.After(m.sentAt.Add(r.p.Timeout)) {
			d.Outcome, d.Latency, d.Source = Delivered, check.Duration(a.at.Sub(m.sentAt)), a.src
			continue
		}
		*late = append(*late, m)
	}
	return nil
}

// settle gives the datagrams that missed their window one more window, all
// together, then calls each late or a silent drop.
func (r *caseRun) settle(ctx context.Context, missing []pending) error {
	return r.settleUntil(ctx, missing, time.Now().Add(r.p.Timeout))
}

// settleUntil is settle with the extra window ending at deadline: the
// matrix gives all its cases the same one. The extra window only tells late
// from lost: every datagram here has already missed its own window, so
// nothing that happens now changes a verdict. It ends early for a datagram
// as soon as a later datagram of the same socket has arrived: a flow's
// datagrams keep their order on the way (a content filter holding a flow's
// first datagram, as cfil does while its agent decides, holds the ones
// behind it too), so one that a later one overtook was not held but lost.
// A losing case thus costs its receive window, not two.
func (r *caseRun) settleUntil(ctx context.Context, missing []pending, deadline time.Time) error {
	if len(missing) == 0 {
		return nil
	}
	decided := func() bool {
		for _, m := range missing {
			if _, ok := r.col.seen(m.datagram().Payload); !ok && r.overtaker(m) == 0 {
				return false
			}
		}
		return true
	}
	if err := awaitUntil(ctx, r.col, decided, deadline); err != nil {
		return err
	}
	for _, m := range missing {
		d := m.datagram()
		if a, ok := r.col.seen(d.Payload); ok {
			d.Outcome, d.Latency, d.Source = Late, check.Duration(a.at.Sub(m.sentAt)), a.src
		} else {
			d.Outcome, d.OvertakenBy = SilentDrop, r.overtaker(m)
		}
	}
	return nil
}

// overtaker is the number of the first later datagram of m's socket that
// has arrived (at the collector's last refresh), or 0.
func (r *caseRun) overtaker(m pending) int {
	for _, d := range m.rec.Datagrams[m.i+1:] {
		if d.Payload == "" || d.Outcome == Errno {
			continue
		}
		if _, ok := r.col.seen(d.Payload); ok {
			return d.Number
		}
	}
	return 0
}
