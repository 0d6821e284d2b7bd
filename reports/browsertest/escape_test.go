package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/reports/html"
	"github.com/netconform/netconform/reports/regression"
)

// writeHostile writes the hostile results as a release directory (with its
// report.html) and builds a regression report over it and the fixtures.
func writeHostile(t *testing.T) (releaseDir, regressionDir string) {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "fixtures"), os.DirFS(filepath.Join("..", "testdata"))); err != nil {
		t.Fatal(err)
	}
	releaseDir = filepath.Join(root, "hostile")
	r := Hostile()
	if err := reports.Write(releaseDir, r); err != nil {
		t.Fatal(err)
	}
	if err := html.WriteRelease(releaseDir, r); err != nil {
		t.Fatal(err)
	}
	regressionDir = filepath.Join(root, "regression")
	if _, err := regression.Build([]string{filepath.Join(root, "fixtures"), releaseDir}, regressionDir, regression.Options{Title: "regression " + Payload}); err != nil {
		t.Fatal(err)
	}
	return releaseDir, regressionDir
}

// TestEscapingInHTML reads the raw pages: the payload must appear only
// escaped, never as markup.
func TestEscapingInHTML(t *testing.T) {
	rel, reg := writeHostile(t)
	pages := map[string]int{ // page → scripts it may hold (the filter script only)
		filepath.Join(rel, html.FileName):       0,
		filepath.Join(reg, regression.HTMLFile): 1,
	}
	for page, scripts := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ToLower(string(b))
		if n := strings.Count(s, "<script"); n != scripts {
			t.Errorf("%s: %d <script> elements, want %d", page, n, scripts)
		}
		// Escaped, the payload is text: no element, no attribute of its own.
		for _, bad := range []string{"<img", `onerror="`, "</textarea>", "<script>window", `href="javascript:`, "<title>pwned", `'"`} {
			if strings.Contains(s, bad) {
				t.Errorf("%s contains unescaped %q", page, bad)
			}
		}
		if !strings.Contains(s, "&lt;script&gt;window.__pwned=1") {
			t.Errorf("%s does not show the payload as text", page)
		}
		// The profile, from the file, names the page and (in the
		// regression report) a column.
		if !strings.Contains(s, "profile stock&lt;/textarea&gt;&lt;/title&gt;") && !strings.Contains(s, "stock&lt;/textarea&gt;&lt;/title&gt;&lt;/style&gt;&lt;script&gt;") {
			t.Errorf("%s does not show the hostile profile as text", page)
		}
		if scripts == 0 {
			// The dedicated renderers met the payload, not only the generic one.
			for _, want := range []string{`<table class="ra">`, `<span class="why">`, `<table class="dg">`, `<table class="sockets">`, `<p class="cfil bad">`, `<table class="ba">`,
				"user-space filter on the path", `<ul class="flat">`, "memory limit</strong>",
				"selected but never ran</strong>", "fail 2 of 3, pass 1 of 3", "profile stock&lt;/textarea&gt;"} {
				if !strings.Contains(s, want) {
					t.Errorf("%s: the hostile input did not reach %q", page, want)
				}
			}
		}
	}
}
