//go:build !linux && !darwin

package doctor

import (
	"context"
	"fmt"
	"runtime"
)

// Labs exist on linux and darwin only: nothing here could be probed.
func osSequence(context.Context, string, toolchain) (sequence, error) {
	return sequence{}, fmt.Errorf("netconform builds labs on linux and darwin only, not %s", runtime.GOOS)
}
