package evidence

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

// TestRerunScript runs rerun.sh with a sudo that prints what it would run:
// from a checkout it is make conformance, from an unpacked tarball the
// tarball's ./netconform, anywhere else a clear error.
func TestRerunScript(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	r := &reports.Results{Run: reports.Run{ID: "0123abcd", Profile: "it's", ToolVersion: "v1.2.3"}, Release: reports.Release{ID: "macos-26.0-25A354"}}
	c := reports.CheckResult{Result: check.Result{ID: "ipv6.rfc8028.same-link", Labels: []string{"ipv6", "rfc8028"}}}
	dir := t.TempDir()
	script := filepath.Join(dir, "rerun.sh")
	if err := os.WriteFile(script, []byte(rerunScript(r, c)), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "sudo"), []byte("#!/bin/sh\necho \"sudo $*\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, content string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	checkout := t.TempDir()
	write(filepath.Join(checkout, "Makefile"), "", 0o644)
	write(filepath.Join(checkout, "go.mod"), "module github.com/netconform/netconform\n\ngo 1.26.0\n", 0o644)
	tarball := t.TempDir()
	write(filepath.Join(tarball, "netconform"), "#!/bin/sh\n", 0o755)
	write(filepath.Join(tarball, "ginkgo"), "#!/bin/sh\n", 0o755)
	write(filepath.Join(tarball, "suites", "ipv6.test"), "#!/bin/sh\n", 0o755)
	other := t.TempDir()
	write(filepath.Join(other, "go.mod"), "module example.com/other\n", 0o644)
	write(filepath.Join(other, "Makefile"), "", 0o644)

	tests := []struct {
		name, cwd, root string
		code            int
		want            string
	}{
		{"checkout", checkout, "", 0, "sudo make conformance CHECK=ipv6.rfc8028.same-link PROFILE=it's"},
		{"unpacked tarball", tarball, "", 0, "sudo ./netconform run --check ipv6.rfc8028.same-link --profile it's"},
		{"NETCONFORM_ROOT", other, tarball, 0, "sudo ./netconform run --check"},
		{"another module", other, "", 2, "neither a netconform checkout nor an unpacked netconform tarball"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("sh", script)
			cmd.Dir = tt.cwd
			cmd.Env = []string{"PATH=" + bin + string(filepath.ListSeparator) + os.Getenv("PATH")}
			if tt.root != "" {
				cmd.Env = append(cmd.Env, "NETCONFORM_ROOT="+tt.root)
			}
			out, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != tt.code || !strings.Contains(string(out), tt.want) {
				t.Errorf("exit %d, output %q; want %d and %q", code, out, tt.code, tt.want)
			}
		})
	}
	if s := rerunScript(r, c); !strings.Contains(s, "netconform-v1.2.3-<os>-<arch>.tar.gz") {
		t.Errorf("the script does not name the tarball of the run's version:\n%s", s)
	}
}
