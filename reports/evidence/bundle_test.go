package evidence

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

// fixtureRelease copies a fixture release directory to a temp dir.
func fixtureRelease(t *testing.T, name string) (string, *reports.Results) {
	t.Helper()
	src := filepath.Join("..", "testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	r, err := reports.Read(filepath.Join(dst, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	return dst, r
}

func checkOf(t *testing.T, r *reports.Results, id string) reports.CheckResult {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s in %s", id, r.Release.ID)
	return reports.CheckResult{}
}

func TestBundle(t *testing.T) {
	tests := []struct {
		release, check, lastGood string
		want                     []string // files in the bundle
		wantFeedback             []string
	}{
		{"fixture-macos-26.0", "sockets.churn.stream6", "macos-15.7.5-24G517",
			[]string{FeedbackFile, ReproFile, RerunFile, ResultFile},
			[]string{"Area:** Networking", "macOS 26.0 (25A354)", "./repro 250000 inet6 stream", "ENOBUFS", "last good release netconform saw", "macos-15.7.5-24G517", "Mac14,3", "Darwin 25.0.0"}},
		{"fixture-macos-15.6.1", "sockets.mapped-sendto.self", "",
			[]string{FeedbackFile, ReproFile, RerunFile, ResultFile},
			[]string{"macOS 15.6.1 (24G90)", "sendto said success but nothing arrived", "sosend_reinject() failed, errno 22 (EINVAL)", "Last good release: unknown", "RFC 4291"}},
		{"fixture-macos-15.6.1", "ipv6.rfc8028.same-link", "",
			[]string{FeedbackFile, RerunFile, ResultFile, "routes-ab.txt", "samelink-ab.pcapng"},
			[]string{"rerun.sh", "CHECK='ipv6.rfc8028.same-link' PROFILE='stock'", "RFC 8028 §3", "FB00000001"}},
	}
	for _, tt := range tests {
		t.Run(tt.check, func(t *testing.T) {
			rd, r := fixtureRelease(t, tt.release)
			c := checkOf(t, r, tt.check)
			dir, err := Bundle(rd, r, c, tt.lastGood)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(rd, "evidence", tt.check); dir != want {
				t.Errorf("dir %s, want %s", dir, want)
			}
			var got []string
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				got = append(got, e.Name())
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("bundle holds %v, want %v", got, tt.want)
			}
			fb, _ := os.ReadFile(filepath.Join(dir, FeedbackFile))
			title, _, _ := strings.Cut(string(fb), "\n")
			if !strings.HasPrefix(title, "# ") || len(title) > 202 {
				t.Errorf("feedback.md must start with a one-line title, got %q", title)
			}
			for _, w := range tt.wantFeedback {
				if !strings.Contains(string(fb), w) && !strings.Contains(readAll(t, dir), w) {
					t.Errorf("bundle lacks %q", w)
				}
			}
			for _, section := range []string{"## Description", "## Steps to reproduce", "## Expected results", "## Actual results", "## Configuration"} {
				if !strings.Contains(string(fb), section) {
					t.Errorf("feedback.md lacks %s", section)
				}
			}
			var back reports.CheckResult
			if b, err := os.ReadFile(filepath.Join(dir, ResultFile)); err != nil || json.Unmarshal(b, &back) != nil || back.ID != tt.check {
				t.Errorf("result.json is not the check's entry: %v", err)
			}
			if fi, err := os.Stat(filepath.Join(dir, RerunFile)); err != nil || fi.Mode().Perm()&0o100 == 0 {
				t.Errorf("rerun.sh must be executable: %v", err)
			}
			if names := tarNames(t, dir+".tar.gz"); strings.Join(names, " ") != strings.Join(prefixed(tt.check, tt.want), " ") {
				t.Errorf("tarball holds %v", names)
			}
		})
	}
}

