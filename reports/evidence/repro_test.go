package evidence

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/reports"
)

// TestReproducers compiles each reproducer as a bundle holds it with
// cc -Wall -Werror and runs it: on a healthy Linux kernel both must exit 0
// within seconds and say PASS.
func TestReproducers(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("cc not found: the C reproducers cannot be compiled here")
	}
	tests := []struct {
		check string
		args  []string
	}{
		{"sockets.mapped-sendto.self", nil},
		{"sockets.churn.stream6", []string{"20000"}},
		{"sockets.churn.dgram4", []string{"20000", "inet", "dgram"}},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			rp := reproducerFor(reports.CheckResult{Result: checkResult(tt.check)})
			if rp == nil {
				t.Fatalf("no reproducer for %s", tt.check)
			}
			dir := t.TempDir()
			src := filepath.Join(dir, ReproFile)
			if err := os.WriteFile(src, rp.source, 0o644); err != nil {
				t.Fatal(err)
			}
			bin := filepath.Join(dir, "repro")
			if out, err := exec.Command(cc, "-Wall", "-Werror", "-O2", "-o", bin, src).CombinedOutput(); err != nil {
				t.Fatalf("cc -Wall -Werror: %v\n%s", err, out)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, tt.args...).CombinedOutput()
			if err != nil {
				t.Fatalf("reproducer failed on this (healthy) kernel: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "RESULT: PASS") {
				t.Errorf("no PASS line:\n%s", out)
			}
		})
	}
}

func TestChurnDefaultsFollowTheCheck(t *testing.T) {
	c := reports.CheckResult{Result: checkResult("sockets.churn.dgram4")}
	c.Observations = []byte(`{"config":{"family":"inet","type":"dgram","count":1234}}`)
	rp := reproducerFor(c)
	for _, want := range []string{"#define DEFAULT_COUNT 1234", `#define DEFAULT_FAMILY "inet"`, `#define DEFAULT_TYPE "dgram"`} {
		if !strings.Contains(string(rp.source), want) {
			t.Errorf("repro.c lacks %s", want)
		}
	}
	c.Observations = []byte(`{"config":{"family":"inet\"; system(\"x","type":"dgram\\n#include","count":-1}}`)
	rp = reproducerFor(c)
	if strings.Contains(string(rp.source), "system(") || strings.Contains(string(rp.source), "DEFAULT_TYPE \"dgram\\n") {
		t.Errorf("observations reached the C source unchecked")
	}
}
