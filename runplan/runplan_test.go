package runplan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/netconform/netconform/catalog/all"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ginkgo.yaml")
	os.WriteFile(file, []byte("version: 1\nrepeat: 2\nlabels: rfc8028\nprofiles:\n  other: {}\nparams:\n  sockets:\n    probe: bin/probe\n"), 0o644)
	tests := []struct {
		name  string
		o     Overrides
		check func(t *testing.T, p *Plan)
		err   string
	}{
		{"the file's settings", Overrides{}, func(t *testing.T, p *Plan) {
			if p.Repeat != 2 || p.Profile != "stock" || p.Labels != "rfc8028" || p.Out != filepath.Join(dir, "out") ||
				p.Probe != filepath.Join(dir, "bin/probe") || len(p.Selected) != 4 || p.ConfigPath != file || len(p.RunID) != 8 {
				t.Errorf("%+v", p)
			}
		}, ""},
		{"overrides", Overrides{Profile: "other", Labels: "churn", Repeat: 5, Procs: 2, Out: "rel"}, func(t *testing.T, p *Plan) {
			cwd, _ := os.Getwd()
			// The churn label: 3 socket()+close() checks and 9 TCP churn checks.
			if p.Repeat != 5 || p.Profile != "other" || p.Procs != 2 || p.Out != filepath.Join(cwd, "rel") || len(p.Selected) != 12 ||
				!strings.HasPrefix(p.Selected[0], "sockets.churn.") {
				t.Errorf("%+v", p)
			}
		}, ""},
		{"unknown profile", Overrides{Profile: "nope"}, nil, `profile "nope" is not defined`},
		{"negative repeat", Overrides{Repeat: -1}, nil, "at least 1"},
		{"unknown check", Overrides{Check: "x.y"}, nil, `no check has the id "x.y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Resolve(file, tt.o)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
		})
	}
}

// TestPlanCrossesToTheSuites: what netconform resolves is what a suite
// reads back from its environment.
func TestPlanCrossesToTheSuites(t *testing.T) {
	p, err := Resolve("../ginkgo.yaml", Overrides{Repeat: 3, Check: "sockets.churn.dgram6"})
	if err != nil {
		t.Fatal(err)
	}
	p.ReleaseDir = "/tmp/x/linux-1"
	env, err := p.Environ()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvPlan, strings.TrimPrefix(env, EnvPlan+"="))
	got, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if got.RunID != p.RunID || got.Repeat != 3 || got.Check != p.Check || got.ReleaseDir != p.ReleaseDir ||
		got.Config() == nil || got.Config().Params != p.Config().Params || got.ResultsDir() != "/tmp/x/linux-1/.checks-"+p.RunID {
		t.Errorf("read back %+v, want %+v", got, p)
	}
}

// TestProcsFor: parallel processes are what was asked, except where the SUT
// is the machine itself, which every lab shares: there one, with a note.
func TestProcsFor(t *testing.T) {
	tests := []struct {
		asked    int
		host     bool
		want     int
		wantNote bool
	}{
		{asked: 1, host: false, want: 1},
		{asked: 4, host: false, want: 4},
		{asked: 1, host: true, want: 1},
		{asked: 3, host: true, want: 1, wantNote: true},
	}
	for _, tt := range tests {
		got, note := procsFor(tt.asked, tt.host)
		if got != tt.want || (note != "") != tt.wantNote {
			t.Errorf("procsFor(%d, host %v) = %d, %q; want %d, a note: %v", tt.asked, tt.host, got, note, tt.want, tt.wantNote)
		}
	}
}
