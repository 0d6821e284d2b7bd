package cfil

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/netconform/netconform/macos"
)

// macOS sysctl names read by Snapshot.
const (
	sysctlActiveCount   = "net.cfil.active_count"
	sysctlAttachedCount = "net.cfil.sock_attached_count"
	sysctlStats         = "net.cfil.stats"
)

// xnuState builds a macOS State from `sysctl net.cfil` and
// `sysctl -x net.cfil.stats` output (each with the error of running it).
func xnuState(sysctlOut string, sysctlErr error, statsOut string, statsErr error) State {
	s := State{OS: "darwin"}
	if sysctlErr != nil {
		s.Errors = append(s.Errors, fmt.Sprintf("sysctl net.cfil: %v: %s", sysctlErr, firstLine(sysctlOut)))
	} else {
		vals, other := macos.ParseSysctl(sysctlOut)
		s.Sysctls = map[string]string{}
		for _, v := range vals {
			// An opaque node printed in the listing is decoded into Stats.
			if strings.HasPrefix(v.Value, "Format:") {
				continue
			}
			s.Sysctls[v.Name] = v.Value
		}
		for _, o := range other {
			s.Errors = append(s.Errors, "sysctl net.cfil: "+o)
		}
		if _, ok := s.Sysctls[sysctlActiveCount]; !ok {
			s.Errors = append(s.Errors, "sysctl net.cfil: no "+sysctlActiveCount+" (no content filter support in this kernel?)")
		}
	}
	if statsErr != nil {
		s.Errors = append(s.Errors, fmt.Sprintf("sysctl -x %s: %v: %s", sysctlStats, statsErr, firstLine(statsOut)))
	} else if st, err := macos.ParseCfilStatsSysctl(statsOut); err != nil {
		s.Errors = append(s.Errors, err.Error())
	} else {
		s.Stats = st.Map()
	}
	return s
}

// xnuAttribution concludes from two macOS states and the CFIL kernel log
// events of the window.
func xnuAttribution(before, after State, events []macos.LogEvent) Attribution {
	a := Attribution{Before: before, After: after}
	for _, e := range events {
		a.LogLines = append(a.LogLines, strings.TrimSpace(e.Timestamp+" "+e.EventMessage))
	}
	active := max(sysctlInt(before, sysctlActiveCount), sysctlInt(after, sysctlActiveCount))
	attachedDelta := sysctlInt(after, sysctlAttachedCount) - sysctlInt(before, sysctlAttachedCount)
	statsAttached := after.Stats["sock_attached"] - before.Stats["sock_attached"]
	a.FilterOnPath = active > 0 || attachedDelta != 0 || statsAttached > 0

	failures := macos.FindReinjectFailures(events)
	if len(failures) > 0 {
		f := failures[0]
		a.ReinjectFailure = "sosend_reinject() failed"
		if f.Errno != 0 {
			a.ReinjectFailure += fmt.Sprintf(", errno %d (%s)", f.Errno, f.ErrnoName)
		}
	}
	outFail := after.Stats["inject_q_out_fail"] - before.Stats["inject_q_out_fail"]

	var parts []string
	switch {
	case a.ReinjectFailure != "":
		s := fmt.Sprintf("the content filter failed to re-send data it held (%s", a.ReinjectFailure)
		if f := failures[0].Flow; f != nil {
			proto, _, _ := strings.Cut(strings.ToLower(f.Proto), "(") // "UDP(17)" -> "udp"
			s += fmt.Sprintf(", %s %s -> %s", proto, hostPort(f.LAddr, f.LPort), hostPort(f.FAddr, f.FPort))
		}
		s += fmt.Sprintf("; %d failure(s) logged, inject_q_out_fail +%d): data sendto() reported as sent was lost", len(failures), outFail)
		parts = append(parts, s)
	case a.FilterOnPath:
		parts = append(parts, fmt.Sprintf("a content filter is on the path (active_count %d, sockets attached %+d, %d CFIL log lines), no re-inject failure logged", active, max(attachedDelta, statsAttached), len(events)))
	default:
		parts = append(parts, fmt.Sprintf("no content filter on the path (active_count 0, no socket attached, %d CFIL log lines)", len(events)))
	}
	if errs := append(append([]string{}, before.Errors...), after.Errors...); len(errs) > 0 {
		parts = append(parts, "evidence incomplete: "+errs[0])
	}
	a.Summary = strings.Join(parts, "; ")
	return a
}

func sysctlInt(s State, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s.Sysctls[name]), 10, 64)
	return n
}

// cfilLogArgs is the log(1) invocation for the window. log show takes local
// times to the second; the window is widened to whole seconds here and cut
// back exactly by eventsInWindow.
func cfilLogArgs(since, until time.Time) []string {
	const layout = "2006-01-02 15:04:05-0700"
	return []string{"show", "--style", "ndjson",
		"--start", since.Truncate(time.Second).Format(layout),
		"--end", until.Truncate(time.Second).Add(time.Second).Format(layout),
		"--predicate", `sender == "kernel" AND eventMessage CONTAINS "CFIL"`}
}

// eventsInWindow keeps the CFIL events stamped within [since, until]; an
// event whose time does not parse is kept (dropping evidence is worse).
func eventsInWindow(events []macos.LogEvent, since, until time.Time) []macos.LogEvent {
	var out []macos.LogEvent
	for _, e := range macos.CFILEvents(events) {
		t := e.Time()
		// log(1) stamps to the microsecond: compare at that precision.
		if t.IsZero() || (!t.Before(since.Truncate(time.Microsecond)) && !t.After(until)) {
			out = append(out, e)
		}
	}
	return out
}

// hostPort joins an address the kernel printed and a port, bracketing IPv6.
func hostPort(addr string, port int) string {
	if a, err := netip.ParseAddr(addr); err == nil {
		return netip.AddrPortFrom(a, uint16(port)).String()
	}
	return fmt.Sprintf("%s:%d", addr, port)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
