package doctor

import "context"

func osSequence(ctx context.Context, runID string, tc toolchain) (sequence, error) {
	return darwinSequence(ctx, runID, realDarwinOps{}, tc, realDarwinTiming), nil
}
