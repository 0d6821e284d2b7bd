package config_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/netconform/netconform/catalog"
	_ "github.com/netconform/netconform/catalog/all"
	"github.com/netconform/netconform/config"
)

// TestKnownIssuesEntries: every known_failures entry docs/known-issues.md
// offers to copy loads as it is and names a registered check.
func TestKnownIssuesEntries(t *testing.T) {
	doc, err := os.ReadFile("../docs/known-issues.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("no yaml entries in docs/known-issues.md")
	}
	for _, b := range blocks {
		c, err := config.Parse(append([]byte("version: 1\nknown_failures:\n"), b[1]...))
		if err != nil {
			t.Errorf("entry does not load: %v\n%s", err, b[1])
			continue
		}
		for _, k := range c.KnownFailures {
			if _, ok := catalog.Lookup(k.Check); !ok {
				t.Errorf("entry names %q, which is no registered check", k.Check)
			}
		}
	}
}
