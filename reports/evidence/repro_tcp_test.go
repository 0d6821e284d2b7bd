package evidence

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netconform/netconform/reports"
)

var tcpCheckIDs = []string{
	"sockets.churn.connect6", "sockets.churn.connect4", "sockets.churn.connect-mapped",
	"sockets.churn.close-connecting6", "sockets.churn.close-connecting4", "sockets.churn.close-connecting-mapped",
	"sockets.churn.abort6", "sockets.churn.abort4", "sockets.churn.abort-mapped",
	rstCheckID,
}

// buildTCPRepro writes the bundle's repro.c for id and compiles it with
// cc -Wall -Werror (extra flags: -D overrides).
func buildTCPRepro(t *testing.T, c reports.CheckResult, flags ...string) (string, *reproducer) {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("cc not found: the C reproducers cannot be compiled here")
	}
	rp := reproducerFor(c)
	if rp == nil {
		t.Fatalf("no reproducer for %s", c.ID)
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, ReproFile), filepath.Join(dir, "repro")
	if err := os.WriteFile(src, rp.source, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-Wall", "-Werror", "-O2"}, flags...)
	if out, err := exec.Command(cc, append(args, "-o", bin, src)...).CombinedOutput(); err != nil {
		t.Fatalf("cc -Wall -Werror: %v\n%s", err, out)
	}
	return bin, rp
}

// runInNetns runs script (with the reproducer at $REPRO) in a network
// namespace of its own, loopback up: its connections never touch the
// host's network. Root only.
func runInNetns(t *testing.T, bin, script string) (string, int) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the TCP reproducers run in a network namespace of their own: needs root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8) to bring loopback up in the test's namespace")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", "ip link set lo up && "+script)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "REPRO=" + bin}
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("reproducer did not finish: %s", out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestTCPReproducers: the reproducer of every TCP check compiles as its
// bundle holds it with cc -Wall -Werror and passes on this (healthy)
// kernel with its default pattern and family.
func TestTCPReproducers(t *testing.T) {
	for _, id := range tcpCheckIDs {
		t.Run(id, func(t *testing.T) {
			bin, rp := buildTCPRepro(t, reports.CheckResult{Result: checkResult(id)})
			f := strings.Fields(rp.args)
			if len(f) != 3 {
				t.Fatalf("run line %q", rp.args)
			}
			// The check's own count, to the run line's pattern and family.
			out, code := runInNetns(t, bin, `"$REPRO" `+rp.args)
			if code != 0 || !strings.Contains(out, "RESULT: PASS") || !strings.Contains(out, "RATE ") {
				t.Fatalf("exit %d on a healthy kernel:\n%s", code, out)
			}
			// With no argument it runs the same pattern.
			out, code = runInNetns(t, bin, `"$REPRO"`)
			if code != 0 || !strings.HasPrefix(out, f[0]+": "+f[1]+" "+f[2]) {
				t.Fatalf("exit %d without arguments (want %q):\n%s", code, rp.args, out)
			}
		})
	}
}

// TestTCPReproducersFail: the reproducers fail, exit 1, under the faults
// the checks are validated with: FINs dropped (control blocks stay after
// connect and close) and RSTs dropped (the peer's read never sees one).
func TestTCPReproducersFail(t *testing.T) {
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("needs iptables for the fault")
	}
	for _, tt := range []struct {
		id, flag, args, want string
	}{
		{"sockets.churn.connect4", "FIN", "connect 300 inet", "RESULT: FAIL: the bug is present (600 TCP control blocks stayed: 2000.0 per thousand connections)"},
		{"sockets.churn.abort4", "RST", "abort 300 inet", "RESULT: FAIL: the bug is present (300 TCP control blocks stayed: 1000.0 per thousand connections)"},
		{rstCheckID, "RST", "rst 300 inet", "RESULT: FAIL: the bug is present (RST not seen by the peer in 300 of 300)"},
	} {
		t.Run(tt.id, func(t *testing.T) {
			bin, _ := buildTCPRepro(t, reports.CheckResult{Result: checkResult(tt.id)}, "-DDRAIN_SECONDS=1", "-DRST_WAIT_MS=200")
			out, code := runInNetns(t, bin, "iptables -w -A OUTPUT -o lo -p tcp --tcp-flags "+tt.flag+" "+tt.flag+` -j DROP && "$REPRO" `+tt.args)
			if code != 1 || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want 1 and %q:\n%s", code, tt.want, out)
			}
		})
	}
}

