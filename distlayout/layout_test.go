package distlayout

import (
	"archive/tar"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func writeExec(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
}

// layout makes a complete unpacked tarball in a temporary directory, minus
// the paths in without.
func layout(t *testing.T, without ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range append([]string{Command, Ginkgo, Probe}, suitePaths()...) {
		skip := false
		for _, w := range without {
			skip = skip || w == p
		}
		if !skip {
			writeExec(t, filepath.Join(root, p), 0o755)
		}
	}
	return root
}

func TestFindDistRoot(t *testing.T) {
	full := layout(t)
	linkDir := t.TempDir()
	link := filepath.Join(linkDir, "netconform")
	if err := os.Symlink(filepath.Join(full, Command), link); err != nil {
		t.Fatal(err)
	}
	noExec := layout(t)
	if err := os.Chmod(filepath.Join(noExec, Ginkgo), 0o644); err != nil {
		t.Fatal(err)
	}
	dirSuite := layout(t, "suites/ipv6.test")
	if err := os.MkdirAll(filepath.Join(dirSuite, "suites", "ipv6.test"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		exe      string
		wantRoot string
		ok       bool
	}{
		{"complete", filepath.Join(full, Command), full, true},
		{"renamed command", filepath.Join(full, Ginkgo), full, true},
		{"through a symlink elsewhere", link, full, true},
		{"no suite", filepath.Join(layout(t, "suites/sockets.test"), Command), "", false},
		{"no ginkgo", filepath.Join(layout(t, Ginkgo), Command), "", false},
		{"no probe", filepath.Join(layout(t, Probe), Command), "", false},
		{"ginkgo not executable", filepath.Join(noExec, Command), "", false},
		{"a suite that is a directory", filepath.Join(dirSuite, Command), "", false},
		{"a lone binary (a checkout's bin/)", filepath.Join(layout(t, Ginkgo, Probe, "suites/ipv6.test", "suites/sockets.test"), Command), "", false},
		{"executable that does not exist", filepath.Join(t.TempDir(), "netconform"), "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, ok := FindDistRoot(tt.exe)
			want, _ := filepath.EvalSymlinks(tt.wantRoot)
			if tt.wantRoot == "" {
				want = ""
			}
			if ok != tt.ok || root != want {
				t.Errorf("FindDistRoot(%q) = %q, %v; want %q, %v", tt.exe, root, ok, want, tt.ok)
			}
		})
	}
}

func TestNames(t *testing.T) {
	p, err := ParsePlatform("darwin/arm64")
	if err != nil || p != (Platform{"darwin", "arm64"}) {
		t.Fatalf("%v %v", p, err)
	}
	if got := TarballName("v1.2.0-3-gabc", p); got != "netconform-v1.2.0-3-gabc-darwin-arm64.tar.gz" {
		t.Errorf("tarball name %q", got)
	}
	for _, bad := range []string{"linux", "/amd64", "linux/", "linux/amd64/x", ""} {
		if _, err := ParsePlatform(bad); err == nil {
			t.Errorf("ParsePlatform(%q) accepted", bad)
		}
	}
	if len(Platforms) != 4 {
		t.Errorf("platforms %v", Platforms)
	}
}

// TestUnpackRefuses: Unpack writes only inside the archive's one directory.
func TestUnpackRefuses(t *testing.T) {
	tests := []struct {
		name    string
		entries []tar.Header
		want    string
	}{
		{"parent", []tar.Header{{Name: "nc/", Typeflag: tar.TypeDir, Mode: 0o755}, {Name: "nc/../../evil", Typeflag: tar.TypeReg, Mode: 0o644}}, "outside"},
		{"second top directory", []tar.Header{{Name: "nc/a", Typeflag: tar.TypeReg, Mode: 0o644}, {Name: "other/b", Typeflag: tar.TypeReg, Mode: 0o644}}, "outside"},
		{"absolute", []tar.Header{{Name: "/etc/x", Typeflag: tar.TypeReg, Mode: 0o644}}, "outside"},
		{"symlink", []tar.Header{{Name: "nc/l", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}}, "not a file or directory"},
		{"empty", nil, "empty archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "x.tar.gz")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			gz := gzip.NewWriter(f)
			tw := tar.NewWriter(gz)
			for _, h := range tt.entries {
				if err := tw.WriteHeader(&h); err != nil {
					t.Fatal(err)
				}
			}
			tw.Close()
			gz.Close()
			f.Close()
			out := t.TempDir()
			if _, err := Unpack(path, out); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Unpack: %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "..", "evil")); err == nil {
				t.Error("wrote outside")
			}
		})
	}
}

// TestCheckBinary: a program built for this platform passes, the same
// program claimed for another fails, and a script is no program.
func TestCheckBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	here := Platform{runtime.GOOS, runtime.GOARCH}
	if err := checkBinary(exe, here); err != nil {
		t.Errorf("this test binary for %s: %v", here, err)
	}
	other := Platform{runtime.GOOS, map[string]string{"amd64": "arm64", "arm64": "amd64"}[runtime.GOARCH]}
	if err := checkBinary(exe, other); err == nil {
		t.Errorf("this %s binary passed as %s", here, other)
	}
	foreign := Platform{map[string]string{"linux": "darwin", "darwin": "linux"}[runtime.GOOS], runtime.GOARCH}
	if err := checkBinary(exe, foreign); err == nil {
		t.Errorf("this %s binary passed as %s", here, foreign)
	}
	script := filepath.Join(t.TempDir(), "x")
	writeExec(t, script, 0o755)
	if err := checkBinary(script, here); err == nil {
		t.Error("a shell script passed as a program")
	}
}
