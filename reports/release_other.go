//go:build !linux && !darwin

package reports

import (
	"fmt"
	"runtime"
)

// ThisRelease identifies the running release. Only Linux and macOS have an
// identity: elsewhere a run refuses to start rather than writing results under
// a wrong release.
func ThisRelease() (Release, error) {
	return Release{}, fmt.Errorf("release identity on %s is not implemented: netconform runs on linux and darwin", runtime.GOOS)
}
