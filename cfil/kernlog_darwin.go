package cfil

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/netconform/netconform/macos"
)

// cfilLogEvents runs `log show` for the window: the kernel's CFIL lines.
func cfilLogEvents(ctx context.Context, since, until time.Time) ([]macos.LogEvent, []string) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "log", cfilLogArgs(since, until)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 2 * time.Second
	var problems []string
	if err := cmd.Run(); err != nil {
		problems = append(problems, fmt.Sprintf("log show: %v: %s", err, firstLine(stderr.String())))
	}
	events, _, err := macos.ParseLogNDJSON(&stdout)
	if err != nil {
		problems = append(problems, fmt.Sprintf("log show output: %v", err))
	}
	return events, problems
}
