// Package runplan resolves what one run does, once: the configuration file,
// the command-line overrides, the SUT profile, the output directory, the
// repetitions and the checks selected. `netconform run` resolves the plan and
// hands it to every suite it starts (one environment variable); a suite run
// by hand resolves the same plan from ginkgo.yaml with no overrides. Nothing
// else resolves settings.
package runplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/topology"
)

// EnvPlan is the environment variable through which `netconform run` hands
// the resolved plan (JSON) to the suites.
const EnvPlan = "NETCONFORM_PLAN"

// Overrides are what the command line may set over the configuration file;
// zero values leave the file's setting.
type Overrides struct {
	Profile string
	Out     string
	Labels  string
	Check   string
	Procs   int
	Repeat  int
}

// Plan is a resolved run.
type Plan struct {
	// ConfigPath is the configuration file, absolute.
	ConfigPath string   `json:"config"`
	Profile    string   `json:"profile"`
	Labels     string   `json:"labels,omitempty"`
	Check      string   `json:"check,omitempty"`
	Procs      int      `json:"procs"`
	Repeat     int      `json:"repeat"`
	Suites     []string `json:"suites"`
	// Out is the output directory (absolute); ReleaseDir is Out/<release id>
	// once Locate has identified the release.
	Out        string `json:"out"`
	ReleaseDir string `json:"release_dir,omitempty"`
	RunID      string `json:"run_id"`
	// Probe is a prebuilt netconform-probe (absolute), or "" to build one.
	Probe string `json:"probe,omitempty"`
	// Selected are the ids of the checks the run selects, sorted.
	Selected []string `json:"selected"`
	// Notes are what the resolution changed of what was asked, for the
	// run to print.
	Notes []string `json:"notes,omitempty"`

	cfg *config.Config
}

// Resolve reads the configuration file and applies the overrides. The
// selection comes from the checks registered in this binary (catalog):
// `netconform` links them all.
func Resolve(configFile string, o Overrides) (*Plan, error) {
	abs, err := filepath.Abs(configFile)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(abs)
	if err != nil {
		return nil, err
	}
	p := &Plan{ConfigPath: abs, cfg: cfg, Profile: cfg.Profile, Labels: cfg.Labels, Check: o.Check,
		Procs: cfg.Procs, Repeat: cfg.Repeat, Suites: cfg.Suites, Out: cfg.Output, RunID: topology.NewRunID()}
	if o.Profile != "" {
		p.Profile = o.Profile
	}
	if _, ok := cfg.Profiles[p.Profile]; !ok {
		return nil, fmt.Errorf("profile %q is not defined in %s (defined: %s)", p.Profile, configFile, strings.Join(cfg.ProfileNames(), ", "))
	}
	if o.Labels != "" {
		p.Labels = o.Labels
	}
	if o.Procs > 0 {
		p.Procs = o.Procs
	}
	if d, err := topology.ForThisOS(); err == nil {
		var note string
		if p.Procs, note = procsFor(p.Procs, topology.SUTIsHost(d)); note != "" {
			p.Notes = append(p.Notes, note)
		}
	}
	if o.Repeat < 0 {
		return nil, fmt.Errorf("--repeat %d: the number of repetitions must be at least 1", o.Repeat)
	}
	if o.Repeat > 0 {
		p.Repeat = o.Repeat
	}
	// Relative paths in the file are relative to the file; on the command
	// line, to the working directory.
	if o.Out != "" {
		p.Out = o.Out
	} else if !filepath.IsAbs(p.Out) {
		p.Out = filepath.Join(filepath.Dir(abs), p.Out)
	}
	if p.Out, err = filepath.Abs(p.Out); err != nil {
		return nil, err
	}
	if probe := cfg.Params.Sockets.Probe; probe != "" {
		if !filepath.IsAbs(probe) {
			probe = filepath.Join(filepath.Dir(abs), probe)
		}
		p.Probe = probe
	}
	sel, err := catalog.Select(p.Selection())
	if err != nil {
		return nil, err
	}
	for _, e := range sel {
		p.Selected = append(p.Selected, e.ID)
	}
	return p, nil
}

// procsFor is the number of parallel processes a run gets when procs are
// asked: one when the SUT is the machine itself (macOS), whose routes,
// interfaces, content filter and socket counts every lab shares, so that
// checks side by side would judge each other's traffic; as asked otherwise
// (each lab is namespaces of its own, and the checks that judge what the
// namespaces share run alone: catalog.Entry.Alone).
func procsFor(procs int, sutIsHost bool) (int, string) {
	if procs > 1 && sutIsHost {
		return 1, fmt.Sprintf("procs %d asked, 1 used: %s", procs, topology.HostSharedByLabs)
	}
	return procs, ""
}

// Selection is the plan's selection of checks.
func (p *Plan) Selection() catalog.Selection {
	return catalog.Selection{Suites: p.Suites, Labels: p.Labels, Check: p.Check}
}

// Config is the configuration the plan was resolved from.
func (p *Plan) Config() *config.Config { return p.cfg }

// ProfileConfig is the plan's SUT profile.
func (p *Plan) ProfileConfig() config.Profile { return p.cfg.Profiles[p.Profile] }

// Locate identifies this OS release and sets ReleaseDir.
func (p *Plan) Locate() (reports.Release, error) {
	rel, err := reports.ThisRelease()
	if err != nil {
		return rel, fmt.Errorf("identify this OS release: %w", err)
	}
	p.ReleaseDir = filepath.Join(p.Out, rel.ID)
	return rel, nil
}

// ResultsDir is where the suites record each check's result the moment it
// is known, so that a suite that dies later loses none of them. It is the
// run's own (named with its id): a concurrent run on the same release
// cannot mix its results in.
func (p *Plan) ResultsDir() string { return filepath.Join(p.ReleaseDir, ".checks-"+p.RunID) }

// Environ is the environment entry that hands the plan to a suite.
func (p *Plan) Environ() (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	return EnvPlan + "=" + string(b), nil
}

// FromEnv is the plan a suite runs under: the one `netconform run` handed
// it, or, when a suite is run by hand (`go tool ginkgo ./suites/ipv6`), the
// one ginkgo.yaml gives with no overrides (found in the working directory or
// above).
func FromEnv() (*Plan, error) {
	if s := os.Getenv(EnvPlan); s != "" {
		var p Plan
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			return nil, fmt.Errorf("%s: %w", EnvPlan, err)
		}
		cfg, err := config.Load(p.ConfigPath)
		if err != nil {
			return nil, err
		}
		p.cfg = cfg
		return &p, nil
	}
	file, err := findUp("ginkgo.yaml")
	if err != nil {
		return nil, err
	}
	p, err := Resolve(file, Overrides{})
	if err != nil {
		return nil, err
	}
	if _, err := p.Locate(); err != nil {
		return nil, err
	}
	return p, nil
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
			return "", errors.New("no " + name + " here or above, and " + EnvPlan + " is not set")
		}
		dir = parent
	}
}
