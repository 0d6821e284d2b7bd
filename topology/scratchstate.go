package topology

import (
	"fmt"
	"time"
)

// ScratchState lets a process that builds no lab (`netconform doctor`, which
// probes feth on a scratch pair) record the feth interfaces and sysctls it
// changes in the same state file a lab uses, with the same rules: a name is
// recorded as pending before `ifconfig create` runs, and an old sysctl value
// before the new one is written. Cleanup (`netconform clean-lab`, or the
// next run) then undoes whatever a crashed doctor left, as for a lab.
type ScratchState struct{ f *stateFile }

// NewScratchState records into dir's state file for (runID, pid). Two
// recorders of one (runID, pid) would overwrite each other's file: inside
// one process use ThisScratchState (darwin), which shares the labs' file.
func NewScratchState(dir, runID string, pid int, boot string) (*ScratchState, error) {
	if !ValidRunID(runID) {
		return nil, fmt.Errorf("run id %q is not 8 hex digits", runID)
	}
	return &ScratchState{f: newStateFile(dir, runID, pid, boot, time.Now())}, nil
}

// Pending records names about to be created.
func (s *ScratchState) Pending(names ...string) error { return s.f.setInterfaces(ifPending, names...) }

// Created records names that exist.
func (s *ScratchState) Created(names ...string) error { return s.f.setInterfaces(ifCreated, names...) }

// Forget drops names that are destroyed or were never created.
func (s *ScratchState) Forget(names ...string) error { return s.f.forgetInterfaces(names...) }

// RecordSysctl keeps name's value to restore (the first one recorded).
func (s *ScratchState) RecordSysctl(name, old string) error { return s.f.recordSysctl(name, old) }

// ForgetSysctl drops name once its old value is back.
func (s *ScratchState) ForgetSysctl(name string) error { return s.f.forgetSysctl(name) }
