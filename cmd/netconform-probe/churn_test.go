package main

import (
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

// countingSampler records how often it was asked, and nothing else.
type countingSampler struct{ calls int }

func (s *countingSampler) sample(c map[string]int64) []string {
	s.calls++
	c["calls"] = int64(s.calls)
	return nil
}

func TestRunChurnSamplesEveryK(t *testing.T) {
	c := churn.Config{Family: "inet", Type: "dgram", Count: 1000, SampleEvery: 300}
	s := &countingSampler{}
	var progress strings.Builder
	m := runChurn(c, s, &progress)
	if m.Iterations != 1000 || m.Failures != 0 || m.FirstFailure != nil {
		t.Fatalf("iterations %d failures %d first %v", m.Iterations, m.Failures, m.FirstFailure)
	}
	var at []int
	for _, smp := range m.Samples {
		at = append(at, smp.Iteration)
	}
	if want := []int{0, 300, 600, 900, 1000}; !equal(at, want) {
		t.Errorf("sampled at %v, want %v", at, want)
	}
	samples, rest := churn.SplitProgress([]byte(progress.String()))
	if len(samples) != len(m.Samples) || rest != "" {
		t.Errorf("%d progress lines for %d samples (rest %q)", len(samples), len(m.Samples), rest)
	}
	if m.Rate <= 0 {
		t.Errorf("rate %v", m.Rate)
	}
}

// TestRunChurnFailureAndRecovery makes socket() fail for sure with EMFILE
// (the soft descriptor limit set to the lowest free descriptor) and checks
// the first failure, the count and the recovery report.
func TestRunChurnFailureAndRecovery(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	lowest := f.Fd()
	f.Close()
	tight := old
	tight.Cur = uint64(lowest)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &tight); err != nil {
		t.Fatal(err)
	}
	c := churn.Config{Family: "inet6", Type: "stream", Count: 100, SampleEvery: 10, Pause: check.Duration(time.Millisecond), RecoverTries: 3}
	m := runChurn(c, &countingSampler{}, io.Discard)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	ff := m.FirstFailure
	if ff == nil || ff.Iteration != 1 || ff.Call != "socket" || ff.Errno != "EMFILE" || ff.Message != "Too many open files" {
		t.Fatalf("first failure %+v, want EMFILE at 1", ff)
	}
	if m.Iterations != 0 || m.Failures != 1+immediateRetries+3 {
		t.Errorf("iterations %d failures %d", m.Iterations, m.Failures)
	}
	r := m.Recovery
	if r == nil || r.Recovered || r.Succeeded != 0 || r.Tries != 3 || r.ImmediateFailures != immediateRetries || r.LastErrno != "EMFILE" {
		t.Errorf("recovery %+v", r)
	}
}

func TestParseChurnFlags(t *testing.T) {
	o, err := parseChurnFlags([]string{"--family", "inet", "--type", "dgram", "--count", "5000", "--pause", "250ms", "--wait-stdin"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.Family != "inet" || o.Type != "dgram" || o.Count != 5000 || o.SampleEvery != 5000/churn.DefaultSamples || time.Duration(o.Pause) != 250*time.Millisecond || !o.waitStdin || o.progress {
		t.Errorf("got %+v", o)
	}
	for _, bad := range [][]string{
		{"--family", "unix"}, {"--type", "raw"}, {"--count", "0"}, {"--sample-every", "-1"}, {"extra"}, {"--nope"},
	} {
		if _, err := parseChurnFlags(bad, io.Discard); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
