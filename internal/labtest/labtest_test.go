package labtest

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/topology"
)

// TestOnlyTestsImportLabtest: no non-test file of the module imports this
// package, so that nothing it does (skips, fatal errors) reaches a binary.
func TestOnlyTestsImportLabtest(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	const self = "github.com/netconform/netconform/internal/labtest"
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self {
				t.Errorf("%s imports %s, which is for tests only", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConfigIsTheShippedOne: Config finds ginkgo.yaml at the module's root
// from a package two levels down, as from any other.
func TestConfigIsTheShippedOne(t *testing.T) {
	cfg := Config(t)
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if root != filepath.Dir(filepath.Dir(wd)) || cfg.Path != filepath.Join(root, "ginkgo.yaml") {
		t.Errorf("loaded %s, module root %s, working directory %s", cfg.Path, root, wd)
	}
	if len(cfg.Profiles) == 0 {
		t.Errorf("the shipped config has no profiles: %+v", cfg)
	}
}

// TestFakePort: a frame played on In reaches the port as the SUT's, and
// what the port sends comes out of Out; the port is closed by the test's
// end.
func TestFakePort(t *testing.T) {
	var port *topology.Port
	t.Run("wire", func(t *testing.T) {
		p, w := FakePort(t, "l0")
		port = p
		changed := p.Changed()
		w.In <- []byte("from the SUT")
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatal("the port never recorded the frame")
		}
		if f := p.Frames(); len(f) != 1 || f[0].Dir != topology.FromSUT || string(f[0].Data) != "from the SUT" {
			t.Fatalf("frames %+v", f)
		}
		if err := p.Send([]byte("to the SUT")); err != nil {
			t.Fatal(err)
		}
		if got := <-w.Out; !bytes.Equal(got, []byte("to the SUT")) {
			t.Errorf("Out gave %q", got)
		}
	})
	if err := port.Send([]byte("late")); err == nil {
		t.Error("the port is still open after its test ended")
	}
}

func TestMAC(t *testing.T) {
	if got := MAC("02:00:00:00:04:02").String(); got != "02:00:00:00:04:02" {
		t.Errorf("MAC = %s", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("a malformed MAC did not panic")
		}
	}()
	MAC("02:00")
}
