package evidence

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// matrixResult is a failing matrix result whose failing cases are given.
func matrixResult(t *testing.T, failing ...observation.MatrixCase) reports.CheckResult {
	t.Helper()
	m := observation.MappedMatrix{Matrix: "default", Sockets: 10, Cases: append([]observation.MatrixCase{
		{Name: "mapped/0 sendto self", Row: "mapped/0", Call: "sendto", Destination: "self", Verdict: "pass"},
	}, failing...)}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	c := reports.CheckResult{Result: checkResult("sockets.mapped-sendto.matrix")}
	c.Observations = b
	return c
}

func lostCase(row, call, dest string, silent int) observation.MatrixCase {
	return observation.MatrixCase{Name: row + " " + call + " " + dest, Row: row, Call: call, Destination: dest, Verdict: "fail",
		Rates: []observation.MatrixRate{{Number: 1, Sent: 10, SilentDrops: silent, Errnos: 10 - silent}}}
}

// TestMappedDefaultsFollowTheCheck: repro.c defaults to the case the check
// saw fail (the matrix's first silent drop, else its first failure; a single
// check's own case), and nothing from the observations reaches the C source
// unless it is one of the reproducer's own option values.
func TestMappedDefaultsFollowTheCheck(t *testing.T) {
	tests := []struct {
		name string
		c    reports.CheckResult
		want []string
	}{
		{"matrix: the silent drop first", matrixResult(t, lostCase("any/fixed", "sendmsg", "self", 0), lostCase("mapped-any/0", "sendmsg+IP_PKTINFO", "self", 10)),
			[]string{`DEFAULT_BIND "mapped-any"`, `DEFAULT_PORT "0"`, `DEFAULT_CALL "sendmsg+IP_PKTINFO"`, `DEFAULT_DEST "self"`, `DEFAULT_V6ONLY 0`, "(mapped-any/0 sendmsg+IP_PKTINFO self)"}},
		{"matrix: errno only", matrixResult(t, lostCase("any/fixed", "connect+send", "loopback", 0)),
			[]string{`DEFAULT_BIND "any"`, `DEFAULT_PORT "fixed"`, `DEFAULT_CALL "connect+send"`, `DEFAULT_DEST "loopback"`}},
		{"matrix: peer, unbound, v6only", matrixResult(t, lostCase("unbound+v6only", "sendto", "peer", 10)),
			[]string{`DEFAULT_BIND "unbound"`, `DEFAULT_DEST "loopback"`, `DEFAULT_V6ONLY 1`}},
		{"matrix: a tampered case falls back to the seed's", matrixResult(t, lostCase("mapped/0\"; system(\"x", "sendto", "self", 10)),
			[]string{`DEFAULT_BIND "mapped"`, `DEFAULT_CALL "sendto"`, `DEFAULT_DEST "self"`}},
		{"single: connected to the peer", singleResult("sockets.mapped-sendto.connected"),
			[]string{`DEFAULT_BIND "mapped"`, `DEFAULT_CALL "connect+send"`, `DEFAULT_DEST "self"`}},
		{"single: unbound", singleResult("sockets.mapped-sendto.unbound"),
			[]string{`DEFAULT_BIND "unbound"`, `DEFAULT_DEST "loopback"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp := reproducerFor(tt.c)
			src := string(rp.source)
			for _, w := range tt.want {
				if !strings.Contains(src, w) {
					t.Errorf("repro.c lacks %s:\n%s", w, src[:min(len(src), 400)])
				}
			}
			if strings.Contains(src, "system(") {
				t.Error("observations reached the C source unchecked")
			}
			if !strings.Contains(rp.note, "net.cfil.active_count") {
				t.Errorf("note %q does not say a content filter is needed", rp.note)
			}
		})
	}
}

// compileRepro compiles a reproducer as a bundle holds it with cc -Wall
// -Werror (skips where there is no cc).
func compileRepro(t *testing.T, rp *reproducer) string {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("cc not found: the C reproducers cannot be compiled here")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, ReproFile)
	if err := os.WriteFile(src, rp.source, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "repro")
	if out, err := exec.Command(cc, "-Wall", "-Werror", "-Wextra", "-O2", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("cc -Wall -Werror: %v\n%s", err, out)
	}
	return bin
}

func runRepro(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return string(out), 0
}

// TestMappedReproCases: the reproducer compiles with the failing case's
// defaults and runs every case of its options on this (healthy) kernel:
// each passes, sendmsg_x says it is macOS only, and impossible or bad
// options say why; exit 2 for those, never a pass.
func TestMappedReproCases(t *testing.T) {
	bin := compileRepro(t, reproducerFor(matrixResult(t, lostCase("mapped-any/fixed", "sendmsg+IPV6_PKTINFO", "loopback", 10))))
	out, code := runRepro(t, bin)
	if code != 0 || !strings.Contains(out, "bind mapped-any, port fixed, sendmsg+IPV6_PKTINFO to loopback") || !strings.Contains(out, "RESULT: PASS") {
		t.Fatalf("defaults: exit %d\n%s", code, out)
	}
	for _, bind := range reproBinds {
		for _, port := range []string{"0", "fixed"} {
			for _, call := range reproCalls[:5] {
				for _, dest := range []string{"self", "loopback"} {
					if bind == "unbound" && (dest == "self" || port == "fixed") {
						continue
					}
					args := []string{"-k", "2", "-b", bind, "-p", port, "-c", call, "-d", dest}
					if out, code := runRepro(t, bin, args...); code != 0 || !strings.Contains(out, "RESULT: PASS: every datagram arrived") {
						t.Errorf("%v: exit %d\n%s", args, code, out)
					}
				}
			}
		}
	}
	for _, tt := range []struct {
		args []string
		code int
		has  string
	}{
		{[]string{"-6", "-b", "any", "-k", "1"}, 0, "every datagram was refused, as IPV6_V6ONLY requires"},
		{[]string{"-6", "-b", "mapped", "-k", "1"}, 0, "bind() failed"},
		{[]string{"-c", "connect+sendmsg_x"}, 2, "macOS only"},
		{[]string{"-b", "unbound", "-d", "self"}, 2, "no port to send its own datagram to"},
		{[]string{"-c", "write"}, 2, "bad option value"},
		{[]string{"198.51.100.7"}, 2, "198.51.100.7 is not an address of this machine"},
	} {
		if out, code := runRepro(t, bin, tt.args...); code != tt.code || !strings.Contains(out, tt.has) {
			t.Errorf("%v: exit %d, want %d with %q\n%s", tt.args, code, tt.code, tt.has, out)
		}
	}
}

// singleResult is a failing result of one of the six first-datagram checks,
// with the dual-stack observations the reproducer is chosen by.
func singleResult(id string) reports.CheckResult {
	c := reports.CheckResult{Result: checkResult(id)}
	c.Observations = []byte(`{"case":"x","family":"inet6","by_number":[{"number":1,"sent":1,"delivered":0}]}`)
	return c
}
