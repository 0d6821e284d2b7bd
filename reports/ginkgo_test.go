package reports

import (
	"encoding/json"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/netconform/netconform/check"
)

func spec(text string, state types.SpecState, entry *check.Result) types.SpecReport {
	s := types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: text, State: state}
	if entry != nil {
		b, _ := json.Marshal(entry)
		s.ReportEntries = types.ReportEntries{{Name: EntryName, Value: types.ReportEntryValue{AsJSON: string(b)}}}
	}
	if state.Is(types.SpecStateFailureStates) {
		s.Failure = types.Failure{Message: "boom"}
	}
	return s
}

// TestUnfinished: a spec that recorded its result (whatever its state) or
// never ran gives nothing; one that ran and recorded nothing (a panic, a
// timeout, a silent pass) is an error with Ginkgo's words.
func TestUnfinished(t *testing.T) {
	rs := []types.Report{{SpecReports: types.SpecReports{
		spec("recorded-fail", types.SpecStateFailed, &check.Result{ID: "recorded-fail", Verdict: check.Fail, Reason: "stack"}),
		spec("recorded-skip", types.SpecStateSkipped, &check.Result{ID: "recorded-skip", Verdict: check.Skip, Reason: "no root"}),
		spec("panicked", types.SpecStatePanicked, nil),
		spec("timed-out", types.SpecStateTimedout, nil),
		spec("filtered-out", types.SpecStateSkipped, nil),
		spec("passed-silently", types.SpecStatePassed, nil),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}}
	got, interrupted := Unfinished(rs)
	want := map[string]check.Verdict{"panicked": check.Error, "timed-out": check.Error, "passed-silently": check.Error}
	if len(got) != len(want) || interrupted {
		t.Fatalf("got %d results (interrupted %v): %+v", len(got), interrupted, got)
	}
	for id, r := range got {
		if want[id] != r.Verdict || r.ID != id {
			t.Errorf("%s: %s %s, want %s (%s)", id, r.ID, r.Verdict, want[id], r.Reason)
		}
	}
	_, interrupted = Unfinished([]types.Report{{SpecialSuiteFailureReasons: []string{"Interrupted by User"}}})
	if !interrupted {
		t.Error("an interrupted suite is not reported as interrupted")
	}
}
