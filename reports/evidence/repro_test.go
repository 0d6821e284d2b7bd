package evidence

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/fixtures"
)

// TestReproducers compiles each reproducer the registered checks get (their
// results as the newest Linux fixture holds them, reports/fixtures) as a
// bundle holds it, with cc -Wall -Werror, and runs it: on a healthy Linux
// kernel every one must exit 0 within seconds and say PASS. Each
// reproducer must be met: the seed's dual-stack first datagram and churn.
func TestReproducers(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("cc not found: the C reproducers cannot be compiled here")
	}
	rel := fixtures.Releases[len(fixtures.Releases)-2] // fixture-linux-6.18.44, stock
	r, _, err := fixtures.Results(rel, time.Time{}, "f1x70000")
	if err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{}
	met := map[string]bool{}
	for _, c := range r.Checks {
		rp := reproducerFor(c)
		if rp == nil {
			continue
		}
		var args []string
		if c.ViewName() == observation.ViewChurn {
			// The check's loop, shortened: 20000 cycles show a healthy
			// kernel in well under a second.
			family, typ, _ := churnConfig(c)
			args = []string{"20000", family, typ}
		}
		met[c.ViewName()] = true
		key := string(rp.source) + "\x00" + strings.Join(args, " ")
		if ran[key] {
			continue
		}
		ran[key] = true
		t.Run(c.ID, func(t *testing.T) { compileAndRun(t, cc, rp, args) })
	}
	for _, v := range []string{observation.ViewFirstDatagram, observation.ViewChurn} {
		if !met[v] {
			t.Errorf("no registered check of view %s got its reproducer", v)
		}
	}
}

func compileAndRun(t *testing.T, cc string, rp *reproducer, args []string) {
	t.Helper()
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
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("reproducer failed on this (healthy) kernel: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "RESULT: PASS") {
		t.Errorf("no PASS line:\n%s", out)
	}
}

// TestReproducerChoice: the reproducer follows the view of the observations
// and what they say, not the check's id; a file without a view gets the
// view its check had.
func TestReproducerChoice(t *testing.T) {
	dual := `{"case":"x","family":"inet6","by_number":[{"number":1,"sent":1,"delivered":0}]}`
	inet := `{"case":"x","family":"inet","by_number":[{"number":1,"sent":1,"delivered":0}]}`
	tests := []struct {
		name, id, view, obs string
		want                string // a line of the source, "" = no reproducer
	}{
		{"dual-stack first datagram", "sockets.new-check", observation.ViewFirstDatagram, dual, "IPv4-mapped"},
		{"AF_INET control: none", "sockets.new-check", observation.ViewFirstDatagram, inet, ""},
		{"no observations: none", "sockets.new-check", observation.ViewFirstDatagram, ``, ""},
		{"churn", "sockets.other", observation.ViewChurn, `{"config":{"family":"inet","type":"dgram","count":77}}`, "#define DEFAULT_COUNT 77"},
		{"first hops: none", "ipv6.rfc8028.same-link", observation.ViewFirstHops, `[]`, ""},
		{"old file: the id's view", "sockets.mapped-sendto.peer", "", dual, "IPv4-mapped"},
		{"old file churn", "sockets.churn.stream6", "", `{"target":99}`, "#define DEFAULT_COUNT 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := reports.CheckResult{Result: checkResult(tt.id)}
			c.View, c.Observations = tt.view, []byte(tt.obs)
			rp := reproducerFor(c)
			switch {
			case tt.want == "" && rp != nil:
				t.Errorf("a reproducer, want none")
			case tt.want != "" && (rp == nil || !strings.Contains(string(rp.source), tt.want)):
				t.Errorf("no reproducer with %q", tt.want)
			}
		})
	}
}

func TestChurnDefaultsFollowTheCheck(t *testing.T) {
	c := reports.CheckResult{Result: checkResult("sockets.churn.dgram6")}
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
