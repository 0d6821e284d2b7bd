package cfil

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/macos"
)

func xnuFixtureState(t *testing.T, sysctls, stats string) State {
	t.Helper()
	return xnuState(fixture(t, "darwin/"+sysctls), nil, fixture(t, "darwin/"+stats), nil)
}

func TestXnuState(t *testing.T) {
	tests := []struct {
		name                string
		sysctls, stats      string
		sysctlErr, statsErr error
		wantSysctls         map[string]string // a subset
		wantStats           map[string]int64  // a subset
		wantErrors          []string          // substrings, one per error
	}{
		{"filtered", "sysctl-net-cfil-filtered-after.txt", "sysctl-x-cfil-stats-after.txt", nil, nil,
			map[string]string{"net.cfil.active_count": "1", "net.cfil.sock_attached_count": "8"},
			map[string]int64{"sock_attached": 412, "inject_q_out_fail": 2, "inject_q_out_passed": 81800}, nil},
		{"idle", "sysctl-net-cfil-idle.txt", "sysctl-x-cfil-stats-zero.txt", nil, nil,
			map[string]string{"net.cfil.active_count": "0"}, map[string]int64{"sock_attached": 0}, nil},
		{"no cfil in this kernel", "sysctl-net-cfil-unknown.txt", "sysctl-x-cfil-stats-zero.txt", errors.New("exit status 1"), nil,
			nil, map[string]int64{"inject_q_out_fail": 0}, []string{"sysctl net.cfil: exit status 1: sysctl: unknown oid 'net.cfil'"}},
		{"stats cut by sysctl -o", "sysctl-net-cfil-idle.txt", "sysctl-net-cfil-filtered-after.txt", nil, nil,
			map[string]string{"net.cfil.active_count": "0"}, nil, []string{"use sysctl -x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := xnuState(fixture(t, "darwin/"+tt.sysctls), tt.sysctlErr, fixture(t, "darwin/"+tt.stats), tt.statsErr)
			if s.OS != "darwin" {
				t.Errorf("OS %q", s.OS)
			}
			for k, v := range tt.wantSysctls {
				if s.Sysctls[k] != v {
					t.Errorf("sysctl %s = %q, want %q", k, s.Sysctls[k], v)
				}
			}
			if _, ok := s.Sysctls["net.cfil.stats"]; ok {
				t.Error("the opaque net.cfil.stats leaked into Sysctls")
			}
			for k, v := range tt.wantStats {
				if got, ok := s.Stats[k]; !ok || got != v {
					t.Errorf("stat %s = %d (%v), want %d", k, got, ok, v)
				}
			}
			if len(s.Errors) != len(tt.wantErrors) {
				t.Fatalf("errors %q, want %d", s.Errors, len(tt.wantErrors))
			}
			for i, w := range tt.wantErrors {
				if !strings.Contains(s.Errors[i], w) {
					t.Errorf("error %q, want %q", s.Errors[i], w)
				}
			}
		})
	}
}

