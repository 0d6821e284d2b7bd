package cfil

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/netconform/netconform/topology"
)

// untouchableSUT fails the test if the filter tries to enter it: the
// failures below must be found before anything is done in a namespace.
type untouchableSUT struct {
	topology.SUT
	t *testing.T
}

func (s untouchableSUT) Do(func() error) error {
	s.t.Error("StartFilter entered the SUT although it should have stopped first")
	return errors.New("untouchable")
}

// TestStartFilterRefusesEarly: a missing iptables is ErrUnsupported (skip
// with the reason); a bad configuration is the caller's bug and is not.
func TestStartFilterRefusesEarly(t *testing.T) {
	valid := FilterConfig{Queue: 3, Hook: "OUTPUT", Match: []string{"-p", "udp"}, Mode: DropFirstPerFlow}
	tests := []struct {
		name            string
		emptyPath       bool
		modify          func(*FilterConfig)
		wantUnsupported bool
		want            string
	}{
		{"no iptables in PATH", true, func(*FilterConfig) {}, true, "no iptables binary in PATH"},
		{"hook", false, func(c *FilterConfig) { c.Hook = "FORWARD" }, false, `hook "FORWARD"`},
		{"lower-case hook", false, func(c *FilterConfig) { c.Hook = "output" }, false, `hook "output"`},
		{"mode", false, func(c *FilterConfig) { c.Mode = "drop-all" }, false, `mode "drop-all"`},
		{"empty mode", false, func(c *FilterConfig) { c.Mode = "" }, false, `mode ""`},
		{"target in match", false, func(c *FilterConfig) { c.Match = []string{"-p", "udp", "-j", "DROP"} }, false, "must not contain a target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.emptyPath {
				t.Setenv("PATH", t.TempDir())
			}
			cfg := valid
			tt.modify(&cfg)
			f, err := StartFilter(context.Background(), untouchableSUT{t: t}, cfg)
			if err == nil {
				f.Close()
				t.Fatal("StartFilter succeeded")
			}
			if errors.Is(err, ErrUnsupported) != tt.wantUnsupported || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q: unsupported %v, want %v and %q", err, errors.Is(err, ErrUnsupported), tt.wantUnsupported, tt.want)
			}
		})
	}
}

// TestStartFilterKernelLacksTarget puts in PATH an iptables that answers as
// on a kernel without xt_NFQUEUE: the error is ErrUnsupported naming it, and
// the queue bound before the rule was tried is released.
func TestStartFilterKernelLacksTarget(t *testing.T) {
	sut := newLabSUT(t)
	tests := []struct {
		name   string
		output string // what the fake iptables prints on stderr, exit status 2
		want   string
	}{
		{"legacy, no extension", "iptables v1.8.9 (legacy): Couldn't load target `NFQUEUE':No such file or directory", "xt_NFQUEUE"},
		{"legacy, no kernel target", "iptables: No chain/target/match by that name.", "xt_NFQUEUE"},
		{"nf_tables, no kernel target", "iptables v1.8.9 (nf_tables): RULE_INSERT failed (No such file or directory): rule in chain OUTPUT", "xt_NFQUEUE"},
		{"no permission", "iptables v1.8.9 (legacy): can't initialize iptables table `filter': Permission denied (you must be root)", "permission denied"},
		{"no tables", "iptables v1.8.9 (legacy): can't initialize iptables table `filter': Table does not exist (do you need to insmod?)", "tables are not available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			script := "#!/bin/sh\necho '" + strings.ReplaceAll(tt.output, "'", `'\''`) + "' >&2\nexit 2\n"
			if err := os.WriteFile(filepath.Join(dir, "iptables"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("PATH", dir)
			goroutines := runtime.NumGoroutine()
			f, err := StartFilter(context.Background(), sut, FilterConfig{Queue: 5, Hook: "OUTPUT", Mode: Accept})
			if err == nil {
				f.Close()
				t.Fatal("StartFilter succeeded with a failing iptables")
			}
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q: want ErrUnsupported naming %q", err, tt.want)
			}
			s := snapshot(t, sut)
			if hasQueue(s.Queues, 5) || len(s.Filters) != 0 {
				t.Errorf("the failed filter left its queue or registration: %+v", s)
			}
			waitGoroutines(t, goroutines)
		})
	}
}

// TestStartFilterQueueTaken: a queue another program holds is a plain error,
// not a reason to skip.
func TestStartFilterQueueTaken(t *testing.T) {
	sut := newLabSUT(t)
	first := startFilter(t, sut, FilterConfig{Queue: 9, Hook: "OUTPUT", Match: []string{"-p", "udp"}, Mode: Accept})
	_, err := StartFilter(context.Background(), sut, FilterConfig{Queue: 9, Hook: "INPUT", Mode: Accept})
	if err == nil || errors.Is(err, ErrUnsupported) {
		t.Fatalf("second filter on queue 9: %v; want a plain error", err)
	}
	if got := first.Stats(); got.Seen != 0 {
		t.Errorf("first filter disturbed: %+v", got)
	}
	t.Logf("queue taken: %v", err)
}
