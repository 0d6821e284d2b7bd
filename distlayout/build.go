package distlayout

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"debug/elf"
	"debug/macho"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// readme is the README.dist.md every tarball carries.
//
//go:embed README.dist.md
var readme []byte

// BuildOptions say what Build makes.
type BuildOptions struct {
	// Version goes into `netconform version` (main.version) and the name.
	Version  string
	Platform Platform
	// ModuleDir is the netconform checkout to build from.
	ModuleDir string
	// OutDir receives the tarball.
	OutDir string
	// Go is the go command ("" = "go" from PATH).
	Go string
	// ModTime stamps every entry ("" zero = now). `make dist` passes the
	// commit's time, so a rebuild of one commit gives the same archive
	// layout and dates.
	ModTime time.Time
	// Log receives the commands run (nil: discarded).
	Log io.Writer
}

var versionPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)

// Build cross-compiles every program of the layout for the platform
// (CGO_ENABLED=0), stages them under OutDir and writes
// OutDir/netconform-<version>-<os>-<arch>.tar.gz, whose entries all sit
// under one directory of the same name. It returns the tarball's path.
func Build(ctx context.Context, o BuildOptions) (string, error) {
	o, err := o.withDefaults()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return "", err
	}
	// The stage is a fresh directory inside OutDir, removed whatever
	// happens: a failed build leaves no half layout beside the tarballs.
	stage, err := os.MkdirTemp(o.OutDir, ".stage-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)
	name := Name(o.Version, o.Platform)
	root := filepath.Join(stage, name)
	if err := os.MkdirAll(filepath.Join(root, SuitesDir), 0o755); err != nil {
		return "", err
	}
	if err := compile(ctx, o, root); err != nil {
		return "", err
	}
	if err := copyFiles(o.ModuleDir, root); err != nil {
		return "", err
	}
	if err := verifyStage(root, o.Platform); err != nil {
		return "", err
	}
	return publish(o, stage, name)
}

