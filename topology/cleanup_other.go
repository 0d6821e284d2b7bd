//go:build !linux && !darwin

package topology

import (
	"fmt"
	"runtime"
)

// Leftovers lists lab objects of earlier runs. There is no lab driver on this
// OS, so there is nothing of ours to find.
func Leftovers() ([]Leftover, error) { return nil, nil }

// Cleanup removes what earlier runs left behind. Labs run on Linux and macOS
// only.
func Cleanup(all bool) ([]Leftover, error) {
	return nil, fmt.Errorf("clean-lab is not implemented on %s: netconform builds labs on linux and darwin", runtime.GOOS)
}
