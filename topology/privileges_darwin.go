package topology

import (
	"errors"
	"os"
)

// ErrNotPrivileged is returned when the process cannot build labs.
var ErrNotPrivileged = errors.New("building a lab needs root (creating feth interfaces, opening /dev/bpf, the IPv6 ioctls and PF_ROUTE writes): run it with sudo")

// CheckPrivileges reports whether this process may build labs. On macOS the
// operations the driver uses check the effective uid (proc_suser in xnu).
func CheckPrivileges() error {
	if os.Geteuid() != 0 {
		return ErrNotPrivileged
	}
	return nil
}
