package evidence

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netconform/netconform/reports"
)

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
