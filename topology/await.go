package topology

import (
	"context"
	"fmt"
	"syscall"
	"time"
)

// AddressWatch wakes a waiter when the SUT's addresses may have changed.
type AddressWatch interface {
	// Wait returns at the next change, at deadline, or when ctx ends (its
	// error). The caller reads the addresses again after each return.
	Wait(ctx context.Context, deadline time.Time) error
	Close()
}

// AddressTimeout is AwaitAddress's answer when the address never came.
type AddressTimeout struct {
	Interface, What string
	After           time.Duration
}

func (e *AddressTimeout) Error() string {
	return fmt.Sprintf("the SUT's interface %s holds no %s after %s", e.Interface, e.What, e.After)
}

// PollWatch is an AddressWatch that wakes every Every: for a SUT whose
// address changes come with no event to wait on.
type PollWatch struct{ Every time.Duration }

func (p PollWatch) Wait(ctx context.Context, deadline time.Time) error {
	t := time.NewTimer(max(0, min(time.Until(deadline), p.Every)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (PollWatch) Close() {}

// AwaitAddress is the one way to wait for an address: it returns the first
// address on the SUT's interface on link for which match holds, waking on
// every change w reports (nil: a watch of its own), or an error naming what
// (e.g. "an address in 2001:db8:a::/64") once timeout has passed.
func AwaitAddress(ctx context.Context, sut SUT, w AddressWatch, link string, timeout time.Duration, what string, match func(Address) bool) (Address, error) {
	if w == nil {
		own, err := WatchAddresses(sut)
		if err != nil {
			return Address{}, err
		}
		defer own.Close()
		w = own
	}
	deadline := time.Now().Add(timeout)
	for {
		addrs, err := sut.Addresses(link)
		if err != nil {
			return Address{}, err
		}
		for _, a := range addrs {
			if match(a) {
				return a, nil
			}
		}
		if !time.Now().Before(deadline) {
			return Address{}, &AddressTimeout{Interface: sut.Interface(link), What: what, After: timeout}
		}
		if err := w.Wait(ctx, deadline); err != nil {
			return Address{}, err
		}
	}
}

// UsableLinkLocal matches a link-local address that is not tentative.
func UsableLinkLocal(a Address) bool { return a.Prefix.Addr().IsLinkLocalUnicast() && !a.Tentative }

// awaitLinkLocal waits until every SUT interface of lab has a usable
// link-local address: with DAD off that is immediate, but link-up is
// asynchronous. Both drivers call it when a lab is built, each with its
// SUT's watch.
func awaitLinkLocal(ctx context.Context, sut SUT, w AddressWatch, lab Lab, timeout time.Duration) error {
	for _, link := range lab.Links {
		if _, err := AwaitAddress(ctx, sut, w, link.Name, timeout, "usable link-local address", UsableLinkLocal); err != nil {
			return err
		}
	}
	return nil
}

// AwaitFrames is the one way to wait for frames: it returns true as soon as
// done() holds, waking on every frame any of ports records, or done()'s
// answer once timeout has passed or ctx has ended. done reads what the
// ports recorded (Port.Frames and the like).
func AwaitFrames(ctx context.Context, ports []*Port, timeout time.Duration, done func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		chans := make([]<-chan struct{}, len(ports))
		for i, p := range ports {
			chans[i] = p.Changed()
		}
		if done() {
			return true
		}
		woke := make(chan struct{}, len(chans))
		stop := make(chan struct{})
		for _, c := range chans {
			go func() {
				select {
				case <-c:
					woke <- struct{}{}
				case <-stop:
				}
			}()
		}
		select {
		case <-woke:
			close(stop)
		case <-deadline.C:
			close(stop)
			return done()
		case <-ctx.Done():
			close(stop)
			return done()
		}
	}
}

// unboundScoper is a SUT whose unbound sockets must be scoped to stay in the
// lab: the darwin driver's, where the SUT is the Mac itself.
type unboundScoper interface {
	scopeUnbound(ifname string) func(network, address string, c syscall.RawConn) error
}

// UnboundScope is the socket control (a net.Dialer's Control) that keeps an
// unbound socket of the SUT inside the lab, on interface ifname, or nil where
// the SUT's stack holds nothing but the lab (a Linux namespace). With it the
// kernel still chooses the source address and the router by itself.
func UnboundScope(sut SUT, ifname string) func(network, address string, c syscall.RawConn) error {
	if s, ok := sut.(unboundScoper); ok {
		return s.scopeUnbound(ifname)
	}
	return nil
}
