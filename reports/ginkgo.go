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

// FromGinkgo extracts the check results from Ginkgo reports. A spec that
// recorded a result gives it; a spec that died before recording one (a
// panic, a timeout, an interrupt) becomes an error verdict with Ginkgo's
// failure message, so a harness crash is never lost nor counted as a verdict
// on the stack. Specs that did not run (filtered out, or cut by an interrupt)
// give nothing. interrupted reports whether Ginkgo was stopped early.
func FromGinkgo(rs []types.Report) (results []check.Result, interrupted bool) {
	for _, r := range rs {
		if r.SpecialSuiteFailureReasons != nil {
			for _, why := range r.SpecialSuiteFailureReasons {
				if why == "Interrupted by User" || why == "Suite Timeout Elapsed" {
					interrupted = true
				}
			}
		}
		for _, s := range r.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt {
				continue
			}
			if res, ok := recorded(s); ok {
				results = append(results, res)
				continue
			}
			switch s.State {
			case types.SpecStateSkipped, types.SpecStatePending:
				continue
			case types.SpecStatePassed:
				// A spec that passes without recording is a suite bug: say so.
				results = append(results, check.Result{ID: s.LeafNodeText, Labels: s.Labels(), Verdict: check.Error,
					Reason: "the spec passed without recording a result (suite bug)", Duration: check.Duration(s.RunTime)})
			default:
				if s.State == types.SpecStateInterrupted {
					interrupted = true
				}
				results = append(results, check.Result{ID: s.LeafNodeText, Labels: s.Labels(), Verdict: check.Error,
					Reason: fmt.Sprintf("the check did not finish (%s): %s", s.State, s.FailureMessage()), Duration: check.Duration(s.RunTime)})
			}
		}
	}
	return results, interrupted
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
