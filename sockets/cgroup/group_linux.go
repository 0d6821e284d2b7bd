package cgroup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Prefix starts the name of every group this package creates.
const Prefix = "netconform-"

// Options configure a group.
type Options struct {
	// MemoryLimit in bytes: memory.limit_in_bytes (v1) or memory.max (v2).
	// On v1 the probe is moved in after it started and charges do not move
	// with it, so the limit covers what it allocates from then on; on v2 it
	// starts in the group and the limit covers its whole life.
	MemoryLimit int64
	// DisableOOMKiller switches the group's OOM killer off (v1
	// memory.oom_control) so an allocation that hits the limit fails instead:
	// socket() then returns an errno. v2 has no such switch: the group gets
	// memory.oom.group=1 and Group.OOMKillerDisabled stays false.
	DisableOOMKiller bool
}

// Group is one memory cgroup of ours.
type Group struct {
	// Name is netconform-<runid>-<name>; Path its directory.
	Name, Path string
	// Version is 1 or 2.
	Version int
	// OOMKillerDisabled reports whether DisableOOMKiller took effect.
	OOMKillerDisabled bool
	// Note says what the kernel did not allow (v2: no OOM-killer switch).
	Note string

	limit    int64
	dirFD    int // v2: the directory, for SysProcAttr.CgroupFD
	baseline int64
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// New creates netconform-<runID>-<name> with the options' limit. runID must
// not contain '-' so a run's groups are told apart by prefix.
func New(runID, name string, opt Options) (*Group, error) {
	if !idPattern.MatchString(runID) {
		return nil, fmt.Errorf("cgroup run id %q: want letters, digits, '_' or '.'", runID)
	}
	if !namePattern.MatchString(name) {
		return nil, fmt.Errorf("cgroup name %q: want letters, digits, '_', '.' or '-'", name)
	}
	if opt.MemoryLimit <= 0 {
		return nil, fmt.Errorf("cgroup %s: memory limit %d: want a positive number of bytes", name, opt.MemoryLimit)
	}
	h, err := detect()
	if err != nil {
		return nil, err
	}
	g := &Group{Name: Prefix + runID + "-" + name, Version: h.version, limit: opt.MemoryLimit, dirFD: -1}
	g.Path = filepath.Join(h.base, g.Name)
	if err := os.Mkdir(g.Path, 0o755); err != nil {
		return nil, fmt.Errorf("creating cgroup: %w", err)
	}
	if err := g.configure(opt); err != nil {
		os.Remove(g.Path)
		return nil, err
	}
	return g, nil
}

func (g *Group) configure(opt Options) error {
	limit := strconv.FormatInt(opt.MemoryLimit, 10)
	if g.Version == 1 {
		if err := g.write("memory.limit_in_bytes", limit); err != nil {
			return err
		}
		// With swap accounting, swap must not be a way around the limit.
		if g.exists("memory.memsw.limit_in_bytes") {
			if err := g.write("memory.memsw.limit_in_bytes", limit); err != nil {
				return err
			}
		}
		if opt.DisableOOMKiller {
			if err := g.write("memory.oom_control", "1"); err != nil {
				return err
			}
			g.OOMKillerDisabled = true
		}
		return nil
	}
	if err := g.write("memory.max", limit); err != nil {
		return err
	}
	if g.exists("memory.swap.max") {
		if err := g.write("memory.swap.max", "0"); err != nil {
			return err
		}
	}
	// Kill the whole group together: a kill then ends the measurement
	// cleanly rather than leaving a half-killed probe.
	if g.exists("memory.oom.group") {
		if err := g.write("memory.oom.group", "1"); err != nil {
			return err
		}
	}
	if opt.DisableOOMKiller {
		g.Note = "cgroup v2 has no switch to disable the OOM killer (memory.oom.group=1 set instead)"
	}
	fd, err := unix.Open(g.Path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("opening cgroup %s: %w", g.Path, err)
	}
	g.dirFD = fd
	return nil
}

// AddProcess moves pid (all its threads) into the group.
func (g *Group) AddProcess(pid int) error {
	return g.write("cgroup.procs", strconv.Itoa(pid))
}

// Procs lists the processes in the group.
func (g *Group) Procs() ([]int, error) { return readProcs(g.Path) }

// Usage is the group's current memory use in bytes.
func (g *Group) Usage() (int64, error) {
	if g.Version == 1 {
		return g.readInt("memory.usage_in_bytes")
	}
	return g.readInt("memory.current")
}

// Stats is what the group saw.
type Stats struct {
	Limit, Usage, MaxUsage int64
	// Failcnt: v1 memory.failcnt, v2 memory.events "max" (times the limit
	// was hit). OOMKills: v1 memory.oom_control oom_kill, v2 memory.events
	// oom_kill. UnderOOM: v1 only, a task is waiting for memory right now.
	Failcnt, OOMKills int64
	UnderOOM          bool
}

// Stats reads the group's counters.
func (g *Group) Stats() (Stats, error) {
	var s Stats
	var errs []error
	get := func(file string, into *int64) {
		v, err := g.readInt(file)
		*into = v
		errs = append(errs, err)
	}
	if g.Version == 1 {
		get("memory.limit_in_bytes", &s.Limit)
		get("memory.usage_in_bytes", &s.Usage)
		get("memory.max_usage_in_bytes", &s.MaxUsage)
		get("memory.failcnt", &s.Failcnt)
		kv, err := g.readKV("memory.oom_control")
		errs = append(errs, err)
		s.OOMKills, s.UnderOOM = kv["oom_kill"], kv["under_oom"] == 1
		return s, errors.Join(errs...)
	}
	s.Limit = g.limit
	get("memory.current", &s.Usage)
	if g.exists("memory.peak") {
		get("memory.peak", &s.MaxUsage)
	}
	kv, err := g.readKV("memory.events")
	errs = append(errs, err)
	s.Failcnt, s.OOMKills = kv["max"], kv["oom_kill"]
	return s, errors.Join(errs...)
}

func (g *Group) write(file, value string) error {
	if err := os.WriteFile(filepath.Join(g.Path, file), []byte(value), 0); err != nil {
		return fmt.Errorf("cgroup %s: writing %q to %s: %w", g.Name, value, file, err)
	}
	return nil
}

func (g *Group) exists(file string) bool {
	_, err := os.Stat(filepath.Join(g.Path, file))
	return err == nil
}

func (g *Group) readInt(file string) (int64, error) {
	b, err := os.ReadFile(filepath.Join(g.Path, file))
	if err != nil {
		return 0, err
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return -1, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// readKV reads "key value" lines (memory.oom_control, memory.events).
func (g *Group) readKV(file string) (map[string]int64, error) {
	b, err := os.ReadFile(filepath.Join(g.Path, file))
	if err != nil {
		return nil, err
	}
	return parseKV(string(b)), nil
}

func parseKV(text string) map[string]int64 {
	kv := map[string]int64{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		if v, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			kv[f[0]] = v
		}
	}
	return kv
}

func readProcs(dir string) ([]int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
