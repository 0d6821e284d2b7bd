package doctor

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/distlayout"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

// okToolchain is a checkout with Go: the suites need is met.
func okToolchain(t *testing.T) toolchain {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir+"/go.mod", "module github.com/netconform/netconform\n\ngo 1.26.0\n")
	return toolchain{exe: "/nowhere/netconform", dir: dir, ctx: context.Background(),
		findDist:  func(string) (string, bool) { return "", false },
		lookGo:    func() (string, error) { return "/usr/local/go/bin/go", nil },
		goVersion: func(context.Context, string, string) (string, error) { return "go version go1.26.8 linux/amd64", nil },
	}
}

const testRunID = "0123abcd"

// TestRunProbesDependencies: a probe after a missing need is blocked with
// that need's reason (through chains), after an unknown one it is unknown,
// and an interruption makes the rest unknown without running them.
func TestRunProbesDependencies(t *testing.T) {
	ran := map[Need]bool{}
	mark := func(n Need, r result) func() result {
		return func() result { ran[n] = true; return r }
	}
	tests := []struct {
		name   string
		probes []probe
		stop   error
		want   map[Need]Status
		detail map[Need]string
		notRun []Need
	}{
		{"missing blocks a chain", []probe{
			{need: "a", what: "A", run: mark("a", missing("no A", "get A"))},
			{need: "b", what: "B", after: []Need{"a"}, run: mark("b", ok("b"))},
			{need: "c", what: "C", after: []Need{"b"}, run: mark("c", ok("c"))},
			{need: "d", what: "D", run: mark("d", ok("d"))},
		}, nil,
			map[Need]Status{"a": StatusMissing, "b": StatusBlocked, "c": StatusBlocked, "d": StatusOK},
			map[Need]string{"b": "needs A, which is missing: no A", "c": "needs A, which is missing: no A"},
			[]Need{"b", "c"}},
		{"missing beats unknown", []probe{
			{need: "a", what: "A", run: mark("a", unknown("odd", ""))},
			{need: "b", what: "B", run: mark("b", missing("no B", "get B"))},
			{need: "c", what: "C", after: []Need{"a", "b"}, run: mark("c", ok("c"))},
		}, nil,
			map[Need]Status{"a": StatusUnknown, "b": StatusMissing, "c": StatusBlocked},
			map[Need]string{"c": "needs B"}, []Need{"c"}},
		{"unknown makes unknown", []probe{
			{need: "a", what: "A", run: mark("a", unknown("odd", ""))},
			{need: "b", what: "B", after: []Need{"a"}, run: mark("b", ok("b"))},
		}, nil,
			map[Need]Status{"a": StatusUnknown, "b": StatusUnknown}, map[Need]string{"b": "A could not be probed"}, []Need{"b"}},
		{"interrupted", []probe{
			{need: "a", what: "A", run: mark("a", ok("a"))},
		}, errors.New("interrupted"),
			map[Need]Status{"a": StatusUnknown}, map[Need]string{"a": "interrupted"}, []Need{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clear(ran)
			items := runProbes(tt.probes, func() error { return tt.stop })
			r := Report{Items: items}
			for n, want := range tt.want {
				it, _ := r.Item(n)
				if it.Status != want || !strings.Contains(it.Detail, tt.detail[n]) {
					t.Errorf("%s: %s %q, want %s with %q", n, it.Status, it.Detail, want, tt.detail[n])
				}
			}
			for _, n := range tt.notRun {
				if ran[n] {
					t.Errorf("%s ran", n)
				}
			}
			if it, _ := r.Item("c"); it.Status == StatusBlocked && it.Remedy == "" {
				t.Errorf("blocked row without the root cause's remedy")
			}
		})
	}
}

