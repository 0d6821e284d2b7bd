//go:build !linux

package topology

import (
	"fmt"
	"runtime"
)

// Cleanup removes what earlier runs left behind. Only the Linux driver exists
// so far; elsewhere there is nothing of ours to find yet.
func Cleanup(all bool) ([]Leftover, error) {
	return nil, fmt.Errorf("clean-lab is not implemented on %s yet", runtime.GOOS)
}
