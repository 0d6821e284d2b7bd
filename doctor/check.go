package doctor

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/netconform/netconform/distlayout"
	"github.com/netconform/netconform/topology"
)

// Options tune Check; the zero value probes this machine for a new run id.
type Options struct {
	// RunID names every scratch object (a run passes its own, so that a
	// crash leaves objects clean-lab attributes to it); "" = a fresh one.
	RunID string
	// Executable is the running netconform, where a release tarball's
	// suites are looked for ("" = os.Executable()).
	Executable string
	// Dir is where a checkout is looked for ("" = the working directory).
	Dir string
}

// sequence is one OS's probes and the undoing of what they made, keyed by
// the need whose row a failure to undo belongs to.
type sequence struct {
	probes []probe
	undo   func() map[Need]error
}

// Check probes this machine. It never fails as such: what it could not probe
// is in the report (Error, or items with StatusUnknown). Everything it
// creates is removed before it returns; ctx ends the probes early (the rest
// are unknown), never the undoing.
func Check(ctx context.Context, o Options) (r Report) {
	start := time.Now()
	r = Report{OS: runtime.GOOS, Arch: runtime.GOARCH, RunID: o.RunID, Start: start.UTC()}
	defer func() { r.Elapsed = time.Since(start) }()
	if r.RunID == "" {
		r.RunID = topology.NewRunID()
	}
	if !topology.ValidRunID(r.RunID) {
		r.Error = fmt.Sprintf("run id %q is not 8 hex digits", r.RunID)
		return r
	}
	if o.Executable == "" {
		if exe, err := os.Executable(); err == nil {
			o.Executable = exe
		}
	}
	if o.Dir == "" {
		o.Dir, _ = os.Getwd()
	}
	tc := realToolchain(o)
	tc.ctx = ctx
	seq, err := osSequence(ctx, r.RunID, tc)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Items = runProbes(seq.probes, stopWith(ctx))
	for n, err := range seq.undo() {
		undone(r.Items, n, err, r.RunID)
	}
	return r
}

// stopWith tells runProbes to stop once ctx is done.
func stopWith(ctx context.Context) func() error {
	return func() error {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted (%v)", context.Cause(ctx))
		}
		return nil
	}
}

// toolchain is what the suites need comes from: a release tarball beside the
// executable, or a checkout and Go (`netconform run` compiles the suites
// with `go tool ginkgo`).
type toolchain struct {
	exe, dir  string
	findDist  func(exe string) (string, bool)
	lookGo    func() (string, error)
	goVersion func(ctx context.Context, goPath, dir string) (string, error)
	ctx       context.Context
}

func realToolchain(o Options) toolchain {
	return toolchain{exe: o.Executable, dir: o.Dir, findDist: distlayout.FindDistRoot, lookGo: lookGo, goVersion: goVersion}
}

// lookGo finds go where `netconform run` does (cmd/netconform goBinary):
// PATH, then $GOROOT/bin, then /usr/local/go/bin, which sudo's secure_path
// usually hides.
func lookGo() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	cands := []string{"/usr/local/go/bin/go"}
	if g := os.Getenv("GOROOT"); g != "" {
		cands = append([]string{filepath.Join(g, "bin", "go")}, cands...)
	}
	for _, c := range cands {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no go in PATH, $GOROOT/bin or /usr/local/go/bin")
}

func goVersion(ctx context.Context, goPath, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, goPath, "version")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s version: %w: %s", goPath, err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

const modulePath = "github.com/netconform/netconform"

// findCheckout walks up from dir to the go.mod of netconform's module and
// returns its directory and the Go version it asks for.
func findCheckout(dir string) (root, goVer string, ok bool) {
	for d := dir; d != ""; {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			mod, ver := parseGoMod(b)
			if mod == modulePath {
				return d, ver, true
			}
			return "", "", false // another module: not a netconform checkout
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return "", "", false
}

func parseGoMod(b []byte) (module, goVer string) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "module" {
			module = strings.Trim(f[1], `"`)
		}
		if len(f) == 2 && f[0] == "go" {
			goVer = f[1]
		}
	}
	return module, goVer
}

const cloneHint = "git clone https://github.com/netconform/netconform && cd netconform && sudo make conformance"

// suitesProbe: the suites come from a release tarball beside the executable
// (no Go needed) or from a checkout compiled with Go.
func suitesProbe(t toolchain) probe {
	return probe{need: NeedSuites, what: "suites: bundled, or Go and a checkout", run: func() result {
		if root, found := t.findDist(t.exe); found {
			return ok("bundled in %s: %s, %s (no Go needed)", root, distlayout.Ginkgo,
				strings.Join(bundledSuites(), ", "))
		}
		var partial string
		if t.exe != "" {
			dir := filepath.Dir(t.exe)
			if m := distlayout.Missing(dir); len(m) < len(distlayout.Suites)+2 {
				partial = fmt.Sprintf("; %s holds part of a release tarball but lacks %s", dir, strings.Join(m, ", "))
			}
		}
		root, want, found := findCheckout(t.dir)
		if !found {
			return missing("no netconform checkout at or above "+t.dir+" and no bundled suites beside "+t.exe+partial,
				"run it from a netconform checkout ("+cloneHint+"), or unpack a release tarball "+
					"(netconform-<version>-<os>-<arch>.tar.gz, made by `make dist`) and run ./netconform from its directory: it needs no Go")
		}
		goPath, err := t.lookGo()
		if err != nil {
			return missing(fmt.Sprintf("checkout %s, but %v%s", root, err, partial),
				fmt.Sprintf("install Go %s or newer (https://go.dev/dl/, into /usr/local/go), or use a release tarball, which needs no Go", orAny(want)))
		}
		v, err := t.goVersion(t.ctx, goPath, root)
		if err != nil {
			return missing(fmt.Sprintf("checkout %s, %v", root, err),
				fmt.Sprintf("repair the Go installation at %s (`go version` must run), or install Go %s or newer", goPath, orAny(want)))
		}
		return ok("%s (%s), checkout %s", v, goPath, root)
	}}
}

func bundledSuites() []string {
	var out []string
	for _, s := range distlayout.Suites {
		out = append(out, filepath.ToSlash(filepath.Join(distlayout.SuitesDir, s+distlayout.SuiteExt)))
	}
	return out
}

func orAny(v string) string {
	if v == "" {
		return "(any recent)"
	}
	return v
}
