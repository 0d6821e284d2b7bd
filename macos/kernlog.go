package macos

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// LogEvent is one event of `log show --style ndjson` (or `log stream --style ndjson`).
type LogEvent struct {
	Timestamp        string `json:"timestamp"` // "2026-05-04 10:14:33.123456-0700"
	EventMessage     string `json:"eventMessage"`
	ProcessID        int    `json:"processID"`
	SenderImagePath  string `json:"senderImagePath"`
	ProcessImagePath string `json:"processImagePath"`
	Subsystem        string `json:"subsystem"`
	Category         string `json:"category"`
	MessageType      string `json:"messageType"` // Default, Info, Debug, Error, Fault
	EventType        string `json:"eventType"`
}

// logTimeLayout is the timestamp format of log(1)'s JSON styles.
const logTimeLayout = "2006-01-02 15:04:05.000000-0700"

// Time parses Timestamp; the zero time if it does not parse.
func (e LogEvent) Time() time.Time {
	t, err := time.Parse(logTimeLayout, e.Timestamp)
	if err != nil {
		return time.Time{}
	}
	return t
}

// ParseLogNDJSON reads log(1) ndjson output. log prints a non-JSON line first ("Filtering the log data
// using ..."), and a run cut short can leave a partial last line: lines that are not a JSON object are
// returned in skipped rather than failing the parse. The object log ends a complete output with,
// {"count":N,"finished":1}, is no event and is dropped. Only a read error is an error.
func ParseLogNDJSON(r io.Reader) (events []LogEvent, skipped []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20) // kernel messages are short, but backtraces can be long
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "{") {
			skipped = append(skipped, line)
			continue
		}
		var e LogEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			skipped = append(skipped, line)
			continue
		}
		if isLogTrailer(line) {
			continue
		}
		events = append(events, e)
	}
	return events, skipped, sc.Err()
}

// isLogTrailer matches the object that ends `log show/stream --style ndjson`: {"count":N,"finished":1},
// with no event fields.
func isLogTrailer(line string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(line), &m) != nil {
		return false
	}
	_, finished := m["finished"]
	_, typ := m["eventType"]
	_, msg := m["eventMessage"]
	_, ts := m["timestamp"]
	return finished && !typ && !msg && !ts
}

// KernelLogLine splits a kernel message printed by CFIL_LOG ("%s:%d " __FUNCTION__, __LINE__, then the
// text) into its parts.
type KernelLogLine struct {
	Function string
	Line     int
	Text     string
}

