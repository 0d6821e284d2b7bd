//go:build darwin

package macos

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// TestBPFOverFethPair needs root and creates interfaces, so it runs only with NETCONFORM_FETH_TEST=1:
// a frame written on the BPF of feth(N) must be read on the BPF of its peer.
func TestBPFOverFethPair(t *testing.T) {
	if os.Getenv("NETCONFORM_FETH_TEST") != "1" || os.Geteuid() != 0 {
		t.Skip("set NETCONFORM_FETH_TEST=1 and run as root")
	}
	ctx := context.Background()
	a, b := "feth3901", "feth3902"
	f := Feths{}
	if err := f.CreatePair(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Destroy(ctx, a); _ = f.Destroy(ctx, b) })

	tx, err := OpenBPF(a, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	rx, err := OpenBPF(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()

	// A broadcast frame with an experimental ethertype, from feth3901's MAC.
	unit, _ := FethUnit(a)
	frame := append(append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, FethMAC(unit)...), 0x88, 0xb5)
	frame = append(frame, bytes.Repeat([]byte("netconform"), 5)...)
	if err := tx.WriteFrame(frame); err != nil {
		t.Fatal(err)
	}
	if err := rx.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	for {
		n, err := rx.ReadFrame(buf)
		if err != nil {
			t.Fatalf("no frame on %s: %v", b, err)
		}
		if bytes.Equal(buf[:n], frame) {
			break
		}
	}
	// With nothing more to read, the deadline must fire.
	_ = rx.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	for {
		_, err := rx.ReadFrame(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatalf("want a deadline error, got %v", err)
		}
	}
}
