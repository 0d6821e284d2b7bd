// Package distlayout is the layout of netconform's release tarball, the one that
// runs without Go or a checkout: `make dist` builds it (Build), and
// `netconform run` finds it beside its own executable (FindDistRoot).
//
// An unpacked tarball is one directory, the root:
//
//	<root>/netconform           the command
//	<root>/ginkgo               the Ginkgo CLI of the module's pinned version
//	<root>/suites/<name>.test   each suite, compiled ahead of time (go test -c)
//	<root>/netconform-probe     the churn probe run inside the SUT
//	<root>/ginkgo.yaml          the default run configuration
//	<root>/README.dist.md       how to run it
package distlayout

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Names of the files in the root.
const (
	Command   = "netconform"
	Ginkgo    = "ginkgo"
	Probe     = "netconform-probe"
	Config    = "ginkgo.yaml"
	Readme    = "README.dist.md"
	SuitesDir = "suites"
	// SuiteExt ends a compiled suite's name: suites/ipv6.test.
	SuiteExt = ".test"
)

// Suites are the suites a tarball carries, compiled from ./suites/<name>.
var Suites = []string{"ipv6", "sockets"}

// Platform is one GOOS/GOARCH a tarball is built for.
type Platform struct{ OS, Arch string }

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Platforms are those `make dist` builds.
var Platforms = []Platform{{"darwin", "arm64"}, {"darwin", "amd64"}, {"linux", "amd64"}, {"linux", "arm64"}}

// ParsePlatform reads "os/arch".
func ParsePlatform(s string) (Platform, error) {
	os, arch, ok := strings.Cut(s, "/")
	if !ok || os == "" || arch == "" || strings.Contains(arch, "/") {
		return Platform{}, fmt.Errorf("platform %q: want os/arch, e.g. linux/amd64", s)
	}
	return Platform{os, arch}, nil
}

// Name is the tarball's base name without extension, and the name of the
// directory it unpacks into: netconform-<version>-<os>-<arch>.
func Name(version string, p Platform) string {
	return fmt.Sprintf("netconform-%s-%s-%s", version, p.OS, p.Arch)
}

// TarballName is Name with ".tar.gz".
func TarballName(version string, p Platform) string { return Name(version, p) + ".tar.gz" }

// SuiteBinary is the compiled suite name inside root.
func SuiteBinary(root, suite string) string {
	return filepath.Join(root, SuitesDir, suite+SuiteExt)
}

// FindDistRoot reports whether exe (the running netconform, as
// os.Executable gives it) sits in an unpacked tarball, and its root. A
// symbolic link to the executable (e.g. /usr/local/bin/netconform) is
// followed to where the tarball was unpacked. The layout counts only when
// the bundled ginkgo, the probe and every suite are there and executable: a
// lone netconform binary copied somewhere is not a dist, and then the suites
// must come from a checkout (with Go).
func FindDistRoot(exe string) (root string, ok bool) {
	if exe == "" {
		return "", false
	}
	real, err := filepath.EvalSymlinks(exe)
	if err != nil {
		return "", false
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", false
	}
	root = filepath.Dir(real)
	if Missing(root) != nil {
		return "", false
	}
	return root, true
}

// Missing lists what root lacks of the layout's programs (nil: nothing).
func Missing(root string) []string {
	var missing []string
	for _, p := range append([]string{Ginkgo, Probe}, suitePaths()...) {
		if !isExecutable(filepath.Join(root, p)) {
			missing = append(missing, p)
		}
	}
	return missing
}

func suitePaths() []string {
	var out []string
	for _, s := range Suites {
		out = append(out, filepath.Join(SuitesDir, s+SuiteExt))
	}
	return out
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}
