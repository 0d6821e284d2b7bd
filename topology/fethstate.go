package topology

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/netconform/netconform/macos"
)

// On macOS the lab's interfaces live in the host's one network stack and a
// feth name cannot carry the run id and pid the way a Linux namespace name
// does. So every process that builds labs keeps a state file listing the feth
// interfaces it is about to create or has created, and the sysctls it changed
// with their old values. A later run or `netconform clean-lab` reads these
// files, and for owners that are dead destroys what is listed and restores
// the sysctls. This file holds the format and the decisions; it has no build
// tag so that it is tested on Linux.

// StateDir is where the darwin driver keeps its state files.
const StateDir = "/var/run/netconform"

const stateVersion = 1

// Interface states in a state file. An interface is recorded as pending
// BEFORE `ifconfig fethN create` runs, so a crash between creating it and
// writing the file cannot leave an interface nobody knows of.
const (
	ifPending = "pending"
	ifCreated = "created"
)

// runState is one process's state file.
type runState struct {
	Version int       `json:"version"`
	RunID   string    `json:"run_id"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	// Boot is the boot session the interfaces were made in: after a reboot
	// they are gone and their names may belong to someone else.
	Boot       string        `json:"boot,omitempty"`
	Interfaces []stateIf     `json:"interfaces"`
	Sysctls    []stateSysctl `json:"sysctls,omitempty"`
	path       string        // where it was read from
}

type stateIf struct {
	Name  string `json:"name"`
	State string `json:"state"` // ifPending or ifCreated
}

// stateSysctl is a sysctl the run changed, with the value to put back.
type stateSysctl struct {
	Name string `json:"name"`
	Old  string `json:"old"`
}

var stateFilePattern = regexp.MustCompile(`^([0-9a-f]{8})-([0-9]+)\.json$`)

// stateFileName is <runid>-<pid>.json.
func stateFileName(runID string, pid int) string { return fmt.Sprintf("%s-%d.json", runID, pid) }

// parseState reads and checks one state file's content. name is the file's
// base name, whose run id and pid must agree with the content: a file that
// does not is not ours to act on.
func parseState(name string, b []byte) (runState, error) {
	m := stateFilePattern.FindStringSubmatch(name)
	if m == nil {
		return runState{}, fmt.Errorf("%s is not a netconform state file name", name)
	}
	var s runState
	if err := json.Unmarshal(b, &s); err != nil {
		return runState{}, fmt.Errorf("state file %s: %w", name, err)
	}
	if s.Version != stateVersion {
		return runState{}, fmt.Errorf("state file %s: version %d, this netconform reads %d", name, s.Version, stateVersion)
	}
	if pid, _ := strconv.Atoi(m[2]); s.RunID != m[1] || s.PID != pid {
		return runState{}, fmt.Errorf("state file %s names run %s pid %d", name, s.RunID, s.PID)
	}
	for _, i := range s.Interfaces {
		if _, err := macos.FethUnit(i.Name); err != nil {
			return runState{}, fmt.Errorf("state file %s: %w", name, err)
		}
	}
	return s, nil
}

// readStates reads every state file in dir. Files that do not parse are
// reported and otherwise left alone: clean-up never acts on what it cannot
// read.
func readStates(dir string) ([]runState, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []runState
	var errs []error
	for _, e := range entries {
		if !stateFilePattern.MatchString(e.Name()) {
			continue // temporary files of a write in progress, anything else
		}
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s, err := parseState(e.Name(), b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.path = p
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, errors.Join(errs...)
}

// stateLeftovers lists what the state files record, one Leftover per
// interface (pending ones too: they may exist) and one per changed sysctl
// (named "sysctl <name>"), with whether the owner still runs.
func stateLeftovers(states []runState, alive func(pid int) bool) []Leftover {
	var out []Leftover
	for _, s := range states {
		up := alive(s.PID)
		for _, i := range s.Interfaces {
			out = append(out, Leftover{Name: i.Name, RunID: s.RunID, PID: s.PID, Alive: up})
		}
		for _, c := range s.Sysctls {
			out = append(out, Leftover{Name: "sysctl " + c.Name, RunID: s.RunID, PID: s.PID, Alive: up})
		}
	}
	return out
}

// cleanupTargets picks the state files clean-up acts on: those whose owner is
// dead, or with all every one but this process's own (which its labs' Close
// handles).
func cleanupTargets(states []runState, all bool, self int, alive func(pid int) bool) []runState {
	var out []runState
	for _, s := range states {
		if s.PID == self || (!all && alive(s.PID)) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// stateFile is this process's state file, shared by all its labs.
type stateFile struct {
	mu    sync.Mutex
	dir   string
	state runState
}

func newStateFile(dir, runID string, pid int, boot string, now time.Time) *stateFile {
	return &stateFile{dir: dir, state: runState{Version: stateVersion, RunID: runID, PID: pid, Boot: boot, Started: now.UTC()}}
}

func (f *stateFile) path() string {
	return filepath.Join(f.dir, stateFileName(f.state.RunID, f.state.PID))
}

// setInterfaces records names with state st, adding those not yet listed.
func (f *stateFile) setInterfaces(st string, names ...string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range names {
		i := slices.IndexFunc(f.state.Interfaces, func(s stateIf) bool { return s.Name == n })
		if i < 0 {
			f.state.Interfaces = append(f.state.Interfaces, stateIf{Name: n, State: st})
		} else {
			f.state.Interfaces[i].State = st
		}
	}
	return f.writeLocked()
}

// forgetInterfaces drops names: they are destroyed, or were never created.
func (f *stateFile) forgetInterfaces(names ...string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state.Interfaces = slices.DeleteFunc(f.state.Interfaces, func(s stateIf) bool { return slices.Contains(names, s.Name) })
	return f.writeLocked()
}

// recordSysctl keeps the first old value of name: a second change by the
// same run must not make its own value the one to restore.
func (f *stateFile) recordSysctl(name, old string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.ContainsFunc(f.state.Sysctls, func(s stateSysctl) bool { return s.Name == name }) {
		f.state.Sysctls = append(f.state.Sysctls, stateSysctl{Name: name, Old: old})
	}
	return f.writeLocked()
}

func (f *stateFile) forgetSysctl(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state.Sysctls = slices.DeleteFunc(f.state.Sysctls, func(s stateSysctl) bool { return s.Name == name })
	return f.writeLocked()
}

func (f *stateFile) snapshot() runState {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state
	s.Interfaces = slices.Clone(s.Interfaces)
	s.Sysctls = slices.Clone(s.Sysctls)
	return s
}

// writeLocked replaces the file atomically (write a temporary file, fsync,
// rename), or removes it once nothing is recorded.
func (f *stateFile) writeLocked() error {
	p := f.path()
	if len(f.state.Interfaces) == 0 && len(f.state.Sysctls) == 0 {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove state file: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	b, err := json.MarshalIndent(f.state, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.dir, ".state-*")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	_, werr := tmp.Write(append(b, '\n'))
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write state file: %w", err)
	}
	return nil
}
