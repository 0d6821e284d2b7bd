package evidence

import "github.com/netconform/netconform/check"

func checkResult(id string) check.Result {
	return check.Result{ID: id, Verdict: check.Fail, Reason: "fixture"}
}
