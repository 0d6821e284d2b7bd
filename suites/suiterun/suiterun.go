// Package suiterun is what every Ginkgo suite shares: it reads the run's
// settings from the environment `netconform run` sets (or from defaults when
// a suite is run by hand), and turns a check function into a spec that
// records the check's result as a report entry for netconform to collect.
package suiterun

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/topology"
)

// Environment variables set by `netconform run` for the suites.
const (
	EnvConfig     = "NETCONFORM_CONFIG"
	EnvProfile    = "NETCONFORM_PROFILE"
	EnvRunID      = "NETCONFORM_RUN_ID"
	EnvReleaseDir = "NETCONFORM_RELEASE_DIR"
)

// EntryName is the report entry holding a check's result.
const EntryName = reports.EntryName

// Settings are the run's settings as a suite sees them.
type Settings struct {
	Config      *config.Config
	ProfileName string
	Profile     config.Profile
	RunID       string
	ReleaseDir  string
}

// Load reads the settings. Without NETCONFORM_CONFIG it looks for ginkgo.yaml
// in the working directory and its parents, so `ginkgo ./suites/ipv6` works by
// hand from anywhere in the checkout.
func Load() (*Settings, error) {
	path := os.Getenv(EnvConfig)
	if path == "" {
		p, err := findUp("ginkgo.yaml")
		if err != nil {
			return nil, err
		}
		path = p
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	s := &Settings{Config: cfg, ProfileName: cfg.Profile, RunID: os.Getenv(EnvRunID), ReleaseDir: os.Getenv(EnvReleaseDir)}
	if p := os.Getenv(EnvProfile); p != "" {
		s.ProfileName = p
	}
	prof, ok := cfg.Profiles[s.ProfileName]
	if !ok {
		return nil, fmt.Errorf("profile %q is not defined in %s", s.ProfileName, path)
	}
	s.Profile = prof
	if s.RunID == "" {
		s.RunID = topology.NewRunID()
	}
	if s.ReleaseDir == "" {
		rel, err := reports.ThisRelease()
		if err != nil {
			return nil, err
		}
		out := cfg.Output
		if !filepath.IsAbs(out) {
			out = filepath.Join(filepath.Dir(path), out)
		}
		s.ReleaseDir = filepath.Join(out, rel.ID)
	}
	return s, nil
}

func findUp(name string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no %s here or above, and %s is not set", name, EnvConfig)
		}
		dir = parent
	}
}

// Func is a check: it gets its environment and returns its result.
type Func func(ctx context.Context, env *harness.Env) check.Result

// Check declares a spec for one check. The spec's text is the check id, so a
// spec that dies before recording its result is still attributed. A fail or
// error verdict fails the spec (JUnit readers see it); a skip skips it.
func Check(settings func() *Settings, id string, labels []string, fn Func) {
	It(id, Label(labels...), func(ctx SpecContext) {
		s := settings()
		var res check.Result
		if err := topology.CheckPrivileges(); err != nil {
			res = check.Result{ID: id, Verdict: check.Skip, Reason: err.Error()}
		} else {
			drv, err := topology.ForThisOS()
			if err != nil {
				res = check.Result{ID: id, Verdict: check.Skip, Reason: err.Error()}
			} else {
				env := &harness.Env{Driver: drv, RunID: s.RunID, ReleaseDir: s.ReleaseDir, CheckID: id,
					ProfileName: s.ProfileName, Profile: s.Profile, Log: GinkgoWriter}
				start := time.Now()
				res = fn(ctx, env)
				// Measured here, once, for every check: lab building included.
				res.Duration = check.Duration(time.Since(start))
			}
		}
		res.ID, res.Labels = id, labels
		Record(res)
		switch res.Verdict {
		case check.Pass:
		case check.Skip:
			Skip(res.Reason)
		default:
			Fail(fmt.Sprintf("%s: %s", res.Verdict, res.Reason))
		}
	})
}

// Record attaches a result to the current spec's report.
func Record(res check.Result) {
	b, err := json.Marshal(res)
	if err != nil {
		Fail(fmt.Sprintf("cannot record result of %s: %v", res.ID, err))
	}
	AddReportEntry(EntryName, json.RawMessage(b), ReportEntryVisibilityNever)
}
