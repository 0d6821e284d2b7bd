package topology

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrNotPrivileged is returned when the process cannot build labs.
var ErrNotPrivileged = errors.New("building a lab needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN): run it with sudo")

const (
	capNetAdmin = 12
	capSysAdmin = 21
)

// CheckPrivileges reports whether this process may create namespaces, links
// and mounts. It reads the effective capability set rather than the uid, so a
// capable non-root user works and a root without capabilities (some containers)
// gets the clear error.
func CheckPrivileges() error {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return fmt.Errorf("read capabilities: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "CapEff:")
		if !ok {
			continue
		}
		caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		if err != nil {
			return fmt.Errorf("parse CapEff %q: %w", v, err)
		}
		if caps&(1<<capNetAdmin) == 0 || caps&(1<<capSysAdmin) == 0 {
			return ErrNotPrivileged
		}
		return nil
	}
	return fmt.Errorf("no CapEff line in /proc/self/status")
}