func TestBundleRefusesNonFailures(t *testing.T) {
	rd, r := fixtureRelease(t, "fixture-macos-15.5")
	if _, err := Bundle(rd, r, checkOf(t, r, "sockets.churn.stream6"), ""); !errors.Is(err, ErrNotFailure) {
		t.Errorf("a passing check got a bundle (err %v)", err)
	}
	bad := checkOf(t, r, "ipv6.rfc8028.same-link")
	for _, id := range []string{"../../etc", "a/b", "", ".hidden", "x..y"} {
		bad.ID = id
		if _, err := Bundle(rd, r, bad, ""); err == nil {
			t.Errorf("check id %q accepted as a directory name", id)
		}
	}
	if _, err := os.Stat(filepath.Join(rd, "..", "etc")); err == nil {
		t.Errorf("bundle escaped the release directory")
	}
}

// TestBundleHasNoSecrets: the bundle goes to a vendor. Neither the
// environment nor the host name may be in it, even when the check's
// observations picked the host name up.
func TestBundleHasNoSecrets(t *testing.T) {
	const secret = "s3cr3t-t0ken-f1x7"
	t.Setenv("NETCONFORM_TEST_SECRET", secret)
	t.Setenv("GITHUB_TOKEN", secret)
	const host = "ci-runner-7f3a.corp.example"
	old := hostname
	hostname = func() (string, error) { return host, nil }
	defer func() { hostname = old }()
	rd, r := fixtureRelease(t, "fixture-macos-26.0")
	c := checkOf(t, r, "sockets.churn.stream6")
	c.Reason += " (seen on " + host + ")"
	c.Observations = json.RawMessage(`{"stderr":"probe on ci-runner-7f3a: ENOBUFS","config":{"family":"inet6","type":"stream","count":1000}}`)
	dir, err := Bundle(rd, r, c, "")
	if err != nil {
		t.Fatal(err)
	}
	all := readAll(t, dir) + strings.Join(tarNames(t, dir+".tar.gz"), " ")
	for _, bad := range []string{secret, "NETCONFORM_TEST_SECRET", "GITHUB_TOKEN", "ci-runner-7f3a", "corp.example"} {
		if strings.Contains(strings.ToLower(all), strings.ToLower(bad)) {
			t.Errorf("bundle contains %q", bad)
		}
	}
	if !strings.Contains(all, "<redacted>") {
		t.Errorf("host name was not replaced")
	}
	// The tarball's headers carry no owner.
	f, _ := os.Open(dir + ".tar.gz")
	defer f.Close()
	gz, _ := gzip.NewReader(f)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		if h.Uname != "" || h.Gname != "" || h.Uid != 0 {
			t.Errorf("%s carries owner %s/%s/%d", h.Name, h.Uname, h.Gname, h.Uid)
		}
	}
}

func TestBundleSkipsSymlinks(t *testing.T) {
	rd, r := fixtureRelease(t, "fixture-macos-15.6.1")
	c := checkOf(t, r, "ipv6.rfc8028.same-link")
	dir := filepath.Join(rd, "evidence", c.ID)
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwd")); err != nil {
		t.Skip(err)
	}
	if _, err := Bundle(rd, r, c, ""); err != nil {
		t.Fatal(err)
	}
	for _, n := range tarNames(t, dir+".tar.gz") {
		if strings.HasSuffix(n, "passwd") {
			t.Errorf("tarball followed a symbolic link: %s", n)
		}
	}
}

func TestBundleFailures(t *testing.T) {
	rd, r := fixtureRelease(t, "fixture-macos-26.5")
	dirs, err := BundleFailures(rd, r, func(id string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range r.Checks {
		if c.Verdict == check.Fail {
			want++
		}
	}
	if len(dirs) != want || want == 0 {
		t.Errorf("%d bundles for %d failures", len(dirs), want)
	}
}

func readAll(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			x, _ := os.ReadFile(p)
			b.Write(x)
		}
		return nil
	})
	return b.String()
}

func tarNames(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			names = append(names, h.Name)
		}
	}
	sort.Strings(names)
	return names
}

func prefixed(p string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = p + "/" + n
	}
	sort.Strings(out)
	return out
}
