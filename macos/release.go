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
	KernelConfig        string            // from uname -v: "RELEASE_ARM64_T8103"
	HWModel             string            // hw.model: "Mac14,2", "VirtualMac2,1"
	Arch                string            // "arm64" or "x86_64", derived from the kernel configuration
	Other               map[string]string // sw_vers lines we do not know, by key
}

// XNUTag returns the apple-oss-distributions/xnu tag matching XNUVersion ("xnu-12377.121.6"), or "".
func (r Release) XNUTag() string {
	tag, _, _ := strings.Cut(r.XNUVersion, "~")
	return tag
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
// "Darwin Kernel Version 25.5.0: ...; root:xnu-12377.121.6~2/RELEASE_ARM64_T8103".
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
