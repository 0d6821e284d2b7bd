//go:build !linux && !darwin

package topology

import (
	"errors"
	"os"
)

// ErrNotPrivileged is returned when the process cannot build labs.
var ErrNotPrivileged = errors.New("building a lab needs root (creating interfaces and opening /dev/bpf): run it with sudo")

// CheckPrivileges reports whether this process may build labs.
func CheckPrivileges() error {
	if os.Geteuid() != 0 {
		return ErrNotPrivileged
	}
	return nil
}
