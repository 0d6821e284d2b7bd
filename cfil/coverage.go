package cfil

import (
	"strings"
	"time"
)

// NoFilterNote is what a socket check's reason says when the evidence shows
// no content filter on its datagrams' path: the seed's loss (macOS 15.6.1)
// happens where a content filter re-sends the data it held
// (content_filter.c, cfil_service_inject_queue -> sosend_reinject), so a
// pass without a filter on the path says nothing about it.
const NoFilterNote = "no content filter on the path: the reported loss happens only in a filter's reinject path"

// Coverage is what an attribution says about the path, in three values:
// a check may claim that no filter was there only when the evidence was
// read.
type Coverage string

const (
	// OnPath: a content filter was on the path (macOS: an agent connected
	// or sockets attached; Linux: a queueing rule matched or a queue moved).
	OnPath Coverage = "on-path"
	// NoFilter: the evidence was read and shows none (macOS:
	// net.cfil.active_count 0 before and after and no socket attached;
	// Linux: no queueing rule matched and no queue moved).
	NoFilter Coverage = "none"
	// Unknown: the evidence that would say so could not be read.
	Unknown Coverage = "unknown"
)

// CoverageOf classifies an attribution. On macOS "none" needs
// net.cfil.active_count read before and after; on Linux it needs the rules
// of at least one of iptables-save, ip6tables-save or nft (the others may
// be missing: a rule in a tool that is not installed cannot exist).
func CoverageOf(a Attribution) Coverage {
	if a.FilterOnPath {
		return OnPath
	}
	switch a.After.OS {
	case "darwin":
		for _, s := range []State{a.Before, a.After} {
			if _, ok := s.Sysctls[sysctlActiveCount]; !ok {
				return Unknown
			}
		}
		return NoFilter
	case "linux":
		for _, s := range []State{a.Before, a.After} {
			if !rulesRead(s) {
				return Unknown
			}
		}
		return NoFilter
	}
	return Unknown
}

// rulesRead reports whether some rule source of a Linux state was read:
// Errors names each one that was not.
func rulesRead(s State) bool {
	missing := 0
	for _, e := range s.Errors {
		for _, src := range []string{"iptables-save", "ip6tables-save", "nft "} {
			if strings.HasPrefix(e, src) {
				missing++
			}
		}
	}
	return missing < 3
}

// LineTime is the time of a kernel log line of Attribution.LogLines
// ("2026-05-04 10:14:33.123456-0700 message"); ok is false when the line
// does not start with one.
func LineTime(line string) (t time.Time, ok bool) {
	f := strings.SplitN(line, " ", 3)
	if len(f) < 2 {
		return time.Time{}, false
	}
	t, err := time.Parse(logLineLayout, f[0]+" "+f[1])
	return t, err == nil
}

// logLineLayout is log(1)'s JSON timestamp (macos.LogEvent.Timestamp).
const logLineLayout = "2006-01-02 15:04:05.000000-0700"

// ActiveAgents is a state's net.cfil.active_count, the number of content-filter
// agents connected to the kernel (macOS); known is false where the state
// has no such sysctl (Linux, or it could not be read).
func ActiveAgents(s State) (n int64, known bool) {
	v, ok := s.Sysctls[sysctlActiveCount]
	if !ok {
		return 0, false
	}
	return sysctlInt(s, sysctlActiveCount), strings.TrimSpace(v) != ""
}
