package cgroup

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrNoMemoryController is returned when neither hierarchy offers the
// memory controller to us.
var ErrNoMemoryController = errors.New("no memory cgroup controller available")

// hierarchy is where our memory groups go.
type hierarchy struct {
	version int
	// mount is the hierarchy's mount point; base is the directory our groups
	// are created in (below mount).
	mount, base string
}

const (
	cgroupRoot     = "/sys/fs/cgroup"
	v1MemoryMount  = "/sys/fs/cgroup/memory"
	hybridUnified  = "/sys/fs/cgroup/unified"
	procSelfCgroup = "/proc/self/cgroup"
)

// detect finds the memory hierarchy: v2 if /sys/fs/cgroup is cgroup2 (or a
// hybrid's /sys/fs/cgroup/unified offers memory), else v1 at
// /sys/fs/cgroup/memory.
func detect() (hierarchy, error) {
	self, err := os.ReadFile(procSelfCgroup)
	if err != nil {
		return hierarchy{}, err
	}
	v1Path, v2Path := selfPaths(self)
	for _, mount := range []string{cgroupRoot, hybridUnified} {
		if !isFS(mount, unix.CGROUP2_SUPER_MAGIC) || !hasController(filepath.Join(mount, "cgroup.controllers"), "memory") {
			continue
		}
		base, err := v2Base(mount, v2Path)
		if err != nil {
			return hierarchy{}, err
		}
		return hierarchy{version: 2, mount: mount, base: base}, nil
	}
	if isFS(v1MemoryMount, unix.CGROUP_SUPER_MAGIC) && v1Path != "" {
		return hierarchy{version: 1, mount: v1MemoryMount, base: filepath.Join(v1MemoryMount, v1Path)}, nil
	}
	return hierarchy{}, ErrNoMemoryController
}

// v2Base is the nearest group, from ours up to the root, whose children get
// the memory controller. A group with processes cannot enable controllers
// for its children (no internal processes), so when ours does not, the
// groups become siblings of ours under an ancestor that does. Only at the
// root (exempt from that rule) is memory enabled in subtree_control; that
// adds no limit to any existing group.
func v2Base(mount, self string) (string, error) {
	dir := filepath.Join(mount, self)
	for {
		if hasController(filepath.Join(dir, "cgroup.subtree_control"), "memory") {
			return dir, nil
		}
		if dir == mount {
			break
		}
		dir = filepath.Dir(dir)
	}
	if err := os.WriteFile(filepath.Join(mount, "cgroup.subtree_control"), []byte("+memory"), 0); err != nil {
		return "", fmt.Errorf("%w: enabling memory in %s/cgroup.subtree_control: %v", ErrNoMemoryController, mount, err)
	}
	return mount, nil
}

// selfPaths returns our memory group on v1 ("4:memory:/a") and our v2 group
// ("0::/a") from /proc/self/cgroup text.
func selfPaths(text []byte) (v1, v2 string) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), ":", 3)
		if len(f) != 3 {
			continue
		}
		if f[0] == "0" && f[1] == "" {
			v2 = f[2]
		}
		for _, c := range strings.Split(f[1], ",") {
			if c == "memory" {
				v1 = f[2]
			}
		}
	}
	return v1, v2
}

func isFS(path string, magic int64) bool {
	var st unix.Statfs_t
	return unix.Statfs(path, &st) == nil && int64(st.Type) == magic
}

func hasController(file, name string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	for _, c := range strings.Fields(string(b)) {
		if c == name {
			return true
		}
	}
	return false
}
