package all_test

import (
	"testing"

	"github.com/netconform/netconform/catalog"
	_ "github.com/netconform/netconform/catalog/all"
	"github.com/netconform/netconform/observation"
)

// TestMachineWideChecksRunAlone: the checks that judge what every namespace
// shares (socket and control-block counts, memory) or count events within a
// fixed time run alone when processes run in parallel; the first-datagram,
// cfil and ipv6 checks, whose observations stay in their labs, do not, so
// their waits can overlap.
func TestMachineWideChecksRunAlone(t *testing.T) {
	alone := map[string]bool{observation.ViewChurn: true, observation.ViewTCPChurn: true, observation.ViewTCPRST: true}
	for _, e := range catalog.All() {
		if e.Alone != alone[e.View] {
			t.Errorf("%s (view %s): Alone = %v, want %v", e.ID, e.View, e.Alone, alone[e.View])
		}
	}
}
