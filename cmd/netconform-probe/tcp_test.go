package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

func TestParseTCPFlags(t *testing.T) {
	o, err := parseTCPFlags([]string{"--pattern", "close-connecting", "--family", "mapped", "--count", "500", "--peer", "[::ffff:192.0.2.2]:4702", "--drain", "3s", "--wait-stdin"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.Pattern != tcpchurn.CloseConnecting || o.Family != tcpchurn.Mapped || o.Count != 500 || o.SampleEvery != 10 ||
		time.Duration(o.Drain) != 3*time.Second || o.Peer != "[::ffff:192.0.2.2]:4702" || !o.waitStdin || o.progress {
		t.Errorf("got %+v", o)
	}
	for _, bad := range [][]string{
		{"--pattern", "linger"}, {"--family", "unix"}, {"--count", "0"}, {"--pattern", "close-connecting"},
		{"--peer", "192.0.2.2:1"}, {"--pattern", "close-connecting", "--peer", "192.0.2.2:1"}, {"extra"}, {"--nope"},
	} {
		if _, err := parseTCPFlags(bad, io.Discard); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

func TestCountTimeWait(t *testing.T) {
	// netstat -an -p tcp on macOS (network_cmds inet.c protopr).
	out := `Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)    
tcp4       0      0  127.0.0.1.4700         127.0.0.1.50123        TIME_WAIT  
tcp6       0      0  ::1.4700               ::1.50124              TIME_WAIT  
tcp46      0      0  *.22                   *.*                    LISTEN     
tcp4       0      0  192.0.2.1.50125        192.0.2.2.4702         SYN_SENT   
udp4       0      0  *.5353                 *.*                               
`
	if got := countTimeWait([]byte(out)); got != 2 {
		t.Errorf("countTimeWait = %d, want 2", got)
	}
}

// fakeCounter replays counts; after the last it repeats it.
type fakeCounter struct {
	held  []int64
	tw    int64
	calls int
	fail  error
}

func (f *fakeCounter) describe() cbDescription {
	return cbDescription{source: "fake", timeWait: "apart"}
}

func (f *fakeCounter) count() (int64, int64, error) {
	if f.fail != nil {
		return 0, 0, f.fail
	}
	i := min(f.calls, len(f.held)-1)
	f.calls++
	return f.held[i], f.tw, nil
}

func TestDrain(t *testing.T) {
	tests := []struct {
		name    string
		held    []int64 // drain samples
		slack   int
		drained bool
		left    int64
		samples int
	}{
		{"back at once", []int64{0}, 0, true, 0, 1},
		{"back after three", []int64{30, 12, 4, 0}, 0, true, 0, 4},
		{"within the slack", []int64{30, 2}, 2, true, 2, 2},
		{"never back", []int64{600, 600, 601}, 0, false, 600, 0},
		// The lowest sample counts, not the last: another process opening
		// sockets at the end of a machine-wide drain is not a leak.
		{"lowest counts", []int64{600, 40, 900}, 0, false, 40, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeCounter{held: tt.held}
			r := &tcpRun{c: tcpchurn.Config{Drain: check.Duration(60 * time.Millisecond), Slack: tt.slack}, cb: f, desc: f.describe(), cbErrs: map[string]bool{}}
			r.m.ControlBlocks = &tcpchurn.ControlBlocks{Start: tcpchurn.Count{Held: 0}}
			r.m.Iterations = 1000
			r.drain()
			cb := r.m.ControlBlocks
			if cb.Drained != tt.drained || cb.Left != tt.left || cb.After.Held != tt.left {
				t.Errorf("drained %v left %d after %+v", cb.Drained, cb.Left, cb.After)
			}
			if tt.samples > 0 && len(cb.Drain) != tt.samples {
				t.Errorf("%d drain samples, want %d", len(cb.Drain), tt.samples)
			}
			if !tt.drained && time.Duration(cb.DrainTime) < 60*time.Millisecond {
				t.Errorf("gave up after %v, before the drain time", time.Duration(cb.DrainTime))
			}
			if want := float64(tt.left); cb.PerThousand != want {
				t.Errorf("per thousand %v, want %v", cb.PerThousand, want)
			}
		})
	}
	t.Run("unreadable", func(t *testing.T) {
		f := &fakeCounter{fail: errors.New("no sockstat")}
		r := &tcpRun{c: tcpchurn.Config{Drain: check.Duration(time.Second)}, cb: f, desc: f.describe(), cbErrs: map[string]bool{}}
		r.m.ControlBlocks = &tcpchurn.ControlBlocks{}
		r.drain()
		r.drain()
		cb := r.m.ControlBlocks
		if len(cb.Drain) != 0 || strings.Join(cb.Errors, "|") != "no sockstat" {
			t.Errorf("%+v", cb)
		}
	})
}

// TestProbeStaysStatic: the probe must not link package net on Linux (nor
// anything else that needs cgo): it would become a dynamically linked cgo
// binary, measurably slower to churn sockets than the seed's C program
// (BenchmarkChurnRate fell from 0.97 to 0.92 of C when a zone lookup went
// through net.InterfaceByName).
func TestProbeStaysStatic(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goBin, "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=linux")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "net" || dep == "runtime/cgo" {
			t.Errorf("netconform-probe imports %s on Linux", dep)
		}
	}
}
