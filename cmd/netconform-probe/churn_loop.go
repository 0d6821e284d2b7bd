package main

import (
	"fmt"
	"io"
	"runtime"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

// immediateRetries is how many sockets the probe tries right after the first
// failure, before the pause: tells a transient failure from a persistent one.
const immediateRetries = 2

// sampler reads the kernel's socket accounting; one per OS (sample_*.go).
type sampler interface {
	// sample fills counters and returns the sources it could not read.
	sample(counters map[string]int64) []string
}

// runChurn is the measurement: the loop is shared by every OS, only the
// sampler differs.
func runChurn(c churn.Config, s sampler, progress io.Writer) churn.Measurement {
	domain, typ := socketArgs(c)
	every := c.EffectiveSampleEvery()
	m := churn.Measurement{
		Config: c, OS: runtime.GOOS, Arch: runtime.GOARCH, Kernel: kernelRelease(),
		// Room for every sample up front: no growth while the loop runs.
		Samples: make([]churn.Sample, 0, c.Count/every+4),
	}
	began := time.Now()
	var sampling time.Duration
	take := func(iteration int) {
		t0 := time.Now()
		smp := churn.Sample{Iteration: iteration, Elapsed: check.Duration(t0.Sub(began)), Counters: map[string]int64{}}
		smp.Errors = s.sample(smp.Counters)
		m.Samples = append(m.Samples, smp)
		if progress != nil {
			if line, err := churn.ProgressLine(smp); err == nil {
				progress.Write(line)
			}
		}
		sampling += time.Since(t0)
	}

	take(0)
	loopStart := time.Now()
	sampling = 0
	var fail *churn.Failure
	for from := 1; from <= c.Count && fail == nil; from += every {
		to := min(from+every-1, c.Count)
		if at, call, errno := cycles(domain, typ, from, to); at != 0 {
			fail = failure(at, call, errno)
			m.Iterations = at - 1
			break
		}
		m.Iterations = to
		take(to)
	}
	loop := time.Since(loopStart) - sampling
	m.Elapsed, m.Sampling = check.Duration(loop), check.Duration(sampling)
	if loop > 0 {
		m.Rate = float64(m.Iterations) / loop.Seconds()
	}
	if fail == nil {
		return m
	}
	m.FirstFailure = fail
	m.Failures = 1
	take(m.Iterations)
	m.Recovery = recoverAfter(c, domain, typ, &m.Failures)
	take(m.Iterations)
	return m
}

// cycles runs socket()+close() for iterations from..to. It is the hot path:
// raw system calls (syscalls_*.go), no allocation, no lock, nothing else. It
// returns the iteration that failed (0 when none did), which call failed and
// its errno.
func cycles(domain, typ, from, to int) (failedAt int, call string, errno unix.Errno) {
	for i := from; i <= to; i++ {
		fd, e := sysSocket(domain, typ)
		if e != 0 {
			return i, "socket", e
		}
		if e := sysClose(fd); e != 0 {
			return i, "close", e
		}
	}
	return 0, "", 0
}

// recoverAfter retries at once, pauses, and retries again: does socket()
// work again once deferred frees had time to run?
func recoverAfter(c churn.Config, domain, typ int, failures *int) *churn.Recovery {
	r := &churn.Recovery{ImmediateRetries: immediateRetries, Pause: c.Pause, Tries: c.RecoverTries}
	for range immediateRetries {
		if at, _, _ := cycles(domain, typ, 1, 1); at != 0 {
			r.ImmediateFailures++
			*failures++
		}
	}
	// A deliberate wait: the question is what time alone gives back.
	time.Sleep(time.Duration(c.Pause))
	for range c.RecoverTries {
		if at, _, errno := cycles(domain, typ, 1, 1); at != 0 {
			*failures++
			r.LastErrno = unix.ErrnoName(errno)
			continue
		}
		r.Succeeded++
	}
	r.Recovered = r.Succeeded == r.Tries
	return r
}

func failure(at int, call string, errno unix.Errno) *churn.Failure {
	name := unix.ErrnoName(errno)
	if name == "" {
		name = fmt.Sprintf("errno %d", int(errno))
	}
	return &churn.Failure{Iteration: at, Call: call, Errno: name, Code: int(errno), Message: capitalize(errno.Error())}
}

func asErrno(err error) unix.Errno {
	if e, ok := err.(unix.Errno); ok {
		return e
	}
	return unix.EINVAL // x/sys returns only Errno values from these calls
}

func socketArgs(c churn.Config) (domain, typ int) {
	domain, typ = unix.AF_INET6, unix.SOCK_STREAM
	if c.Family == "inet" {
		domain = unix.AF_INET
	}
	if c.Type == "dgram" {
		typ = unix.SOCK_DGRAM
	}
	return domain, typ
}

func kernelRelease() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}

// capitalize turns Go's "no buffer space available" into the C library's
// "No buffer space available", the words a bug report quotes.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
