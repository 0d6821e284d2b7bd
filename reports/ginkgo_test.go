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

func TestFromGinkgo(t *testing.T) {
	rs := []types.Report{{SpecReports: types.SpecReports{
		spec("recorded-fail", types.SpecStateFailed, &check.Result{ID: "recorded-fail", Verdict: check.Fail, Reason: "stack"}),
		spec("recorded-skip", types.SpecStateSkipped, &check.Result{ID: "recorded-skip", Verdict: check.Skip, Reason: "no root"}),
		spec("panicked", types.SpecStatePanicked, nil),
		spec("timed-out", types.SpecStateTimedout, nil),
		spec("filtered-out", types.SpecStateSkipped, nil),
		spec("passed-silently", types.SpecStatePassed, nil),
		{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
	}}}
	got, interrupted := FromGinkgo(rs)
	want := map[string]check.Verdict{"recorded-fail": check.Fail, "recorded-skip": check.Skip, "panicked": check.Error,
		"timed-out": check.Error, "passed-silently": check.Error}
	if len(got) != len(want) || interrupted {
		t.Fatalf("got %d results (interrupted %v): %+v", len(got), interrupted, got)
	}
	for _, r := range got {
		if want[r.ID] != r.Verdict {
			t.Errorf("%s: %s, want %s (%s)", r.ID, r.Verdict, want[r.ID], r.Reason)
		}
	}
	_, interrupted = FromGinkgo([]types.Report{{SpecialSuiteFailureReasons: []string{"Interrupted by User"}}})
	if !interrupted {
		t.Error("an interrupted suite is not reported as interrupted")
	}
}
