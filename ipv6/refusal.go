package ipv6

import (
	"errors"
	"fmt"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// Refusal is a socket call the SUT refused, with its errno: the stack's own
// answer to "send from this address", so it is judged (a fail), never taken
// for harness trouble (observation.Refusal).
type Refusal = observation.Refusal

// refusalOf turns err from a socket call into a Refusal when the kernel
// answered it with an errno; ok is false for anything else (no errno in it:
// the harness's own failure). call is used when err does not name its
// system call.
func refusalOf(call string, err error) (Refusal, bool) {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return Refusal{}, false
	}
	var sc *os.SyscallError
	if errors.As(err, &sc) && sc.Syscall != "" {
		call = sc.Syscall
	}
	name := unix.ErrnoName(errno)
	if name == "" {
		name = fmt.Sprintf("errno %d", int(errno))
	}
	return Refusal{Call: call, Errno: name, Message: errno.Error()}, true
}

// accepted is how many of sent datagrams the calls accepted: none when a
// set-up call was refused, else those whose write was not refused.
func accepted(sent int, refusals []Refusal) int {
	n := sent
	for _, r := range refusals {
		if r.Datagram == 0 {
			return 0
		}
		n--
	}
	return max(n, 0)
}

func refusalTexts(rs []Refusal) []string {
	var s []string
	for _, r := range rs {
		s = append(s, r.String())
	}
	return s
}

// routeGet is the SUT's `route get`. A lookup the kernel answers with the
// error of a reject route (prohibit: EACCES, unreachable: EHOSTUNREACH or
// ENETUNREACH, blackhole: EINVAL, throw: EAGAIN) is the routing table's
// opinion, recorded in the entry like topology's own "network is
// unreachable", not a harness failure.
func routeGet(sut topology.SUT, dst, src netip.Addr) (topology.RouteEntry, error) {
	return tableOpinion(sut.RouteGet(dst, src))
}

// tableOpinion turns a lookup's reject-route errno into the entry's Error.
func tableOpinion(e topology.RouteEntry, err error) (topology.RouteEntry, error) {
	var errno unix.Errno
	if err != nil && errors.As(err, &errno) {
		switch errno {
		case unix.EACCES, unix.EHOSTUNREACH, unix.ENETUNREACH, unix.EINVAL, unix.EAGAIN:
			e.Error = errno.Error()
			return e, nil
		}
	}
	return e, err
}
