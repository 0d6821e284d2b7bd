package topology

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
)

// Every kernel object a run creates carries the run id and the pid of the
// process that owns it, so that a later run or `netconform clean-lab` can tell
// a live run's objects from a crashed one's without any state file.
const NamePrefix = "nc-"

// NewRunID returns a fresh 8-hex-digit run id.
func NewRunID() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // cannot happen on supported kernels
	}
	return hex.EncodeToString(b[:])
}

var runIDPattern = regexp.MustCompile(`^[0-9a-f]{8}$`)

// ValidRunID reports whether id has the shape NewRunID produces.
func ValidRunID(id string) bool { return runIDPattern.MatchString(id) }

// ObjectName names one object of a lab: nc-<run>-<pid>-<seq>-<role>.
func ObjectName(runID string, pid, seq int, role string) string {
	return fmt.Sprintf("%s%s-%d-%d-%s", NamePrefix, runID, pid, seq, role)
}

var objectPattern = regexp.MustCompile(`^nc-([0-9a-f]{8})-([0-9]+)-([0-9]+)-([a-z0-9]+)$`)

// ObjectOwner parses a name made by ObjectName.
func ObjectOwner(name string) (runID string, pid int, ok bool) {
	m := objectPattern.FindStringSubmatch(name)
	if m == nil {
		return "", 0, false
	}
	pid, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, false
	}
	return m[1], pid, true
}

// Leftover is a lab object (a namespace on Linux, an interface on macOS)
// found by Cleanup.
type Leftover struct {
	Name  string
	RunID string
	PID   int
	Alive bool // the owning process still runs
}
