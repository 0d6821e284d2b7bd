package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// CleanupRun kills the processes in, and removes, every group of run runID
// (netconform-<runID>-*) left anywhere in the memory hierarchy. It returns
// the paths removed.
func CleanupRun(runID string) ([]string, error) {
	if !idPattern.MatchString(runID) {
		return nil, fmt.Errorf("cgroup run id %q: want letters, digits, '_' or '.'", runID)
	}
	return cleanup(Prefix+runID+"-", true)
}

// CleanupStale removes every group whose name starts with prefix (which must
// start with "netconform-"; "netconform-" alone means all runs) and that has
// no live process: the leftovers of runs that ended without Remove. Groups
// still in use are left alone. It returns the paths removed.
func CleanupStale(prefix string) ([]string, error) {
	if !strings.HasPrefix(prefix, Prefix) {
		return nil, fmt.Errorf("cleanup prefix %q must start with %q", prefix, Prefix)
	}
	return cleanup(prefix, false)
}

func cleanup(prefix string, kill bool) ([]string, error) {
	h, err := detect()
	if err != nil {
		return nil, err
	}
	groups, err := findGroups(h.mount, prefix)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, dir := range groups {
		if !kill {
			if pids, err := readProcs(dir); err != nil || len(pids) > 0 {
				continue
			}
		}
		if err := removeGroup(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, dir)
	}
	return removed, errors.Join(errs...)
}

// findGroups walks the hierarchy for directories named prefix*. Ours never
// nest, so the walk does not descend into a match.
func findGroups(mount, prefix string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(mount, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == mount {
				return err
			}
			return nil // a group removed under our feet
		}
		if !d.IsDir() {
			return nil
		}
		if path != mount && strings.HasPrefix(d.Name(), prefix) {
			found = append(found, path)
			return fs.SkipDir
		}
		return nil
	})
	return found, err
}
