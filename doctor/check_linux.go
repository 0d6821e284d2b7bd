package doctor

import (
	"context"
	"os"
)

func osSequence(ctx context.Context, runID string, tc toolchain) (sequence, error) {
	return linuxSequence(ctx, runID, os.Getpid(), &realLinuxOps{}, tc), nil
}