func TestExitCodeAndMissing(t *testing.T) {
	tests := []struct {
		name     string
		statuses []Status
		err      string
		exit     int
	}{
		{"all ok", []Status{StatusOK, StatusOK}, "", ExitOK},
		{"missing", []Status{StatusOK, StatusMissing}, "", ExitMissing},
		{"blocked", []Status{StatusBlocked}, "", ExitMissing},
		{"unknown", []Status{StatusOK, StatusUnknown}, "", ExitNoProbe},
		{"missing wins over unknown", []Status{StatusUnknown, StatusMissing}, "", ExitMissing},
		{"could not probe", nil, "no lab driver", ExitNoProbe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Report{Error: tt.err}
			for i, s := range tt.statuses {
				r.Items = append(r.Items, Item{Need: Need(rune('a' + i)), What: "thing", Status: s, Detail: "d", Remedy: "fix it"})
			}
			if got := r.ExitCode(); got != tt.exit {
				t.Errorf("exit %d, want %d", got, tt.exit)
			}
			for _, it := range r.Items {
				reason, miss := r.Missing(it.Need)
				want := it.Status == StatusMissing || it.Status == StatusBlocked
				if miss != want || (miss && !strings.Contains(reason, "fix: fix it")) {
					t.Errorf("Missing(%s) with %s = %q, %v", it.Need, it.Status, reason, miss)
				}
			}
		})
	}
	if _, miss := (Report{}).Missing(NeedFeth); miss {
		t.Error("a need that was not probed must not be missing")
	}
}

func TestWriteTable(t *testing.T) {
	r := Report{OS: "linux", Arch: "amd64", RunID: testRunID, Items: []Item{
		{Need: NeedRoot, What: "root", Status: StatusOK, Detail: "yes"},
		{Need: NeedIptables, What: "iptables", Status: StatusMissing, Detail: "no iptables in PATH", Remedy: "install\niptables"},
	}}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"run " + testRunID, "WHAT", "1  root", "ok", "2  iptables", "missing", "fix: install iptables", "something is missing"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "fix:") && strings.Count(out, "fix:") != 1 {
		t.Errorf("a remedy printed for an ok row:\n%s", out)
	}
}

func TestReportFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := Report{OS: "linux", Arch: "amd64", RunID: testRunID, Items: []Item{
		{Need: NeedNFQueue, What: "NFQUEUE", Status: StatusMissing, Detail: "no xt_NFQUEUE", Remedy: "modprobe", After: []Need{NeedNetns}},
	}}
	path := filepath.Join(dir, "doctor.json")
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvReport, path)
	got, ok, err := FromEnv()
	if err != nil || !ok {
		t.Fatalf("FromEnv: %v, %v", ok, err)
	}
	if reason, miss := got.Missing(NeedNFQueue); !miss || !strings.Contains(reason, "modprobe") {
		t.Errorf("read back: %q %v", reason, miss)
	}

	writeFile(t, filepath.Join(dir, "bad.json"), `{"items":[{"need":"x","status":"fine"}]}`)
	t.Setenv(EnvReport, filepath.Join(dir, "bad.json"))
	if _, _, err := FromEnv(); err == nil {
		t.Error("a report with an unknown status was accepted")
	}
	t.Setenv(EnvReport, filepath.Join(dir, "absent.json"))
	if _, ok, err := FromEnv(); err == nil || ok {
		t.Error("a missing report file must be an error, not 'nothing missing'")
	}
	t.Setenv(EnvReport, "")
	if _, ok, err := FromEnv(); ok || err != nil {
		t.Errorf("unset: ok %v err %v", ok, err)
	}
}

