// Package suiterun is what every Ginkgo suite shares: it reads the run plan
// `netconform run` resolved (or resolves it from ginkgo.yaml when a suite is
// run by hand), declares one spec per registered check of the suite, runs
// each check as many times as the plan says, and records every result the
// moment it is known, so netconform can account for every selected check
// even when the suite dies later.
package suiterun

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/runplan"
	"github.com/netconform/netconform/topology"
)

// EntryName is the report entry holding a check's result.
const EntryName = reports.EntryName

var (
	plan *runplan.Plan
	// needs is the doctor's report of the run (what this machine lacks);
	// hasNeeds is false for a suite run by hand, whose checks then decide
	// for themselves.
	needs    doctor.Report
	hasNeeds bool
)

// Load reads the run plan and the doctor's report; call it in the suite's
// BeforeSuite (every parallel process).
func Load() (*runplan.Plan, error) {
	p, err := runplan.FromEnv()
	if err != nil {
		return nil, err
	}
	if needs, hasNeeds, err = doctor.FromEnv(); err != nil {
		return nil, err
	}
	// netconform run never starts parallel processes where the SUT is the
	// machine itself (runplan); a suite run by hand with --procs could.
	if sc, _ := GinkgoConfiguration(); sc.ParallelTotal > 1 {
		if d, err := topology.ForThisOS(); err == nil && topology.SUTIsHost(d) {
			return nil, fmt.Errorf("%d parallel processes: %s: run with --procs 1", sc.ParallelTotal, topology.HostSharedByLabs)
		}
	}
	plan = p
	return p, nil
}

// SetProbe sets the netconform-probe the checks of this process use.
func SetProbe(path string) { plan.Probe = path }

// Declare declares one spec per check the suite runs, in registration
// order. The spec's text is the check id, so a spec that dies before
// recording its result is still attributed; its labels are the check's.
func Declare(suite string) {
	for _, e := range catalog.Suite(suite) {
		declare(e)
	}
}

func declare(e catalog.Entry) {
	args := []any{Label(e.Labels...), types.CodeLocation{FileName: e.File, LineNumber: e.Line}}
	if e.Alone {
		// With parallel processes Ginkgo runs Serial specs last, on process
		// 1, when every other spec has finished: nothing runs beside them.
		args = append(args, Serial)
	}
	args = append(args, func(ctx SpecContext) {
		reps := plan.Repeat
		if reps < 1 {
			reps = 1
		}
		var verdicts []check.Verdict
		var last check.Result
		for i := 1; i <= reps; i++ {
			rep := i
			if reps == 1 {
				rep = 0
			}
			last = runOnce(ctx, e, rep)
			Record(last, rep)
			verdicts = append(verdicts, last.Verdict)
			if ctx.Err() != nil {
				break
			}
		}
		// The spec's own state, for JUnit readers: any fail or error fails
		// it; it is skipped only when every repetition skipped.
		switch v := worst(verdicts); v {
		case check.Pass:
		case check.Skip:
			Skip(last.Reason)
		default:
			Fail(fmt.Sprintf("%s: %s", v, last.Reason))
		}
	})
	It(e.ID, args...)
}

func worst(vs []check.Verdict) check.Verdict {
	rank := map[check.Verdict]int{check.Skip: 0, check.Pass: 1, check.Error: 2, check.Fail: 3}
	w := check.Skip
	for _, v := range vs {
		if rank[v] > rank[w] {
			w = v
		}
	}
	return w
}

// runOnce runs the check once (repetition rep; 0 when the run does not
// repeat), in fresh labs.
func runOnce(ctx context.Context, e catalog.Entry, rep int) check.Result {
	var res check.Result
	if reason, missing := missingNeed(e); missing {
		res = check.Result{Verdict: check.Skip, Reason: reason}
	} else if err := topology.CheckPrivileges(); err != nil {
		res = check.Result{Verdict: check.Skip, Reason: err.Error()}
	} else if drv, err := topology.ForThisOS(); err != nil {
		res = check.Result{Verdict: check.Skip, Reason: err.Error()}
	} else {
		env := &harness.Env{Driver: drv, RunID: plan.RunID, ReleaseDir: plan.ReleaseDir, CheckID: e.ID,
			ProfileName: plan.Profile, Profile: plan.ProfileConfig(), Params: plan.Config().Params,
			Probe: plan.Probe, Repetition: rep, Log: GinkgoWriter}
		start := time.Now()
		res = e.Run(ctx, env)
		// Measured here, once, for every check: lab building included.
		res.Duration = check.Duration(time.Since(start))
	}
	// What the check is comes from its descriptor, whatever the check code
	// wrote.
	res.ID, res.Title, res.Spec, res.Labels, res.View = e.ID, e.Title, e.Spec, e.Labels, e.View
	return res
}

// missingNeed says whether the doctor found missing something the check
// needs: a lab on this OS, and the check's own needs.
func missingNeed(e catalog.Entry) (string, bool) {
	if !hasNeeds {
		return "", false
	}
	return needs.Missing(append(doctor.LabNeeds(), e.Needs...)...)
}

// Record keeps a result: in the spec's report and, at once, in the run's
// results directory (where netconform collects it even if the suite dies
// before Ginkgo writes its report).
func Record(res check.Result, rep int) {
	b, err := json.Marshal(res)
	if err != nil {
		Fail(fmt.Sprintf("cannot record result of %s: %v", res.ID, err))
	}
	AddReportEntry(EntryName, json.RawMessage(b), ReportEntryVisibilityNever)
	if err := reports.WriteCheckResult(plan.ResultsDir(), res.ID, rep, b); err != nil {
		Fail(fmt.Sprintf("cannot record result of %s: %v", res.ID, err))
	}
}

// CleanupResults removes recorded results a suite run by hand leaves (a run
// by netconform removes them itself once collected).
func CleanupResults() {
	if os.Getenv(runplan.EnvPlan) == "" && plan != nil {
		os.RemoveAll(filepath.Clean(plan.ResultsDir()))
	}
}
