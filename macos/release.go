package macos

import (
	"errors"
	"fmt"
	"strings"
)

// Release identifies the Mac a run happened on: what sw_vers, uname -r, uname -v and `sysctl -n hw.model`
// print.
type Release struct {
	ProductName         string            // "macOS"
	ProductVersion      string            // "26.5"
	BuildVersion        string            // "25F71"
	ProductVersionExtra string            // rapid security response suffix such as "(a)", when sw_vers prints it
	DarwinVersion       string            // uname -r: "25.5.0"
	XNUVersion          string            // from uname -v: "xnu-12377.121.6~2" (the ~N is Apple's build iteration)
	KernelConfig        string            // from uname -v: "RELEASE_ARM64_T8103"; "RELEASE_ARM64_VMAPPLE" in an Apple-silicon VM
	HWModel             string            // hw.model: "Mac14,2", "VirtualMac2,1"
	Arch                string            // "arm64" or "x86_64", derived from the kernel configuration
	Other               map[string]string // sw_vers lines we do not know, by key
}

// XNUBuild is XNUVersion without Apple's build iteration: "xnu-11417.140.69.708.3" for
// "xnu-11417.140.69.708.3~1".
func (r Release) XNUBuild() string {
	v, _, _ := strings.Cut(strings.TrimSpace(r.XNUVersion), "~")
	return v
}

// publishedLongTags are the apple-oss-distributions/xnu tags with more than three numbers: of its 148
// tags up to xnu-11417.121.6, only this one.
var publishedLongTags = map[string]bool{"xnu-7195.50.7.100.1": true}

// XNUTag returns the apple-oss-distributions/xnu tag naming the source of the kernel, or "" when the
// version has no tag's shape. Apple publishes the source of each macOS update under a tag of three numbers
// ("xnu-11417.121.6"; the oldest have one or two). Kernels of later security updates report five
// ("xnu-11417.140.69.708.3" on macOS 15.7.x), which are never published (the one five-number tag is in
// publishedLongTags): such a version is cut to the three-number release it was built from.
func (r Release) XNUTag() string {
	v := r.XNUBuild()
	nums, ok := strings.CutPrefix(v, "xnu-")
	if !ok || nums == "" {
		return ""
	}
	parts := strings.Split(nums, ".")
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return ""
		}
	}
	if len(parts) <= 3 || publishedLongTags[v] {
		return v
	}
	return "xnu-" + strings.Join(parts[:3], ".")
}

// ParseSwVers reads sw_vers output: "Key:<tab>value" lines, split on the first colon. Unknown keys go to
// Other; ProductVersion is required.
func ParseSwVers(out string) (Release, error) {
	var r Release
	for _, line := range splitLines(out) {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "ProductName":
			r.ProductName = val
		case "ProductVersion":
			r.ProductVersion = val
		case "BuildVersion":
			r.BuildVersion = val
		case "ProductVersionExtra":
			r.ProductVersionExtra = val
		case "":
		default:
			if r.Other == nil {
				r.Other = map[string]string{}
			}
			r.Other[key] = val
		}
	}
	if r.ProductVersion == "" {
		return r, errors.New("macos: sw_vers output has no ProductVersion")
	}
	return r, nil
}

// ParseUnameV extracts the xnu version and kernel configuration from `uname -v`, e.g.
// "Darwin Kernel Version 25.5.0: ...; root:xnu-12377.121.6~2/RELEASE_ARM64_T8103", or
// "...; root:xnu-11417.140.69.708.3~1/RELEASE_ARM64_VMAPPLE" in a macOS 15.7 virtual machine.
func ParseUnameV(s string) (xnu, config string, err error) {
	s = strings.TrimSpace(s)
	i := strings.Index(s, "xnu-")
	if i < 0 {
		return "", "", fmt.Errorf("macos: no xnu version in uname -v %q", s)
	}
	rest := s[i:]
	xnu, config, _ = strings.Cut(rest, "/")
	xnu = strings.TrimSpace(xnu)
	if f := strings.Fields(config); len(f) > 0 {
		config = f[0]
	} else {
		config = ""
	}
	return xnu, config, nil
}

// ArchOfKernelConfig maps RELEASE_ARM64_T8103 / DEVELOPMENT_X86_64 to "arm64" / "x86_64".
func ArchOfKernelConfig(config string) string {
	switch {
	case strings.Contains(config, "ARM64"):
		return "arm64"
	case strings.Contains(config, "X86_64"):
		return "x86_64"
	}
	return ""
}

// ParseRelease combines sw_vers, uname -r, uname -v and hw.model output. sw_vers is required; the others
// may be empty, and a malformed uname -v is reported after the rest has been filled in.
func ParseRelease(swVers, unameR, unameV, hwModel string) (Release, error) {
	r, err := ParseSwVers(swVers)
	if err != nil {
		return r, err
	}
	r.DarwinVersion = strings.TrimSpace(unameR)
	r.HWModel = strings.TrimSpace(hwModel)
	if strings.TrimSpace(unameV) == "" {
		return r, nil
	}
	xnu, config, err := ParseUnameV(unameV)
	if err != nil {
		return r, err
	}
	r.XNUVersion, r.KernelConfig, r.Arch = xnu, config, ArchOfKernelConfig(config)
	return r, nil
}