// TestSuitesProbe: bundled suites need no Go; otherwise a checkout and a Go
// that runs, each missing piece with its remedy.
func TestSuitesProbe(t *testing.T) {
	checkout := t.TempDir()
	writeFile(t, filepath.Join(checkout, "go.mod"), "module github.com/netconform/netconform\n\ngo 1.26.0\n")
	sub := filepath.Join(checkout, "cmd", "netconform")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "go.mod"), "module example.com/other\n")
	partial := t.TempDir()
	writeFile(t, filepath.Join(partial, "netconform"), "#!/bin/sh\n")
	writeFile(t, filepath.Join(partial, "ginkgo"), "#!/bin/sh\n")

	goOK := func() (string, error) { return "/usr/local/go/bin/go", nil }
	noGo := func() (string, error) { return "", errors.New("no go in PATH") }
	verOK := func(context.Context, string, string) (string, error) { return "go version go1.26.8 linux/amd64", nil }
	verBad := func(context.Context, string, string) (string, error) { return "", errors.New("exec format error") }
	noDist := func(string) (string, bool) { return "", false }
	tests := []struct {
		name      string
		tc        toolchain
		status    Status
		detail    string
		remedy    string
		goVersion bool
	}{
		{"bundled", toolchain{exe: "/opt/nc/netconform", dir: other, findDist: func(string) (string, bool) { return "/opt/nc", true }, lookGo: noGo},
			StatusOK, "no Go needed", "", false},
		{"checkout from a subdirectory", toolchain{exe: "/tmp/netconform", dir: sub, findDist: noDist, lookGo: goOK, goVersion: verOK},
			StatusOK, "checkout " + checkout, "", true},
		{"another module", toolchain{exe: "/tmp/netconform", dir: other, findDist: noDist, lookGo: goOK, goVersion: verOK},
			StatusMissing, "no netconform checkout", "unpack a release tarball", false},
		{"partial tarball", toolchain{exe: filepath.Join(partial, "netconform"), dir: other, findDist: noDist, lookGo: goOK, goVersion: verOK},
			StatusMissing, "lacks netconform-probe, suites/ipv6.test", "git clone", false},
		{"no go", toolchain{exe: "/tmp/netconform", dir: checkout, findDist: noDist, lookGo: noGo},
			StatusMissing, "no go in PATH", "install Go 1.26.0 or newer", false},
		{"go broken", toolchain{exe: "/tmp/netconform", dir: checkout, findDist: noDist, lookGo: goOK, goVersion: verBad},
			StatusMissing, "exec format error", "repair the Go installation", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.tc.ctx = context.Background()
			called := false
			if v := tt.tc.goVersion; v != nil {
				tt.tc.goVersion = func(ctx context.Context, p, d string) (string, error) { called = true; return v(ctx, p, d) }
			}
			res := suitesProbe(tt.tc).run()
			if res.status != tt.status || !strings.Contains(res.detail, tt.detail) || !strings.Contains(res.remedy, tt.remedy) {
				t.Errorf("%s %q remedy %q; want %s %q %q", res.status, res.detail, res.remedy, tt.status, tt.detail, tt.remedy)
			}
			if called != tt.goVersion {
				t.Errorf("go version run: %v, want %v", called, tt.goVersion)
			}
		})
	}
}

// TestSuitesProbeRealDist: the probe agrees with distlayout.FindDistRoot on
// a real layout on disk.
func TestSuitesProbeRealDist(t *testing.T) {
	root := t.TempDir()
	for _, p := range append([]string{distlayout.Command, distlayout.Ginkgo, distlayout.Probe}, bundledSuites()...) {
		writeFile(t, filepath.Join(root, p), "#!/bin/sh\n")
	}
	tc := toolchain{exe: filepath.Join(root, distlayout.Command), dir: t.TempDir(), findDist: distlayout.FindDistRoot,
		lookGo: func() (string, error) { return "", errors.New("no go") }, ctx: context.Background()}
	if res := suitesProbe(tc).run(); res.status != StatusOK {
		t.Errorf("%s: %s", res.status, res.detail)
	}
}

func TestCheckRefusesBadRunID(t *testing.T) {
	r := Check(context.Background(), Options{RunID: "not-hex"})
	if r.Error == "" || r.ExitCode() != ExitNoProbe || len(r.Items) != 0 {
		t.Errorf("report %+v", r)
	}
}
