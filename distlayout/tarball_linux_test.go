package distlayout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// EnvTarball names a linux/amd64 tarball `make dist` already made: the test
// then checks that one instead of building its own.
const EnvTarball = "NETCONFORM_DIST_TARBALL"

// TestTarballRunsWithoutGo builds the linux/amd64 tarball (or takes
// $NETCONFORM_DIST_TARBALL), unpacks it, and runs what a user without Go
// runs first: --help, version, doctor, and the bundled ginkgo over the
// compiled suites, with no go anywhere on PATH.
func TestTarballRunsWithoutGo(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("the tarball checked is linux/amd64; this is %s", runtime.GOARCH)
	}
	if testing.Short() {
		t.Skip("builds five programs: not in -short")
	}
	tarball := os.Getenv(EnvTarball)
	if tarball == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		var err error
		tarball, err = Build(ctx, BuildOptions{Version: "test", Platform: Platform{"linux", "amd64"}, ModuleDir: "..",
			OutDir: t.TempDir(), Go: goCommand(t)})
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(tarball)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %.1f MB", filepath.Base(tarball), float64(st.Size())/1e6)
	root, err := Unpack(tarball, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(filepath.Base(tarball), ".tar.gz"); filepath.Base(root) != want {
		t.Errorf("unpacks into %s, want %s", filepath.Base(root), want)
	}
	for _, p := range []string{Config, Readme} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if got, ok := FindDistRoot(filepath.Join(root, Command)); !ok || got != root {
		t.Errorf("FindDistRoot on the unpacked tarball: %q, %v", got, ok)
	}

	env := withoutGo(t)
	run := func(name string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(filepath.Join(root, name), args...)
		cmd.Dir, cmd.Env = root, env
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	if out, code := run(Command, "--help"); code != 0 || !strings.Contains(out, "doctor") || !strings.Contains(out, "run") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	if out, code := run(Command, "version"); code != 0 || strings.TrimSpace(out) == "" || strings.TrimSpace(out) == "devel" {
		t.Errorf("version: exit %d %q: the Makefile's version must be stamped in", code, out)
	}

	out, code := run(Command, "doctor", "--json")
	var rep struct {
		Error string
		Items []struct{ Need, Status, Detail, Remedy string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor --json: exit %d, %v\n%s", code, err, out)
	}
	statuses := map[string]string{}
	for _, it := range rep.Items {
		statuses[it.Need] = it.Status
		if it.Need == "suites" && (it.Status != "ok" || !strings.Contains(it.Detail, "no Go needed")) {
			t.Errorf("suites row from the tarball: %s %q", it.Status, it.Detail)
		}
	}
	// The exit status follows the rows: 0 only when all are ok.
	wantCode := 0
	for _, s := range statuses {
		if s != "ok" {
			wantCode = 1
		}
	}
	if rep.Error != "" || (code != wantCode && code != 2) || len(rep.Items) < 9 {
		t.Errorf("doctor: exit %d (want %d), error %q, %d rows", code, wantCode, rep.Error, len(rep.Items))
	}
	if os.Geteuid() == 0 && statuses["root"] != "ok" {
		t.Errorf("doctor as root says root is %s", statuses["root"])
	}
	if table, _ := run(Command, "doctor"); !strings.Contains(table, "suites: bundled") {
		t.Errorf("doctor table:\n%s", table)
	}

	// What `netconform run` will do from a tarball: the bundled ginkgo runs
	// the compiled suites without Go (a dry run: no lab).
	for _, s := range Suites {
		out, code := run(Ginkgo, "run", "--dry-run", "--no-color", filepath.Join(SuitesDir, s+SuiteExt))
		if code != 0 || !strings.Contains(out, "Passed") {
			t.Errorf("ginkgo --dry-run %s: exit %d\n%s", s, code, out)
		}
	}

	listed, code := run(Command, "list")
	var ids []string
	for _, l := range strings.Split(listed, "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.Count(f[0], ".") >= 2 {
			ids = append(ids, f[0])
		}
	}
	if code != 0 || len(ids) < 13 {
		t.Fatalf("list: exit %d, %d checks\n%s", code, len(ids), listed)
	}
	if os.Geteuid() != 0 {
		t.Log("not root: the tarball's run is not tried")
		return
	}
	// `sudo ./netconform run` from the unpacked tarball does what `make
	// conformance` does: every listed check gets a verdict (stock Linux
	// fails RFC 8028, hence exit 1), with the bundled suites and probe.
	outDir := t.TempDir()
	out, code = run(Command, "run", "--out", outDir)
	if code != 1 || !strings.Contains(out, fmt.Sprintf("%d of %d selected checks ran", len(ids), len(ids))) {
		t.Fatalf("run from the tarball: exit %d, want 1 with every check run\n%s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(outDir, "*", "results.json"))
	if len(files) != 1 {
		t.Fatalf("results.json: %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Checks []struct{ ID, Verdict, Reason string }
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Checks) != len(ids) {
		t.Errorf("%d results, %d listed", len(res.Checks), len(ids))
	}
	for _, c := range res.Checks {
		if c.Verdict == "error" || (c.Verdict == "skip" && !strings.HasPrefix(c.ID, "cfil.")) {
			t.Errorf("%s: %s: %s", c.ID, c.Verdict, c.Reason)
		}
	}
}

// withoutGo is the environment with every PATH directory holding a go
// removed, and no GOROOT: the tarball must not need it.
func withoutGo(t *testing.T) []string {
	t.Helper()
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "go")); err == nil {
			continue
		}
		dirs = append(dirs, d)
	}
	path := strings.Join(dirs, string(filepath.ListSeparator))
	for _, d := range dirs {
		if _, err := exec.LookPath(filepath.Join(d, "go")); err == nil {
			t.Fatalf("go still found in %s", d)
		}
	}
	env := []string{"PATH=" + path, "HOME=" + t.TempDir(), "LC_ALL=C"}
	return env
}

// goCommand is the go that runs this test.
func goCommand(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no go to build the tarball with: %v", err)
	}
	return p
}
