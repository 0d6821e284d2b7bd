package reports

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"time"

	"github.com/netconform/netconform/macos"
)

// ThisRelease identifies the running macOS release from sw_vers, uname -r,
// uname -v and hw.model. sw_vers is required: without it the run would file
// its results under a wrong release. The others only enrich the identity.
func ThisRelease() (Release, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	swVers, err := exec.CommandContext(ctx, "/usr/bin/sw_vers").Output()
	if err != nil {
		return Release{}, fmt.Errorf("sw_vers: %w", err)
	}
	output := func(name string, args ...string) string {
		out, _ := exec.CommandContext(ctx, name, args...).Output()
		return string(out)
	}
	m, err := macos.ParseRelease(string(swVers), output("/usr/bin/uname", "-r"), output("/usr/bin/uname", "-v"),
		output("/usr/sbin/sysctl", "-n", "hw.model"))
	if err != nil && m.ProductVersion == "" {
		return Release{}, err
	}
	// A uname -v without an xnu version only loses the kernel tag: keep the rest.
	r := MacRelease(m)
	if r.Arch == "" {
		r.Arch = runtime.GOARCH // the binary's, which under Rosetta is not the Mac's
	}
	return r, nil
}
