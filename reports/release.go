package reports

import (
	"bufio"
	"fmt"
	"regexp"
	"runtime"
	"strings"
)

// ParseOSRelease reads /etc/os-release (KEY=value, values optionally quoted).
func ParseOSRelease(text string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\$`, `$`, "\\`", "`").Replace(v[1 : len(v)-1])
		}
		out[k] = v
	}
	return out
}

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9._+-]+`)

// ReleaseID makes a file-name-safe id: the OS, its version, and the build
// when there is one ("macos-26.5-25F71", "linux-6.18.44-debian-12").
func ReleaseID(os, version, build string) string {
	parts := []string{os, version}
	if build != "" {
		parts = append(parts, build)
	}
	id := unsafeID.ReplaceAllString(strings.Join(parts, "-"), "_")
	return strings.Trim(id, "_-")
}

// LinuxRelease builds the identity of a Linux release from os-release and
// uname. On Linux the kernel is what the checks exercise, so the kernel
// release is the version known failures match; the distribution is the build.
func LinuxRelease(osRelease map[string]string, kernelRelease, kernelVersion, machine string) Release {
	build := osRelease["ID"]
	if v := osRelease["VERSION_ID"]; v != "" {
		build += "-" + v
	}
	name := osRelease["PRETTY_NAME"]
	if name == "" {
		name = osRelease["NAME"]
	}
	if name == "" {
		name = "Linux"
	}
	r := Release{OS: "linux", Name: name, Version: kernelRelease, Build: build,
		Kernel: strings.TrimSpace(fmt.Sprintf("Linux %s %s", kernelRelease, kernelVersion)), Arch: goArch(machine)}
	r.ID = ReleaseID(r.OS, r.Version, r.Build)
	return r
}

func goArch(machine string) string {
	switch machine {
	case "x86_64":
		return "amd64"
	case "aarch64", "arm64":
		return "arm64"
	case "":
		return runtime.GOARCH
	}
	return machine
}