func TestXnuAttribution(t *testing.T) {
	f, err := os.Open("testdata/darwin/log-cfil.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, skipped, err := macos.ParseLogNDJSON(f)
	if err != nil || len(skipped) != 2 {
		t.Fatalf("fixture: %v, skipped %q", err, skipped)
	}
	since := time.Date(2026, 5, 4, 10, 14, 32, 500_000_000, time.FixedZone("PDT", -7*3600))
	window := eventsInWindow(events, since, since.Add(1500*time.Millisecond))

	idle := xnuFixtureState(t, "sysctl-net-cfil-idle.txt", "sysctl-x-cfil-stats-zero.txt")
	before := xnuFixtureState(t, "sysctl-net-cfil-filtered-before.txt", "sysctl-x-cfil-stats-before.txt")
	after := xnuFixtureState(t, "sysctl-net-cfil-filtered-after.txt", "sysctl-x-cfil-stats-after.txt")
	tests := []struct {
		name          string
		before, after State
		events        []macos.LogEvent
		onPath        bool
		reinject      string
		lines         int
		want          string
	}{
		{"the 15.6.1 signature", before, after, window, true, "sosend_reinject() failed, errno 22 (EINVAL)", 3,
			"the content filter failed to re-send data it held (sosend_reinject() failed, errno 22 (EINVAL), udp 192.168.1.2:65051 -> 192.168.1.2:65051; 1 failure(s) logged, inject_q_out_fail +1): data sendto() reported as sent was lost"},
		{"filter on the path, nothing lost", before, after, window[:1], true, "", 1,
			"a content filter is on the path (active_count 1, sockets attached +1, 1 CFIL log lines), no re-inject failure logged"},
		{"no filter", idle, idle, nil, false, "", 0,
			"no content filter on the path (active_count 0, no socket attached, 0 CFIL log lines)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := xnuAttribution(tt.before, tt.after, tt.events)
			if a.FilterOnPath != tt.onPath || a.ReinjectFailure != tt.reinject || len(a.LogLines) != tt.lines || a.Summary != tt.want {
				t.Errorf("got on path %v, reinject %q, %d lines, summary\n%q\nwant %v, %q, %d,\n%q",
					a.FilterOnPath, a.ReinjectFailure, len(a.LogLines), a.Summary, tt.onPath, tt.reinject, tt.lines, tt.want)
			}
		})
	}
}

func TestEventsInWindow(t *testing.T) {
	pdt := time.FixedZone("PDT", -7*3600)
	ev := func(ts, msg string) macos.LogEvent { return macos.LogEvent{Timestamp: ts, EventMessage: msg} }
	events := []macos.LogEvent{
		ev("2026-05-04 10:14:32.999999-0700", "x:1 CFIL: too early"),
		ev("2026-05-04 10:14:33.000000-0700", "x:1 CFIL: at the start"),
		ev("2026-05-04 10:14:33.500000-0700", "x:1 not a content-filter line"),
		ev("garbled", "x:1 CFIL: time unreadable, kept"),
		ev("2026-05-04 10:14:34.000000-0700", "x:1 CFIL: at the end"),
		ev("2026-05-04 10:14:34.000001-0700", "x:1 CFIL: too late"),
	}
	// since carries nanoseconds that log(1) cannot print: an event in its
	// microsecond still counts.
	since := time.Date(2026, 5, 4, 10, 14, 33, 400, pdt)
	got := eventsInWindow(events, since, time.Date(2026, 5, 4, 10, 14, 34, 0, pdt))
	var msgs []string
	for _, e := range got {
		msgs = append(msgs, e.EventMessage)
	}
	want := "x:1 CFIL: at the start|x:1 CFIL: time unreadable, kept|x:1 CFIL: at the end"
	if strings.Join(msgs, "|") != want {
		t.Errorf("kept %q, want %q", msgs, want)
	}
}

func TestCfilLogArgs(t *testing.T) {
	pdt := time.FixedZone("PDT", -7*3600)
	got := strings.Join(cfilLogArgs(time.Date(2026, 5, 4, 10, 14, 33, 700_000_000, pdt), time.Date(2026, 5, 4, 10, 14, 35, 200_000_000, pdt)), " ")
	want := `show --style ndjson --start 2026-05-04 10:14:33-0700 --end 2026-05-04 10:14:36-0700 --predicate sender == "kernel" AND eventMessage CONTAINS "CFIL"`
	if got != want {
		t.Errorf("args\n%s\nwant\n%s", got, want)
	}
}

// TestWindowDarwinStatesElsewhere: macOS states seen on another OS are
// attributed from the counters, and the missing log is said, not hidden.
func TestWindowDarwinStatesElsewhere(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("on darwin the log is really read")
	}
	idle := xnuFixtureState(t, "sysctl-net-cfil-idle.txt", "sysctl-x-cfil-stats-zero.txt")
	a := Window(t.Context(), idle, idle, time.Now(), time.Now())
	if a.FilterOnPath || len(a.Errors) != 1 || !strings.Contains(a.Errors[0], "kernel log cannot be read") {
		t.Errorf("%+v", a)
	}
}
