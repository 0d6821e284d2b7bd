package topology

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/vishvananda/netns"
)

const netnsDir = "/run/netns"

// Leftovers lists the namespaces netconform runs created that still exist.
func Leftovers() ([]Leftover, error) {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Leftover
	for _, e := range entries {
		run, pid, ok := ObjectOwner(e.Name())
		if !ok {
			continue // not ours: never touched
		}
		out = append(out, Leftover{Name: e.Name(), RunID: run, PID: pid, Alive: processAlive(pid)})
	}
	return out, nil
}

// processAlive reports whether pid runs. A zombie does not: a killed run
// whose parent never reaps it (PID 1 in many containers) holds nothing.
func processAlive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// pid (comm) state ...: comm may contain spaces and parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return true // unreadable: assume alive, never remove a live run's lab
	}
	state := s[i+2]
	return state != 'Z' && state != 'X'
}

// Cleanup removes what earlier runs left behind: namespaces whose owner is
// dead, or, with all, every netconform namespace except this process's own.
// Processes still inside a removed namespace (a profile command that escaped)
// are killed first, since they would keep it alive.
func Cleanup(all bool) ([]Leftover, error) {
	if err := CheckPrivileges(); err != nil {
		return nil, err
	}
	found, err := Leftovers()
	if err != nil {
		return nil, err
	}
	var removed []Leftover
	var errs []error
	for _, l := range found {
		if l.PID == os.Getpid() || (l.Alive && !all) {
			continue
		}
		killProcessesIn(filepath.Join(netnsDir, l.Name))
		if err := netns.DeleteNamed(l.Name); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", l.Name, err))
			continue
		}
		removed = append(removed, l)
	}
	return removed, errors.Join(errs...)
}

// killProcessesIn kills every process whose network namespace is the one
// bind-mounted at path.
func killProcessesIn(path string) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return
	}
	want := fmt.Sprintf("net:[%d]", st.Ino)
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		link, err := os.Readlink(filepath.Join("/proc", p.Name(), "ns", "net"))
		if err == nil && strings.TrimSpace(link) == want {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}
