package topology

import "fmt"

// feth units the darwin driver uses. A feth's name is only fethN, so a run
// cannot mark it as its own the way ObjectName marks a namespace: ownership is
// in the state file (fethstate.go). Units start high, away from the small ones
// people and xnu's own tests pick (feth0, feth1), and every lab link takes an
// even unit for the SUT side and the next odd one for the wire side.
const (
	fethFirstUnit = 4000
	// fethLastUnit is FETH_MAXUNIT = IF_MAXUNIT (0x7fff, bsd/net/if_private.h):
	// if_clone refuses higher units, though the feth MAC could hold two bytes.
	fethLastUnit = 0x7fff
	fethAttempts = 64
)

// fethPair returns the attempt'th candidate pair for process pid. Processes
// start at different places (the pid scrambled over the range), so parallel
// Ginkgo processes rarely try the same names; a name that exists is skipped.
func fethPair(pid, attempt int) (sut, wire string) {
	pairs := (fethLastUnit - fethFirstUnit) / 2
	start := int((uint64(pid) * 2654435761) % uint64(pairs))
	unit := fethFirstUnit + 2*((start+attempt)%pairs)
	return fmt.Sprintf("feth%d", unit), fmt.Sprintf("feth%d", unit+1)
}
