package mapped

import (
	"context"
	"testing"
	"time"
)

// fakeReceiver has the arrivals a test gives it; await never waits.
type fakeReceiver map[string]arrival

func (f fakeReceiver) await(context.Context, string, time.Time) error { return nil }
func (f fakeReceiver) seen(p string) (arrival, bool) {
	a, ok := f[p]
	return a, ok
}

// TestSettleTellsLateFromSilentDrop: a datagram that missed its window is
// late if it turned up before the check ended, a silent drop otherwise.
func TestSettleTellsLateFromSilentDrop(t *testing.T) {
	sent := time.Now().Add(-2 * time.Second)
	rx := fakeReceiver{"late one": {at: sent.Add(1500 * time.Millisecond)}}
	rec := SocketRecord{Index: 1, Datagrams: []DatagramResult{
		{Number: 1, Payload: "late one", Call: "sendto", Return: 8},
		{Number: 2, Payload: "never", Call: "sendto", Return: 5},
	}}
	r := &caseRun{p: Params{Sockets: 1, Timeout: time.Second}}
	err := r.settle(context.Background(), []pending{{rx: rx, rec: &rec, i: 0, sentAt: sent}, {rx: rx, rec: &rec, i: 1, sentAt: sent}})
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
