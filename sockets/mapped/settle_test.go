package mapped

import (
	"context"
	"testing"
	"time"
)

// fakeCollector has the arrivals a test gives it: nothing else will come,
// so wait lasts until the deadline.
type fakeCollector map[string]arrival

func (f fakeCollector) refresh() {}
func (f fakeCollector) wait(ctx context.Context, deadline time.Time) error {
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
func (f fakeCollector) seen(p string) (arrival, bool) {
	a, ok := f[p]
	return a, ok
}

// TestSettleTellsLateFromSilentDrop: a datagram that missed its window is
// late if it turned up before the check ended, a silent drop otherwise.
func TestSettleTellsLateFromSilentDrop(t *testing.T) {
	sent := time.Now().Add(-2 * time.Second)
	rx := fakeCollector{"late one": {at: sent.Add(1500 * time.Millisecond)}}
	rec := SocketRecord{Index: 1, Datagrams: []DatagramResult{
		{Number: 1, Payload: "late one", Call: "sendto", Return: 8},
		{Number: 2, Payload: "never", Call: "sendto", Return: 5},
	}}
	// settle's own window is short here: what counts is what was seen.
	r := &caseRun{p: Params{Sockets: 1, Timeout: time.Millisecond}, col: rx}
	err := r.settle(context.Background(), []pending{{rec: &rec, i: 0, sentAt: sent}, {rec: &rec, i: 1, sentAt: sent}})
	if err != nil {
		t.Fatal(err)
	}
	if d := rec.Datagrams[0]; d.Outcome != Late || time.Duration(d.Latency) != 1500*time.Millisecond {
		t.Errorf("first: %+v, want late after 1.5s", d)
	}
	if d := rec.Datagrams[1]; d.Outcome != SilentDrop {
		t.Errorf("second: %+v, want a silent drop", d)
	}
}

// TestAccountUsesEachDatagramsOwnWindow: in one batch, a datagram that
// arrived within its own window is delivered, one that arrived after it
// (while the wait went on for a later one) is left for settle.
func TestAccountUsesEachDatagramsOwnWindow(t *testing.T) {
	t0 := time.Now().Add(-5 * time.Second)
	rx := fakeCollector{
		"in time": {at: t0.Add(900 * time.Millisecond)},
		"after":   {at: t0.Add(1100 * time.Millisecond)},
	}
	rec := SocketRecord{Index: 1, Datagrams: []DatagramResult{
		{Number: 1, Payload: "in time"}, {Number: 2, Payload: "after"}, {Number: 3, Payload: "never"},
	}}
	r := &caseRun{p: Params{Sockets: 1, Timeout: time.Second}, col: rx}
	var late []pending
	batch := []pending{{rec: &rec, i: 0, sentAt: t0}, {rec: &rec, i: 1, sentAt: t0}, {rec: &rec, i: 2, sentAt: t0}}
	if err := r.account(context.Background(), batch, &late); err != nil {
		t.Fatal(err)
	}
	if d := rec.Datagrams[0]; d.Outcome != Delivered || time.Duration(d.Latency) != 900*time.Millisecond {
		t.Errorf("in time: %+v", d)
	}
	if len(late) != 2 || late[0].i != 1 || late[1].i != 2 {
		t.Errorf("left for settle: %+v, want the 2nd and 3rd", late)
	}
}
