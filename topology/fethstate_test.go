package topology

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/macos"
)

func writeState(t *testing.T, dir string, s runState) string {
	t.Helper()
	s.Version = stateVersion
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, stateFileName(s.RunID, s.PID))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseState(t *testing.T) {
	good := `{"version":1,"run_id":"0123abcd","pid":42,"interfaces":[{"name":"feth4000","state":"created"}]}`
	for _, tc := range []struct {
		name, file, body string
		ok               bool
	}{
		{"good", "0123abcd-42.json", good, true},
		{"file name is not ours", "notes.json", good, false},
		{"pid disagrees with the name", "0123abcd-43.json", good, false},
		{"run disagrees with the name", "ffffffff-42.json", good, false},
		{"not a feth: never destroyed", "0123abcd-42.json", strings.Replace(good, "feth4000", "en0", 1), false},
		{"feth with a leading zero", "0123abcd-42.json", strings.Replace(good, "feth4000", "feth04000", 1), false},
		{"newer format", "0123abcd-42.json", strings.Replace(good, `"version":1`, `"version":2`, 1), false},
		{"truncated", "0123abcd-42.json", good[:20], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			_, err := parseState(tc.file, []byte(tc.body))
			if (err == nil) != tc.ok {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestStateFileLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "netconform") // created on first write
	f := newStateFile(dir, "0123abcd", 42, "boot-1", time.Unix(0, 0))
	if err := f.setInterfaces(ifPending, "feth4000", "feth4001"); err != nil {
		t.Fatal(err)
	}
	if err := f.recordSysctl("net.link.fake.bsd_mode", "0"); err != nil {
		t.Fatal(err)
	}
	if err := f.recordSysctl("net.link.fake.bsd_mode", "1"); err != nil { // the first old value wins
		t.Fatal(err)
	}
	if err := f.setInterfaces(ifCreated, "feth4000"); err != nil {
		t.Fatal(err)
	}
	st, err := readStates(dir)
	if err != nil || len(st) != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	want := []stateIf{{"feth4000", ifCreated}, {"feth4001", ifPending}}
	if !slices.Equal(st[0].Interfaces, want) || st[0].Sysctls[0].Old != "0" || st[0].Boot != "boot-1" {
		t.Fatalf("state %+v", st[0])
	}
	if err := f.forgetInterfaces("feth4000", "feth4001"); err != nil {
		t.Fatal(err)
	}
	if err := f.forgetSysctl("net.link.fake.bsd_mode"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("empty state still on disk: %v", entries)
	}
}

func TestCleanupFeth(t *testing.T) {
	for _, tc := range []struct {
		name        string
		all         bool
		alive       bool
		boot        string
		failDestroy bool
		wantGone    bool // the listed feth is destroyed
		wantFile    bool // the state file remains
		wantSysctl  string
	}{
		{name: "dead owner: destroy, restore, remove", wantGone: true, wantSysctl: "0"},
		{name: "live owner: untouched", alive: true, wantFile: true, wantSysctl: "1"},
		{name: "live owner with all", alive: true, all: true, wantGone: true, wantSysctl: "0"},
		{name: "earlier boot: names are stale, nothing touched", boot: "boot-0", wantSysctl: "1"},
		{name: "destroy fails: file kept for a retry", failDestroy: true, wantFile: true, wantSysctl: "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			dir := t.TempDir()
			host := newFakeHost(dir)
			host.sysctls["net.link.fake.bsd_mode"] = "1"
			host.alive[42] = tc.alive
			host.ifs["feth4000"] = &fakeIf{}
			host.ifs["feth9"] = &fakeIf{} // not listed: never touched
			if tc.failDestroy {
				host.failAt = "destroy feth4000"
			}
			boot := "boot-1"
			if tc.boot != "" {
				boot = tc.boot
			}
			p := writeState(t, dir, runState{RunID: "0123abcd", PID: 42, Boot: boot,
				Interfaces: []stateIf{{"feth4000", ifCreated}, {"feth4001", ifPending}},
				Sysctls:    []stateSysctl{{"net.link.fake.bsd_mode", "0"}}})
			writeState(t, dir, runState{RunID: "0123abcd", PID: 7, Interfaces: []stateIf{{"feth9", ifCreated}}}) // our own pid
			os.WriteFile(filepath.Join(dir, "garbage-1.json"), []byte("{"), 0o644)

			left, err := leftoversFeth(host, dir)
			if err != nil || len(left) != 4 || left[0].Name != "feth4000" || left[2].Name != "sysctl net.link.fake.bsd_mode" || left[0].Alive != tc.alive {
				t.Errorf("leftovers %+v, %v", left, err)
			}
			removed, err := cleanupFeth(context.Background(), host, dir, tc.all, 7)
			if (err != nil) != tc.failDestroy {
				t.Errorf("err = %v", err)
			}
			if _, ok := host.ifs["feth4000"]; ok == tc.wantGone {
				t.Errorf("feth4000 exists: %v (removed %+v)", ok, removed)
			}
			if _, ok := host.ifs["feth9"]; !ok {
				t.Error("this process's own interface was destroyed")
			}
			if _, err := os.Stat(p); (err == nil) != tc.wantFile {
				t.Errorf("state file present: %v", err == nil)
			}
			if got := host.sysctls["net.link.fake.bsd_mode"]; got != tc.wantSysctl {
				t.Errorf("bsd_mode %s", got)
			}
			if _, err := os.Stat(filepath.Join(dir, "garbage-1.json")); err != nil {
				t.Error("a file clean-up cannot read was removed")
			}
		})
	}
}

func TestFethPair(t *testing.T) {
	seen := map[string]bool{}
	for attempt := 0; attempt < fethAttempts; attempt++ {
		for _, pid := range []int{1, 4242, 99999, 1 << 22} {
			sut, wire := fethPair(pid, attempt)
			su, err1 := fethUnitOf(sut)
			wu, err2 := fethUnitOf(wire)
			if err1 != nil || err2 != nil || su%2 != 0 || wu != su+1 || su < fethFirstUnit || wu > fethLastUnit {
				t.Fatalf("pid %d attempt %d: %s %s", pid, attempt, sut, wire)
			}
			if pid == 4242 {
				if seen[sut] {
					t.Fatalf("attempt %d repeats %s", attempt, sut)
				}
				seen[sut] = true
			}
		}
	}
	if a, _ := fethPair(100, 0); a == func() string { s, _ := fethPair(101, 0); return s }() {
		t.Error("neighbouring pids start on the same pair")
	}
}

func fethUnitOf(name string) (int, error) { return macos.FethUnit(name) }
