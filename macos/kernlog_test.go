package macos

import (
	"strings"
	"testing"
)

func TestParseLogNDJSON(t *testing.T) {
	events, skipped, err := ParseLogNDJSON(strings.NewReader(fixture(t, "log/cfil-ndjson.txt")))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 8 {
		t.Fatalf("%d events", len(events))
	}
	if len(skipped) != 2 || !strings.HasPrefix(skipped[0], "Filtering the log data") || !strings.HasPrefix(skipped[1], `{"traceID"`) {
		t.Fatalf("skipped %q", skipped)
	}
	e := events[1]
	if e.ProcessID != 0 || e.SenderImagePath != "/kernel" || e.MessageType != "Default" || e.Time().IsZero() {
		t.Errorf("event %+v", e)
	}
	if got := e.Time().UTC().Format("15:04:05.000000"); got != "17:14:33.123456" {
		t.Errorf("time %s", got)
	}
	if len(CFILEvents(events)) != 8 {
		t.Error("all fixture events mention CFIL")
	}
	if len(CFILEvents([]LogEvent{{EventMessage: "AppleBCMWLAN: hello"}})) != 0 {
		t.Error("non-CFIL event kept")
	}
}

func TestFindReinjectFailures(t *testing.T) {
	events, _, err := ParseLogNDJSON(strings.NewReader(fixture(t, "log/cfil-ndjson.txt")))
	if err != nil {
		t.Fatal(err)
	}
	got := FindReinjectFailures(events)
	want := []struct {
		errno   int
		name    string
		pid     int
		process string
		laddr   string
		lport   int
		events  int
	}{
		{22, "EINVAL", 86868, "a.out", "192.168.1.2", 65051, 2},
		{55, "ENOBUFS", 90210, "conformance.test", "::ffff:127.0.0.1", 50123, 2},
		{0, "", 0, "", "fe80::1", 5353, 1}, // pre-15.3 format: no [pid process]; errno line missing
		{65, "EHOSTUNREACH", -1, "", "", 0, 1},
	}
	if len(got) != len(want) {
		t.Fatalf("%d failures: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Errno != w.errno || (w.errno != 0 && g.ErrnoName != w.name) || len(g.Events) != w.events {
			t.Errorf("failure %d: errno %d %s, %d events", i, g.Errno, g.ErrnoName, len(g.Events))
		}
		if w.pid < 0 {
			if g.Flow != nil {
				t.Errorf("failure %d: unexpected flow %+v", i, g.Flow)
			}
			continue
		}
		if g.Flow == nil {
			t.Fatalf("failure %d: no flow", i)
		}
		f := *g.Flow
		if f.PID != w.pid || f.Process != w.process || f.LAddr != w.laddr || f.LPort != w.lport || f.Proto != "UDP(17)" ||
			f.Message != "CFIL: Error: sosend_reinject() failed" {
			t.Errorf("failure %d: flow %+v", i, f)
		}
	}
	if got[0].Flow.Dir != "out" || got[0].Flow.FAddr != "192.168.1.2" || got[0].Flow.Hash != "201AAC1" || got[0].Time.IsZero() {
		t.Errorf("first flow %+v", got[0].Flow)
	}
}

func TestParseKernelLogLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fn   string
		line int
		ok   bool
	}{
		{"cfil_service_inject_queue:4472 CFIL: sosend() failed 22", "cfil_service_inject_queue", 4472, true},
		{"  cfil_hash_entry_log:6088 <x>", "cfil_hash_entry_log", 6088, true},
		{"CFIL: sosend() failed 22", "", 0, false},
		{"", "", 0, false},
		{"cfil:abc text", "", 0, false},
	} {
		got, ok := ParseKernelLogLine(tc.in)
		if ok != tc.ok || got.Function != tc.fn || got.Line != tc.line {
			t.Errorf("%q: %+v %v", tc.in, got, ok)
		}
	}
}

func TestDarwinErrnoName(t *testing.T) {
	for n, want := range map[int]string{22: "EINVAL", 55: "ENOBUFS", 35: "EAGAIN", 999: "errno 999"} {
		if got := DarwinErrnoName(n); got != want {
			t.Errorf("%d: %s", n, got)
		}
	}
}

// TestParseLogNDJSONTrailer: a complete `log show --style ndjson` ends with
// {"count":N,"finished":1}; it is not an event (nor an unreadable line).
func TestParseLogNDJSONTrailer(t *testing.T) {
	events, skipped, err := ParseLogNDJSON(strings.NewReader(fixture(t, "log/cfil-ndjson-complete.txt")))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || len(skipped) != 1 {
		t.Fatalf("%d events %+v, skipped %q", len(events), events, skipped)
	}
	for _, e := range events {
		if e.EventMessage == "" || e.Time().IsZero() {
			t.Errorf("empty event %+v", e)
		}
	}
	// An event that happens to carry a "finished" key stays an event.
	events, _, _ = ParseLogNDJSON(strings.NewReader(`{"eventMessage":"x","eventType":"logEvent","finished":1}` + "\n"))
	if len(events) != 1 {
		t.Errorf("event with a finished key dropped: %+v", events)
	}
}
