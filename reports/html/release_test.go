package html

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

// copyFixture copies a fixture release directory into a temp dir so a test
// can write report.html beside it without touching testdata.
func copyFixture(t *testing.T, name string) (string, *reports.Results) {
	t.Helper()
	src := filepath.Join("..", "testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := reports.Read(filepath.Join(dst, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	return dst, r
}

func TestWriteReleaseFixture(t *testing.T) {
	dir, r := copyFixture(t, "fixture-macos-26.0")
	if err := WriteRelease(dir, r); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		"macOS 26.0", "25A354", "f1x70005", "stock", "fixture", // release and run
		"✗ disagrees", // RFC 8028 table vs wire
		"<svg",        // churn chart
		"silent drop", // mapped-sendto per-datagram table
		`href="./evidence/ipv6.rfc8028.same-link/samelink-ab.pcapng"`,
		"samelink-ba.pcapng</code> (missing)",
		"FB00000001",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "<script") {
		t.Errorf("release report must load nothing and run no script")
	}
	// failures first
	if i, j := strings.Index(page, `id="check-sockets.churn.stream6"`), strings.Index(page, `id="check-cfil.userspace-filter.first-datagram"`); i < 0 || j < 0 || i > j {
		t.Errorf("failing check should come before passing ones (%d, %d)", i, j)
	}
}

func TestInvalidObservationsShownEscaped(t *testing.T) {
	r := &reports.Results{Run: reports.Run{ID: "f1x70000"}, Release: reports.Release{ID: "linux-6.1"}}
	r.Checks = []reports.CheckResult{{Result: check.Result{ID: "x.y", Verdict: check.Pass,
		Observations: []byte(`{"a":"</pre><script>alert(1)</script>`)}}}
	b, err := RenderRelease(t.TempDir(), t.TempDir(), r)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "not valid JSON") {
		t.Errorf("invalid observations not shown as escaped text")
	}
}

func TestBugURL(t *testing.T) {
	tests := []struct{ bug, want string }{
		{"FB12345678", "https://feedbackassistant.apple.com/feedback/12345678"},
		{"https://bugzilla.kernel.org/show_bug.cgi?id=1", "https://bugzilla.kernel.org/show_bug.cgi?id=1"},
		{"javascript:alert(1)", ""},
		{"FB1", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := BugURL(tt.bug); got != tt.want {
			t.Errorf("BugURL(%q) = %q, want %q", tt.bug, got, tt.want)
		}
	}
}

// TestRepeatedRunReport: a results schema 2 run with repeat 10 names its
// profile in the title, shows each check's tally, marks the flaky check and
// lists the check that never ran as an error that never ran, apart from
// errors of checks that ran; a version 1 run shows none of it.
func TestRepeatedRunReport(t *testing.T) {
	tests := []struct {
		fixture   string
		want, not []string
	}{
		{"fixture-macos-26.5",
			[]string{"<title>netconform: macOS 26.5 25F71 · profile stock</title>", "netconform on macOS 26.5 (25F71), profile stock",
				"each check repeated 10 times", "<strong>12 of 13 selected checks ran</strong>; 1 never ran",
				`<span class="tally">fail 3 of 10, pass 7 of 10</span><span class="badge v-mixed">flaky</span>`,
				"<dt>repetitions</dt><dd class=\"tally\">fail 3 of 10, pass 7 of 10 (flaky: the repetitions disagree",
				`<span class="badge v-error notrun">never ran</span>`, "<strong>Selected but never ran</strong>", "fail 10 of 10"},
			nil},
		{"fixture-macos-15.5",
			[]string{"<title>netconform: macOS 15.5 24F74 · profile stock</title>", "netconform on macOS 15.5 (24F74), profile stock"},
			[]string{"selected checks ran", "never ran", "<dt>repetitions</dt>", ">flaky<", "repeated"}},
	}
	for _, tt := range tests {
		dir, r := copyFixture(t, tt.fixture)
		if err := WriteRelease(dir, r); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, FileName))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: report lacks %q", tt.fixture, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(page, w) {
				t.Errorf("%s: report has %q", tt.fixture, w)
			}
		}
	}
	// A check that never ran comes after the errors of checks that ran.
	r := &reports.Results{Run: reports.Run{ID: "f1x70000", Profile: "stock", Selected: 2}, Release: reports.Release{ID: "linux-6.1"}}
	r.Checks = []reports.CheckResult{
		{Result: check.Result{ID: "a.never", Verdict: check.Error, Reason: "its suite did not compile"}, NotRun: true},
		{Result: check.Result{ID: "b.ran", Verdict: check.Error, Reason: "lab would not build"}},
	}
	b, err := RenderRelease(t.TempDir(), t.TempDir(), r)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if i, j := strings.Index(page, `id="check-b.ran"`), strings.Index(page, `id="check-a.never"`); i < 0 || j < 0 || i > j {
		t.Errorf("an error of a check that ran should come before a check that never ran (%d, %d)", i, j)
	}
	if !strings.Contains(page, "1 of 2 selected checks ran") {
		t.Errorf("the summary does not count the checks that ran")
	}
}
