package topology

import "fmt"

// ThisScratchState records into this process's state file for runID in
// StateDir, the one its labs of that run use too, so a doctor run inside a
// process that also builds labs cannot overwrite their records.
func ThisScratchState(runID string) (*ScratchState, error) {
	if !ValidRunID(runID) {
		return nil, fmt.Errorf("run id %q is not 8 hex digits", runID)
	}
	return &ScratchState{f: thisFethEnv().stateFor(runID)}, nil
}
