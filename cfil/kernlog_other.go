//go:build !darwin

package cfil

import (
	"context"
	"runtime"
	"time"

	"github.com/netconform/netconform/macos"
)

// cfilLogEvents: a macOS kernel log can only be read on macOS; a darwin State
// seen here (from a fixture or another machine) is attributed without it.
func cfilLogEvents(context.Context, time.Time, time.Time) ([]macos.LogEvent, []string) {
	return nil, []string{"the macOS kernel log cannot be read on " + runtime.GOOS + ": CFIL lines not collected"}
}
