package mapped

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"time"

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

// caseRun is one case on a realised lab.
type caseRun struct {
	c    Case
	p    Params
	sut  topology.SUT
	peer *peer4.Host
	wire *wireReceiver
	// nonce makes this run's payloads unique, so nothing left over from
	// another run or case can be mistaken for an arrival.
	nonce string
}

func newCaseRun(c Case, p Params, sut topology.SUT, peer *peer4.Host) *caseRun {
	var b [4]byte
	rand.Read(b[:])
	return &caseRun{c: c, p: p, sut: sut, peer: peer, wire: newWireReceiver(peer), nonce: hex.EncodeToString(b[:])}
}

// pending is a datagram the call accepted that had not arrived in its window.
// It is held by position: rec points into the run's fixed records slice,
// never into a Datagrams slice that later appends may move.
type pending struct {
	rx     receiver
	rec    *SocketRecord
	i      int
	sentAt time.Time
}

// run sends from K fresh sockets, sequentially, and classifies every
// datagram. An error means the harness could not finish (ctx ended, the SUT
// could not be entered): no verdict.
func (r *caseRun) run(ctx context.Context) ([]SocketRecord, error) {
	local := sutIPv4.Addr()
	peer := netip.AddrPortFrom(peerIPv4, peerPort)
	records := make([]SocketRecord, r.p.Sockets)
	var socks []*udpSocket
	defer func() {
		for _, s := range socks {
			s.close()
		}
	}()
	var late []pending
	for k := range r.p.Sockets {
		rec := &records[k]
		rec.Index = k + 1
		if r.c.To == Peer {
			rec.To = peer
		}
		s, cerr := openSocket(r.sut, r.c, local, peer)
		if cerr != nil {
			if cerr.Call == "enter SUT" {
				return records, cerr.Err
			}
			// The stack refused to set the socket up: every datagram of
			// it is lost with that errno.
			for n := 1; n <= DatagramsPerSocket; n++ {
				rec.Datagrams = append(rec.Datagrams, DatagramResult{Number: n, Call: cerr.Call, Return: -1, Errno: cerr.Errno, Outcome: Errno})
			}
			continue
		}
		socks = append(socks, s)
		rec.Local = s.local()
		var rx receiver = r.wire
		if r.c.To == Self {
			rec.To = rec.Local
			rx = newSocketReceiver(s.fd)
		}
		to := rec.To
		if r.c.Connect {
			to = netip.AddrPort{} // send(), not sendto()
		}
		for n := 1; n <= DatagramsPerSocket; n++ {
			payload := fmt.Sprintf("netconform %s %s socket %d datagram %d", r.c.ID, r.nonce, k+1, n)
			ret, err := s.send([]byte(payload), to)
			sentAt := time.Now()
			rec.Datagrams = append(rec.Datagrams, DatagramResult{Number: n, Payload: payload, Call: r.c.Call(), Return: ret})
			d := &rec.Datagrams[len(rec.Datagrams)-1]
			if err != nil {
				f := failed(d.Call, err)
				d.Errno, d.Outcome = f.Errno, Errno
				continue
			}
			if !rec.Local.IsValid() || rec.Local.Port() == 0 {
				rec.Local = s.local() // the unbound socket got its address now
			}
			if err := rx.await(ctx, payload, sentAt.Add(r.p.Timeout)); err != nil {
				return records, err
			}
			if a, ok := rx.seen(payload); ok && !a.at.After(sentAt.Add(r.p.Timeout)) {
				d.Outcome, d.Latency, d.Source = Delivered, check.Duration(a.at.Sub(sentAt)), a.src
				continue
			}
			late = append(late, pending{rx: rx, rec: rec, i: len(rec.Datagrams) - 1, sentAt: sentAt})
		}
	}
	return records, r.settle(ctx, late)
}

// settle gives the datagrams that missed their window one more window, all
// together, then calls each late or a silent drop.
func (r *caseRun) settle(ctx context.Context, missing []pending) error {
	if len(missing) == 0 {
		return nil
	}
	end := time.Now().Add(r.p.Timeout)
	for _, m := range missing {
		d := &m.rec.Datagrams[m.i]
		if err := m.rx.await(ctx, d.Payload, end); err != nil {
			return err
		}
		if a, ok := m.rx.seen(d.Payload); ok {
			d.Outcome, d.Latency, d.Source = Late, check.Duration(a.at.Sub(m.sentAt)), a.src
		} else {
			d.Outcome = SilentDrop
		}
	}
	return nil
}
