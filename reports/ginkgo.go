package reports

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/netconform/netconform/check"
)

// EntryName is the Ginkgo report entry in which a suite records a check's
// result (see suites/suiterun).
const EntryName = "netconform-check"

// ReadGinkgo loads Ginkgo's --json-report file.
func ReadGinkgo(file string) ([]types.Report, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var rs []types.Report
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return rs, nil
}

// Unfinished returns, by check id, an error result for every spec that ran
// but did not finish recording (a panic, a spec timeout, an interrupt), with
// Ginkgo's failure message: what netconform knows of a check whose own
// record is missing. interrupted reports whether Ginkgo was stopped early.
func Unfinished(rs []types.Report) (died map[string]check.Result, interrupted bool) {
	died = map[string]check.Result{}
	interrupted = eachSpec(rs, func(s types.SpecReport) {
		if res, ok := unrecorded(s); ok {
			died[res.ID] = res
		}
	})
	return died, interrupted
}

// eachSpec calls fn for every It spec and reports whether Ginkgo was
// stopped early (an interrupt or the suite timeout).
func eachSpec(rs []types.Report, fn func(types.SpecReport)) (interrupted bool) {
	for _, r := range rs {
		for _, why := range r.SpecialSuiteFailureReasons {
			if why == "Interrupted by User" || why == "Suite Timeout Elapsed" {
				interrupted = true
			}
		}
		for _, s := range r.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt {
				continue
			}
			if s.State == types.SpecStateInterrupted {
				interrupted = true
			}
			fn(s)
		}
	}
	return interrupted
}

// unrecorded is the error result of a spec that ran and recorded nothing;
// false for a spec that recorded, or never ran (filtered out, cut by an
// interrupt before it started).
func unrecorded(s types.SpecReport) (check.Result, bool) {
	if _, ok := recorded(s); ok {
		return check.Result{}, false
	}
	switch s.State {
	case types.SpecStateSkipped, types.SpecStatePending:
		return check.Result{}, false
	case types.SpecStatePassed:
		// A spec that passes without recording is a suite bug: say so.
		return check.Result{ID: s.LeafNodeText, Labels: s.Labels(), Verdict: check.Error,
			Reason: "the spec passed without recording a result (suite bug)", Duration: check.Duration(s.RunTime)}, true
	}
	return check.Result{ID: s.LeafNodeText, Labels: s.Labels(), Verdict: check.Error,
		Reason: fmt.Sprintf("the check did not finish (%s): %s", s.State, s.FailureMessage()), Duration: check.Duration(s.RunTime)}, true
}

func recorded(s types.SpecReport) (check.Result, bool) {
	for _, e := range s.ReportEntries {
		if e.Name != EntryName {
			continue
		}
		var res check.Result
		if err := json.Unmarshal([]byte(e.Value.AsJSON), &res); err != nil {
			return check.Result{ID: s.LeafNodeText, Verdict: check.Error, Reason: "unreadable result entry: " + err.Error()}, true
		}
		// A spec killed after recording (e.g. a timeout in clean-up) keeps
		// its verdict; its result is still what the check saw.
		return res, true
	}
	return check.Result{}, false
}
