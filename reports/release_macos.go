package reports

import (
	"strings"

	"github.com/netconform/netconform/macos"
)

// MacRelease builds the identity of a macOS release from what sw_vers, uname
// and hw.model printed (macos.ParseRelease). On macOS the product version is
// what known failures match and the build tells apart releases that share it
// (rapid security responses, betas); the kernel line keeps the xnu tag, which
// names the source the checks can be read against.
func MacRelease(m macos.Release) Release {
	name := "macOS"
	if extra := strings.TrimSpace(m.ProductVersionExtra); extra != "" {
		name += " " + extra
	}
	kernel := "Darwin"
	if m.DarwinVersion != "" {
		kernel += " " + m.DarwinVersion
	}
	// The tag names the source the checks can be read against; a kernel
	// version Apple publishes no source under (security updates report five
	// numbers) shows both.
	switch build, tag := m.XNUBuild(), m.XNUTag(); {
	case build == "":
	case tag == build:
		kernel += " (" + tag + ")"
	case tag != "":
		kernel += " (" + build + ", source " + tag + ")"
	default:
		kernel += " (" + build + ", no published source)"
	}
	arch := ""
	if m.Arch != "" {
		arch = goArch(m.Arch)
	}
	r := Release{OS: "macos", Name: name, Version: m.ProductVersion, Build: m.BuildVersion,
		Kernel: kernel, Arch: arch, Hardware: m.HWModel}
	r.ID = ReleaseID(r.OS, r.Version, r.Build)
	return r
}