func TestTCPReproducerDefaultsFollowTheCheck(t *testing.T) {
	tests := []struct {
		id, obs string
		want    []string
	}{
		{"sockets.churn.abort-mapped", `{"config":{"pattern":"abort","family":"mapped","count":1234}}`,
			[]string{`#define DEFAULT_PATTERN "abort"`, "#define DEFAULT_COUNT 1234", `#define DEFAULT_FAMILY "mapped"`}},
		// Words come from the id, never from the observations.
		{"sockets.churn.close-connecting4", `{"config":{"pattern":"x\"; system(\"y","family":"inet\n#include","count":-1}}`,
			[]string{`#define DEFAULT_PATTERN "close-connecting"`, "#define DEFAULT_COUNT 2000", `#define DEFAULT_FAMILY "inet"`}},
		{rstCheckID, `{"paths":[{"name":"loopback IPv6","measurement":{"config":{"family":"inet6","count":200},"rst":{"connections":200,"reset":200}}},
			{"name":"loopback IPv4","measurement":{"config":{"family":"inet","count":150},"rst":{"connections":150,"reset":143}}}]}`,
			[]string{`#define DEFAULT_PATTERN "rst"`, "#define DEFAULT_COUNT 150", `#define DEFAULT_FAMILY "inet"`}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := reports.CheckResult{Result: checkResult(tt.id)}
			c.Observations = []byte(tt.obs)
			rp := reproducerFor(c)
			for _, w := range tt.want {
				if !strings.Contains(string(rp.source), w) {
					t.Errorf("repro.c lacks %s", w)
				}
			}
			if strings.Contains(string(rp.source), "system(") {
				t.Error("observations reached the C source")
			}
		})
	}
	if rp := reproducerFor(reports.CheckResult{Result: checkResult("sockets.churn.stream6")}); rp == nil || !strings.Contains(string(rp.source), "DEFAULT_TYPE") {
		t.Error("the socket()+close() checks lost their own reproducer")
	}
}

// TestTCPChurnBundle: the bundle of a failing TCP churn check carries the
// count curve the check wrote and the reproducer of the exact pattern that
// failed, and feedback.md tells how to run it.
func TestTCPChurnBundle(t *testing.T) {
	rd, r := fixtureRelease(t, "fixture-macos-26.0")
	const id = "sockets.churn.close-connecting-mapped"
	c := checkOf(t, r, "sockets.churn.stream6")
	c.ID, c.Title = id, "IPv4-mapped IPv6 close() during a non-blocking connect that has not completed: TCP control blocks are freed"
	c.Reason = "1874 TCP control blocks stayed after 2000 non-blocking IPv4-mapped IPv6 connects to a lab peer that drops SYNs, each closed before it completed: 937.0 per thousand connections"
	c.Observations = json.RawMessage(`{"config":{"pattern":"close-connecting","family":"mapped","count":2000,"peer":"[::ffff:192.0.2.2]:4702"}}`)
	curve := "phase,connections,seconds,control_blocks,time_wait,held\nloop,0,0,40,2,38\nloop,2000,0.5,1950,2,1948\ndrain,2000,15,1914,2,1912\n"
	if err := os.MkdirAll(filepath.Join(rd, "evidence", id), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rd, "evidence", id, "control-blocks.csv"), []byte(curve), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, err := Bundle(rd, r, c, "")
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Join(tarNames(t, dir+".tar.gz"), " ")
	for _, f := range []string{id + "/control-blocks.csv", id + "/" + ReproFile, id + "/" + FeedbackFile} {
		if !strings.Contains(names, f) {
			t.Errorf("tarball lacks %s: %s", f, names)
		}
	}
	src, _ := os.ReadFile(filepath.Join(dir, ReproFile))
	fb, _ := os.ReadFile(filepath.Join(dir, FeedbackFile))
	for _, w := range []string{`#define DEFAULT_PATTERN "close-connecting"`, `#define DEFAULT_FAMILY "mapped"`, "#define DEFAULT_COUNT 2000"} {
		if !strings.Contains(string(src), w) {
			t.Errorf("repro.c lacks %s", w)
		}
	}
	for _, w := range []string{"./repro close-connecting 2000 mapped", "control-blocks.csv", "937.0 per thousand connections", "loopback listener whose accept queue is full"} {
		if !strings.Contains(string(fb), w) {
			t.Errorf("feedback.md lacks %q", w)
		}
	}
}
