//go:build !linux

package reports

import (
	"fmt"
	"runtime"
)

// ThisRelease identifies the running release. The macOS identity (sw_vers,
// uname, hw.model) is not wired yet: until it is, a run there refuses to start
// rather than writing results under a wrong release.
func ThisRelease() (Release, error) {
	return Release{}, fmt.Errorf("release identity on %s is not implemented yet", runtime.GOOS)
}
