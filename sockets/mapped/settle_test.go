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

// TestSettleEndsWhenALaterDatagramOvertakes: the extra window ends for a
// missing datagram as soon as a later datagram of its socket has arrived
// (a flow keeps its order, so it was lost, not held), and the drop names
// the overtaker; a missing datagram nothing overtook is waited for until
// the window ends.
func TestSettleEndsWhenALaterDatagramOvertakes(t *testing.T) {
	sent := time.Now().Add(-time.Second)
	tests := []struct {
		name        string
		arrived     map[string]arrival
		wantOutcome Outcome
		wantBy      int
		wantWaited  bool // waited for the whole extra window
	}{
		{name: "2nd arrived, 1st never", arrived: map[string]arrival{"d2": {at: sent.Add(time.Millisecond)}},
			wantOutcome: SilentDrop, wantBy: 2},
		{name: "nothing arrived", arrived: map[string]arrival{},
			wantOutcome: SilentDrop, wantWaited: true},
		{name: "1st late, after the 2nd", arrived: map[string]arrival{"d1": {at: sent.Add(1200 * time.Millisecond)}, "d2": {at: sent.Add(time.Millisecond)}},
			wantOutcome: Late},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := SocketRecord{Index: 1, Datagrams: []DatagramResult{
				{Number: 1, Payload: "d1", Call: "sendto", Return: 2},
				{Number: 2, Payload: "d2", Call: "sendto", Return: 2, Outcome: Delivered},
			}}
			const window = 300 * time.Millisecond
			r := &caseRun{p: Params{Sockets: 1, Timeout: window}, col: fakeCollector(tt.arrived)}
			start := time.Now()
			if err := r.settle(context.Background(), []pending{{rec: &rec, i: 0, sentAt: sent}}); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			d := rec.Datagrams[0]
			if d.Outcome != tt.wantOutcome || d.OvertakenBy != tt.wantBy {
				t.Errorf("1st: %+v, want %s overtaken by %d", d, tt.wantOutcome, tt.wantBy)
			}
			if waited := took >= window; waited != tt.wantWaited {
				t.Errorf("settle took %v: waited the whole %v window = %v, want %v", took, window, waited, tt.wantWaited)
			}
			if rates := Rates([]SocketRecord{rec}); (rates[0].Overtaken == 1) != (tt.wantBy > 0) {
				t.Errorf("rates %+v", rates[0])
			}
		})
	}
}

// TestJudgeNamesTheSeedsSignature: silent drops that later datagrams of the
// same socket overtook are named as such in the reason.
func TestJudgeNamesTheSeedsSignature(t *testing.T) {
	rec := SocketRecord{Index: 1, Datagrams: []DatagramResult{
		{Number: 1, Payload: "d1", Call: "sendto", Return: 2, Outcome: SilentDrop, OvertakenBy: 2},
		{Number: 2, Payload: "d2", Call: "sendto", Return: 2, Outcome: Delivered},
	}}
	v, why := Judge("sendto", time.Second, []SocketRecord{rec})
	want := "1st datagram lost 1/1 (1 silent drop: sendto said success but nothing arrived, 1 of them while a later datagram of the same socket did); 2nd datagram delivered 1/1"
	if v != "fail" || why != want {
		t.Errorf("Judge = %s %q, want fail %q", v, why, want)
	}
}
