package main

import (
	"fmt"
	"sort"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/runplan"
)

// accounting is every selected check's result, and what did not fit.
type accounting struct {
	checks []reports.CheckResult
	// ran counts the selected checks that ran (at least one repetition).
	ran int
	// strays are results of checks the run did not select: the suites and
	// the registry disagree, which makes the run untrustworthy.
	strays []string
}

// account gives every selected check one result: the aggregate of the
// repetitions it recorded; what Ginkgo saw of a repetition that died before
// recording; and, for repetitions that never ran, an error saying why (the
// suite did not compile, died, timed out or was interrupted). A check none
// of whose repetitions ran is marked NotRun.
func account(plan *runplan.Plan, cfg *config.Config, rel reports.Release, recorded map[string][]check.Result,
	died map[string]check.Result, outs []suiteOutcome) accounting {
	why := map[string]string{}
	for _, o := range outs {
		why[o.name] = o.why
	}
	var a accounting
	selected := map[string]bool{}
	for _, id := range plan.Selected {
		selected[id] = true
		reps := recorded[id]
		if len(reps) < plan.Repeat {
			if d, ok := died[id]; ok {
				reps = append(reps, d)
			}
		}
		notRun := len(reps) == 0
		if missing := plan.Repeat - len(reps); missing > 0 {
			m := missingRepetition(id, missing, plan.Repeat, why)
			for range missing {
				reps = append(reps, m)
			}
		}
		res, tally := reports.Aggregate(reps)
		res.ID = id
		if e, ok := catalog.Lookup(id); ok {
			res.Title, res.Spec, res.Labels, res.View = e.Title, e.Spec, e.Labels, e.View
		}
		c := reports.ExpectOne(res, cfg, rel, plan.Profile)
		c.Repetitions = &tally
		c.Flaky = tally.Pass > 0 && tally.Fail > 0
		c.NotRun = notRun
		if !notRun {
			a.ran++
		}
		a.checks = append(a.checks, c)
	}
	for id := range recorded {
		if !selected[id] {
			a.strays = append(a.strays, id)
		}
	}
	sort.Strings(a.strays)
	sort.Slice(a.checks, func(i, j int) bool { return a.checks[i].ID < a.checks[j].ID })
	return a
}

// missingRepetition is the error standing for repetitions of a check that
// have no result, with the reason its suite gave.
func missingRepetition(id string, missing, repeat int, why map[string]string) check.Result {
	reason := "no result was recorded"
	if e, ok := catalog.Lookup(id); ok {
		switch w, seen := why[e.Suite]; {
		case !seen:
			reason = "its suite (" + e.Suite + ") was not run"
		case w == "":
			reason = "its suite (" + e.Suite + ") ran to its end without a spec for this check: the suite and the check registry disagree (a suite bug)"
		default:
			reason = w
		}
	}
	if missing < repeat {
		reason = fmt.Sprintf("%d of %d repetitions did not run: %s", missing, repeat, reason)
	} else {
		reason = "did not run: " + reason
	}
	return check.Result{ID: id, Verdict: check.Error, Reason: reason}
}