var kernelLogPrefix = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*):(\d+) (.*)$`)

// ParseKernelLogLine splits "cfil_service_inject_queue:4472 CFIL: sosend() failed 22". ok is false for a
// message without the function:line prefix.
func ParseKernelLogLine(msg string) (KernelLogLine, bool) {
	m := kernelLogPrefix.FindStringSubmatch(strings.TrimSpace(msg))
	if m == nil {
		return KernelLogLine{}, false
	}
	n, _ := strconv.Atoi(m[2])
	return KernelLogLine{Function: m[1], Line: n, Text: m[3]}, true
}

// CFILEvents keeps the events whose message mentions CFIL (the content filter logs with that tag).
func CFILEvents(events []LogEvent) []LogEvent {
	var out []LogEvent
	for _, e := range events {
		if strings.Contains(e.EventMessage, "CFIL") {
			out = append(out, e)
		}
	}
	return out
}

// CfilFlow is what cfil_hash_entry_log (UDP and other datagram flows) or cfil_inp_log (TCP) print about the
// socket a message concerns. Fields the kernel version did not print stay zero: the format gained
// "[pid process]" in macOS 15.3 (bsd/net/content_filter.c).
type CfilFlow struct {
	Message string // the text between the leading <>, e.g. "CFIL: Error: sosend_reinject() failed"
	PID     int
	Process string
	Proto   string // "UDP(17)", "TCP"
	Dir     string // "in" or "out" when printed
	LPort   int
	FPort   int
	LAddr   string
	FAddr   string
	Hash    string
}

var (
	cfilFlowMessage = regexp.MustCompile(`^<([^>]*)>:\s*`)
	cfilFlowProc    = regexp.MustCompile(`^\[(\d+) ([^\]]*)\]\s*`)
	cfilFlowSock    = regexp.MustCompile(`^<(UDP|TCP|proto)(\(\d+\))?(?: (in|out))? `)
	cfilFlowField   = regexp.MustCompile(`\b(lport|fport|laddr|faddr|hash) (\S+)`)
)

// ParseCfilFlow reads the text of a cfil_hash_entry_log / cfil_inp_log line (after "function:line ").
func ParseCfilFlow(text string) (CfilFlow, bool) {
	var f CfilFlow
	m := cfilFlowMessage.FindStringSubmatch(text)
	if m == nil {
		return f, false
	}
	f.Message = m[1]
	rest := text[len(m[0]):]
	if p := cfilFlowProc.FindStringSubmatch(rest); p != nil {
		f.PID, _ = strconv.Atoi(p[1])
		f.Process = p[2]
		rest = rest[len(p[0]):]
	}
	if s := cfilFlowSock.FindStringSubmatch(rest); s != nil {
		f.Proto = s[1] + s[2]
		f.Dir = s[3]
	}
	for _, kv := range cfilFlowField.FindAllStringSubmatch(rest, -1) {
		switch kv[1] {
		case "lport":
			f.LPort, _ = strconv.Atoi(kv[2])
		case "fport":
			f.FPort, _ = strconv.Atoi(kv[2])
		case "laddr":
			f.LAddr = kv[2]
		case "faddr":
			f.FAddr = kv[2]
		case "hash":
			f.Hash = kv[2]
		}
	}
	return f, true
}

// ReinjectFailure is one occurrence of the content filter failing to re-send data it had held for the
// filter agent: cfil_service_inject_queue logs "CFIL: Error: sosend_reinject() failed" through
// cfil_info_log (which names the flow) and then "CFIL: sosend() failed <errno>". The datagram is lost while
// sendto(2) has already returned success.
type ReinjectFailure struct {
	Time      time.Time
	Errno     int    // 0 when the errno line is missing
	ErrnoName string // darwin name, e.g. "EINVAL"
	Flow      *CfilFlow
	Events    []LogEvent // the lines that make up the signature
}

const (
	reinjectFunction = "cfil_service_inject_queue"
	reinjectText     = "sosend_reinject() failed"
	sosendFailedText = "CFIL: sosend() failed "
	// reinjectPairWindow bounds the gap between the flow line and the errno line: the kernel prints them
	// back to back from the same call.
	reinjectPairWindow = time.Second
)

// FindReinjectFailures finds the signature in log events, in order. It matches function names and texts,
// never line numbers, which change between releases. A flow line is paired with an errno line that follows
// within reinjectPairWindow; either alone still counts as a failure.
func FindReinjectFailures(events []LogEvent) []ReinjectFailure {
	var (
		out     []ReinjectFailure
		pending *ReinjectFailure // a flow line waiting for its errno line
	)
	flush := func() {
		if pending != nil {
			out = append(out, *pending)
			pending = nil
		}
	}
	for _, e := range events {
		kl, ok := ParseKernelLogLine(e.EventMessage)
		if !ok {
			continue
		}
		switch {
		case strings.Contains(kl.Text, reinjectText):
			flush()
			pending = &ReinjectFailure{Time: e.Time(), Events: []LogEvent{e}}
			if f, ok := ParseCfilFlow(kl.Text); ok {
				pending.Flow = &f
			}
		case kl.Function == reinjectFunction && strings.HasPrefix(kl.Text, sosendFailedText):
			errno, err := strconv.Atoi(strings.Fields(strings.TrimPrefix(kl.Text, sosendFailedText) + " x")[0])
			if err != nil {
				errno = 0
			}
			if pending != nil && !pending.Time.IsZero() && !e.Time().IsZero() && e.Time().Sub(pending.Time) > reinjectPairWindow {
				flush() // too far apart to be one call of cfil_service_inject_queue
			}
			if pending == nil {
				pending = &ReinjectFailure{Time: e.Time()}
			}
			pending.Events = append(pending.Events, e)
			pending.Errno, pending.ErrnoName = errno, DarwinErrnoName(errno)
			flush()
		}
	}
	flush()
	return out
}

// darwinErrnoNames are the errno values of bsd/sys/errno.h a socket path can return. Darwin's numbers
// differ from Linux's above 34, so syscall.Errno on the host cannot name them.
var darwinErrnoNames = map[int]string{
	1: "EPERM", 2: "ENOENT", 4: "EINTR", 5: "EIO", 9: "EBADF", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT",
	16: "EBUSY", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE", 32: "EPIPE", 35: "EAGAIN", 36: "EINPROGRESS",
	37: "EALREADY", 38: "ENOTSOCK", 39: "EDESTADDRREQ", 40: "EMSGSIZE", 41: "EPROTOTYPE", 42: "ENOPROTOOPT",
	43: "EPROTONOSUPPORT", 45: "ENOTSUP", 47: "EAFNOSUPPORT", 48: "EADDRINUSE", 49: "EADDRNOTAVAIL",
	50: "ENETDOWN", 51: "ENETUNREACH", 52: "ENETRESET", 53: "ECONNABORTED", 54: "ECONNRESET", 55: "ENOBUFS",
	56: "EISCONN", 57: "ENOTCONN", 60: "ETIMEDOUT", 61: "ECONNREFUSED", 64: "EHOSTDOWN", 65: "EHOSTUNREACH",
	102: "EOPNOTSUPP",
}

// DarwinErrnoName names a darwin errno ("EINVAL" for 22), or "errno N" for one not in the table.
func DarwinErrnoName(n int) string {
	if s, ok := darwinErrnoNames[n]; ok {
		return s
	}
	return fmt.Sprintf("errno %d", n)
}
