package churncheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// BuildProbe compiles cmd/netconform-probe of the checkout containing the
// working directory into dir and returns the binary's path. The suites call
// it once per run, so every churn check runs the probe of this very
// checkout, never a stale one.
func BuildProbe(ctx context.Context, dir string) (string, error) {
	goBin := goBinary()
	out, err := exec.CommandContext(ctx, goBin, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("build probe: %s env GOMOD: %w", goBin, err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("build probe: not inside the netconform module")
	}
	path := filepath.Join(dir, "netconform-probe")
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", path, "./cmd/netconform-probe")
	cmd.Dir = filepath.Dir(gomod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build probe: %w: %s", err, out)
	}
	return path, nil
}

// goBinary finds go even under sudo, whose secure_path usually lacks it:
// the toolchain that built this binary is the next best guess.
func goBinary() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if root := runtime.GOROOT(); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "/usr/local/go/bin/go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