// withDefaults refuses options Build cannot name a tarball or build for,
// and fills in the rest.
func (o BuildOptions) withDefaults() (BuildOptions, error) {
	if !versionPattern.MatchString(o.Version) {
		return o, fmt.Errorf("version %q: want letters, digits, '.', '_', '+' or '-' (it names the tarball)", o.Version)
	}
	if o.Platform.OS == "" || o.Platform.Arch == "" {
		return o, errors.New("no platform to build for")
	}
	if o.Go == "" {
		o.Go = "go"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.ModTime.IsZero() {
		o.ModTime = time.Now()
	}
	return o, nil
}

// compile builds the programs and the suites' test binaries into root, in
// the layout's places, with the go command run in the checkout.
func compile(ctx context.Context, o BuildOptions, root string) error {
	env := append(os.Environ(), "CGO_ENABLED=0", "GOOS="+o.Platform.OS, "GOARCH="+o.Platform.Arch)
	for _, args := range goSteps(o.Version, root) {
		fmt.Fprintf(o.Log, "%s: %s %s\n", o.Platform, o.Go, strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, o.Go, args...)
		cmd.Dir, cmd.Env = o.ModuleDir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: go %s: %w\n%s", o.Platform, strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// goSteps are the go commands' arguments, one program or suite each.
func goSteps(version, root string) [][]string {
	// -s -w drop the symbol table and DWARF (a third of the size); panics
	// still print file:line from the pcln table. -trimpath keeps the
	// builder's paths out of the binaries.
	const ldStrip = "-s -w"
	steps := [][]string{
		{"build", "-trimpath", "-ldflags", ldStrip + " -X main.version=" + version, "-o", filepath.Join(root, Command), "./cmd/netconform"},
		{"build", "-trimpath", "-ldflags", ldStrip, "-o", filepath.Join(root, Probe), "./cmd/netconform-probe"},
		// The module's pinned ginkgo (go.mod's tool directive and require):
		// the same version the suites are compiled against.
		{"build", "-trimpath", "-ldflags", ldStrip, "-o", filepath.Join(root, Ginkgo), "github.com/onsi/ginkgo/v2/ginkgo"},
	}
	for _, s := range Suites {
		steps = append(steps, []string{"test", "-c", "-trimpath", "-ldflags", ldStrip, "-o", SuiteBinary(root, s), "./suites/" + s})
	}
	return steps
}

// copyFiles puts the checkout's default configuration and the embedded
// README.dist.md into root.
func copyFiles(moduleDir, root string) error {
	cfg, err := os.ReadFile(filepath.Join(moduleDir, Config))
	if err != nil {
		return fmt.Errorf("the default configuration: %w", err)
	}
	if err := os.WriteFile(filepath.Join(root, Config), cfg, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, Readme), readme, 0o644)
}

// verifyStage refuses a stage that lacks part of the layout or holds a
// program the platform would not run, before any tarball is written.
func verifyStage(root string, p Platform) error {
	if m := Missing(root); m != nil {
		return fmt.Errorf("staged layout lacks %s", strings.Join(m, ", "))
	}
	for _, path := range append([]string{Command, Ginkgo, Probe}, suitePaths()...) {
		if err := checkBinary(filepath.Join(root, path), p); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// publish archives stage/name into a temporary file and renames it to the
// tarball's name only once complete, so that OutDir never holds a
// truncated tarball under the real name.
func publish(o BuildOptions, stage, name string) (string, error) {
	out := filepath.Join(o.OutDir, TarballName(o.Version, o.Platform))
	tmp, err := os.CreateTemp(o.OutDir, ".tarball-")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	werr := writeTarball(tmp, stage, name, o.ModTime)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return "", fmt.Errorf("write %s: %w", out, err)
	}
	// CreateTemp makes the file 0600; a release tarball is for everyone.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", err
	}
	return out, nil
}

// checkBinary makes sure a program is for the platform, and on darwin/arm64
// that it carries the ad-hoc signature Go's linker writes: Apple silicon
// kills an unsigned program at exec ("Killed: 9"), so a tarball whose
// programs lost it (an external strip, say) would not run at all there.
func checkBinary(path string, p Platform) error {
	switch p.OS {
	case "darwin":
		f, err := macho.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		want := map[string]macho.Cpu{"arm64": macho.CpuArm64, "amd64": macho.CpuAmd64}[p.Arch]
		if want != 0 && f.Cpu != want {
			return fmt.Errorf("Mach-O for %v, want %v", f.Cpu, want)
		}
		if p.Arch == "arm64" && !hasCodeSignature(f) {
			return errors.New("no LC_CODE_SIGNATURE: macOS on arm64 would refuse to run it")
		}
	case "linux":
		f, err := elf.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		want := map[string]elf.Machine{"arm64": elf.EM_AARCH64, "amd64": elf.EM_X86_64}[p.Arch]
		if want != 0 && f.Machine != want {
			return fmt.Errorf("ELF for %v, want %v", f.Machine, want)
		}
	}
	return nil
}

// lcCodeSignature is LC_CODE_SIGNATURE (mach-o/loader.h).
const lcCodeSignature = 0x1d

func hasCodeSignature(f *macho.File) bool {
	for _, l := range f.Loads {
		if raw := l.Raw(); len(raw) >= 4 && f.ByteOrder.Uint32(raw) == lcCodeSignature {
			return true
		}
	}
	return false
}

// writeTarball archives stage/name as name/... with entries in name order,
// owned by 0:0, with mode 0755 for directories and programs and 0644 for the
// rest: the same input gives the same archive.
func writeTarball(w io.Writer, stage, name string, mtime time.Time) error {
	var paths []string
	err := filepath.WalkDir(filepath.Join(stage, name), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(stage, p)
		if err != nil {
			return err
		}
		paths = append(paths, rel)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, rel := range paths {
		st, err := os.Lstat(filepath.Join(stage, rel))
		if err != nil {
			return err
		}
		h := &tar.Header{Name: filepath.ToSlash(rel), ModTime: mtime.UTC().Truncate(time.Second), Format: tar.FormatPAX}
		switch {
		case st.IsDir():
			h.Typeflag, h.Name, h.Mode = tar.TypeDir, h.Name+"/", 0o755
		case st.Mode().IsRegular():
			h.Typeflag, h.Size, h.Mode = tar.TypeReg, st.Size(), 0o644
			if st.Mode().Perm()&0o111 != 0 {
				h.Mode = 0o755
			}
		default:
			return fmt.Errorf("%s: not a file or directory", rel)
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeReg {
			f, err := os.Open(filepath.Join(stage, rel))
			if err != nil {
				return err
			}
			_, err = io.Copy(tw, f)
			f.Close()
			if err != nil {
				return err
			}
		}
	}
	return errors.Join(tw.Close(), gz.Close())
}

// Unpack extracts a tarball written by Build into dir and returns the root
// (dir/<name>). It refuses entries outside that one directory, links and
// anything but files and directories: it is used by tests and to check a
// tarball, and must not write where the archive says when that is elsewhere.
func Unpack(tarball, dir string) (string, error) {
	f, err := os.Open(tarball)
	if err != nil {
		return "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", tarball, err)
	}
	tr := tar.NewReader(gz)
	top := ""
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", tarball, err)
		}
		clean := filepath.Clean(filepath.FromSlash(h.Name))
		first, _, _ := strings.Cut(filepath.ToSlash(clean), "/")
		if top == "" {
			top = first
		}
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || first != top {
			return "", fmt.Errorf("%s: entry %q is outside %s/", tarball, h.Name, top)
		}
		dst := filepath.Join(dir, clean)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return "", err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return "", err
			}
			out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fs.FileMode(h.Mode)&0o755)
			if err != nil {
				return "", err
			}
			_, cerr := io.Copy(out, tr)
			if err := errors.Join(cerr, out.Close()); err != nil {
				return "", fmt.Errorf("%s: %s: %w", tarball, h.Name, err)
			}
		default:
			return "", fmt.Errorf("%s: entry %q is not a file or directory", tarball, h.Name)
		}
	}
	if top == "" {
		return "", fmt.Errorf("%s: empty archive", tarball)
	}
	return filepath.Join(dir, top), nil
}
