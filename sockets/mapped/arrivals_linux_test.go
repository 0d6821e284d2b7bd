package mapped

import (
	"context"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// datagramPair is a connected pair of datagram sockets that never leave the
// process (AF_UNIX): a stand-in for a case's socket, with the kernel's
// receive timestamps.
func datagramPair(t *testing.T) (send, recv int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	return fds[0], fds[1]
}

// TestMatrixBatchDoesNotMakeAFastCaseLate: in one matrix batch, a case whose
// datagram never arrives holds the wait up to the shared deadline; a case
// whose datagram arrived at once, on a socket the harness reads only after
// that wait, is still delivered: its arrival time is the kernel's, not the
// read's. (With read times it came out late, 300 ms after it arrived.)
func TestMatrixBatchDoesNotMakeAFastCaseLate(t *testing.T) {
	const window = 300 * time.Millisecond
	send, recv := datagramPair(t)
	fast := newSocketCollector()
	if err := fast.add(recv); err != nil {
		t.Fatal(err)
	}
	lossy := &caseRun{p: Params{Sockets: 1, Timeout: window}, col: fakeCollector{}}
	quick := &caseRun{p: Params{Sockets: 1, Timeout: window}, col: fast}
	lost := SocketRecord{Index: 1, Datagrams: []DatagramResult{{Number: 1, Payload: "never", Call: "sendto", Return: 5}}}
	came := SocketRecord{Index: 1, Datagrams: []DatagramResult{{Number: 1, Payload: "at once", Call: "sendto", Return: 7}}}
	sentAt := time.Now()
	if _, err := unix.Write(send, []byte("at once")); err != nil {
		t.Fatal(err)
	}
	// The losing case first, as the matrix orders them: its wait lasts the
	// whole window before the quick case's socket is read.
	batch := []inflight{{lossy, pending{rec: &lost, i: 0, sentAt: sentAt}}, {quick, pending{rec: &came, i: 0, sentAt: sentAt}}}
	var late []inflight
	if err := accountAll(context.Background(), batch, &late, window); err != nil {
		t.Fatal(err)
	}
	if d := came.Datagrams[0]; d.Outcome != Delivered || time.Duration(d.Latency) > window/2 {
		t.Errorf("the quick case's datagram: %+v, want delivered at once", d)
	}
	if len(late) != 1 || late[0].run != lossy {
		t.Errorf("left for settle: %d datagrams, want only the lost one", len(late))
	}
}
