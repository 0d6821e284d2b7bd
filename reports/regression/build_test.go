package regression

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../testdata"

func buildFixtures(t *testing.T, extra ...string) (Summary, string, *Document) {
	t.Helper()
	out := t.TempDir()
	s, err := Build(append([]string{fixtures}, extra...), out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv("NETCONFORM_KEEP_REGRESSION"); d != "" {
		_ = os.CopyFS(d, os.DirFS(out))
	}
	return s, out, &doc
}

func TestBuildFixtures(t *testing.T) {
	s, out, doc := buildFixtures(t)
	if s.Releases != 8 || s.Runs != 9 {
		t.Errorf("releases %d runs %d, want 8 releases (26.0 twice) and 9 runs", s.Releases, s.Runs)
	}
	var order []string
	for _, r := range doc.Releases {
		order = append(order, r.ID)
	}
	want := "macos-14.7-23H124 macos-15.5-24F74 macos-15.6.1-24G90 macos-15.7.5-24G517 macos-26.0-25A354 macos-26.5-25F71 linux-6.9.12-debian-12 linux-6.18.44-debian-12"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("release order\n got %s\nwant %s", got, want)
	}
	page, err := os.ReadFile(filepath.Join(out, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	_ = page
}
