package evidence

import (
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
)

func checkResult(id string) check.Result {
	r := check.Result{ID: id, Verdict: check.Fail, Reason: "fixture"}
	// The TCP checks' results always name their view (they came after
	// results did); the tests build theirs by id.
	switch {
	case id == "sockets.mapped-sendto.matrix":
		r.View = observation.ViewMappedMatrix
	case id == rstCheckID:
		r.View = observation.ViewTCPRST
	case isTCPCheck(id):
		r.View = observation.ViewTCPChurn
	}
	return r
}
