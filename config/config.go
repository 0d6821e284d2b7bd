// Package config reads ginkgo.yaml, netconform's run configuration: which
// suites and labels run, how, with which per-check parameters, under which SUT
// profile, and which failures are known per OS release. (Ginkgo itself reads no
// configuration file: `netconform run` turns this into Ginkgo flags and hands
// the file to the suites through NETCONFORM_CONFIG.)
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Version is the only configuration format version this code reads.
const Version = 1

// Suites lists the suite directories under suites/ that a config may name.
var Suites = []string{"ipv6", "sockets"}

// Config is ginkgo.yaml.
type Config struct {
	Version int      `yaml:"version"`
	Suites  []string `yaml:"suites"`
	Labels  string   `yaml:"labels"`
	Procs   int      `yaml:"procs"`
	// Repeat runs each selected check this many times, each in fresh labs
	// with fresh sockets: a verdict that changes between repetitions is a
	// rate ("fail 3 of 10"), not a coin flip. Default 1.
	Repeat        int                `yaml:"repeat"`
	Timeout       time.Duration      `yaml:"timeout"`
	Output        string             `yaml:"output"`
	Profile       string             `yaml:"profile"`
	Params        Params             `yaml:"params"`
	Profiles      map[string]Profile `yaml:"profiles"`
	KnownFailures []KnownFailure     `yaml:"known_failures"`

	// Path and Digest identify the file the config came from.
	Path   string `yaml:"-"`
	Digest string `yaml:"-"`
}

// Params are the per-check parameters, by suite.
type Params struct {
	IPv6    IPv6Params    `yaml:"ipv6"`
	Sockets SocketsParams `yaml:"sockets"`
}

// IPv6Params tune the RFC 8028 and RFC 6724 checks.
type IPv6Params struct {
	// Datagrams sent per source address (or per destination, rule 5.5).
	Datagrams int `yaml:"datagrams"`
	// SettleTimeout bounds the wait for the SUT to configure an address from
	// a Router Advertisement.
	SettleTimeout time.Duration `yaml:"settle_timeout"`
	// WireTimeout bounds the wait for the datagrams to cross the wire.
	WireTimeout time.Duration `yaml:"wire_timeout"`
}

// Profile configures the SUT after the lab is built and before the checks:
// shell commands run inside the SUT's network namespace with the lab's facts
// in NC_* environment variables.
type Profile struct {
	Description string   `yaml:"description"`
	Commands    []string `yaml:"commands"`
	// AllowOnDarwin must be true for a profile with commands to run on macOS,
	// where the SUT is the user's own machine, not a namespace.
	AllowOnDarwin bool `yaml:"allow_on_darwin"`
	// ProbeMemoryLimit, when set, runs the SUT-side probes (socket churn)
	// in a memory cgroup with this limit (Linux): how socket() is made to
	// fail on purpose.
	ProbeMemoryLimit ByteSize `yaml:"probe_memory_limit"`
}

// KnownFailure is a check known to fail on some releases of an OS, with the
// bug filed for it. A run whose verdicts match the known failures passes; a
// known failure that starts passing is a change and fails the run.
type KnownFailure struct {
	Check string `yaml:"check"`
	OS    string `yaml:"os"`
	// Versions are path.Match patterns on the release version ("15.6.*", "26.*").
	Versions []string `yaml:"versions"`
	// Profile, when set, limits the entry to runs under that profile.
	Profile string `yaml:"profile"`
	Reason  string `yaml:"reason"`
	// Bug is the filed report: a URL or an identifier such as FB12345678.
	Bug string `yaml:"bug"`
}

// DefaultProcs is the parallel Ginkgo processes of a file that does not say
// (the shipped ginkgo.yaml says the same): the checks whose observations stay
// in their labs wait side by side, the others run alone (catalog.Entry.Alone),
// and a run whose SUT is the machine itself uses 1 (runplan).
const DefaultProcs = 4

// Defaults fills what the file left out.
func (c *Config) defaults() {
	if len(c.Suites) == 0 {
		c.Suites = append([]string(nil), Suites...)
	}
	if c.Procs == 0 {
		c.Procs = DefaultProcs
	}
	if c.Repeat == 0 {
		c.Repeat = 1
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Minute
	}
	if c.Output == "" {
		c.Output = "out"
	}
	if c.Profile == "" {
		c.Profile = "stock"
	}
	if c.Params.IPv6.Datagrams == 0 {
		c.Params.IPv6.Datagrams = 3
	}
	if c.Params.IPv6.SettleTimeout == 0 {
		c.Params.IPv6.SettleTimeout = 5 * time.Second
	}
	if c.Params.IPv6.WireTimeout == 0 {
		c.Params.IPv6.WireTimeout = 3 * time.Second
	}
	c.Params.Sockets.defaults()
	if c.Profiles == nil {
		c.Profiles = map[string]Profile{}
	}
	if _, ok := c.Profiles["stock"]; !ok {
		c.Profiles["stock"] = Profile{Description: "the SUT as its OS configures itself"}
	}
}

// Load reads and validates a config file.
func Load(file string) (*Config, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	c.Path = file
	return c, nil
}

// Parse decodes and validates config bytes. Unknown keys are errors: a typo
// in a parameter name must not silently run with the default.
func Parse(b []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("file is empty")
		}
		return nil, err
	}
	sum := sha256.Sum256(b)
	c.Digest = "sha256:" + hex.EncodeToString(sum[:])
	if c.Version != Version {
		return nil, fmt.Errorf("version is %d, this netconform reads version %d (add `version: %d`)", c.Version, Version, Version)
	}
	c.defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks values the decoder cannot.
func (c *Config) Validate() error {
	var errs []error
	for _, s := range c.Suites {
		if !contains(Suites, s) {
			errs = append(errs, fmt.Errorf("suites: unknown suite %q (known: %s)", s, strings.Join(Suites, ", ")))
		}
	}
	if c.Procs < 1 || c.Procs > 64 {
		errs = append(errs, fmt.Errorf("procs: %d is not between 1 and 64", c.Procs))
	}
	if c.Repeat < 1 || c.Repeat > 10000 {
		errs = append(errs, fmt.Errorf("repeat: %d is not between 1 and 10000", c.Repeat))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout: %s is negative", c.Timeout))
	}
	if _, ok := c.Profiles[c.Profile]; !ok {
		errs = append(errs, fmt.Errorf("profile: %q is not defined under profiles (defined: %s)", c.Profile, strings.Join(c.ProfileNames(), ", ")))
	}
	p := c.Params.IPv6
	if p.Datagrams < 1 || p.Datagrams > 1000 {
		errs = append(errs, fmt.Errorf("params.ipv6.datagrams: %d is not between 1 and 1000", p.Datagrams))
	}
	if p.SettleTimeout <= 0 || p.WireTimeout <= 0 {
		errs = append(errs, errors.New("params.ipv6: timeouts must be positive"))
	}
	if err := c.Params.Sockets.validate(); err != nil {
		errs = append(errs, err)
	}
	for i, k := range c.KnownFailures {
		where := fmt.Sprintf("known_failures[%d]", i)
		switch {
		case k.Check == "":
			errs = append(errs, fmt.Errorf("%s: check is missing", where))
		case k.OS != "linux" && k.OS != "macos":
			errs = append(errs, fmt.Errorf("%s: os %q is not linux or macos", where, k.OS))
		case len(k.Versions) == 0:
			errs = append(errs, fmt.Errorf("%s: versions is empty (use [\"*\"] for every release)", where))
		case strings.TrimSpace(k.Reason) == "":
			errs = append(errs, fmt.Errorf("%s: reason is missing", where))
		case strings.TrimSpace(k.Bug) == "":
			errs = append(errs, fmt.Errorf("%s: bug is missing: link the filed report (URL or FB number)", where))
		}
		for _, v := range k.Versions {
			if _, err := path.Match(v, ""); err != nil {
				errs = append(errs, fmt.Errorf("%s: version pattern %q: %w", where, v, err))
			}
		}
		if k.Profile != "" {
			if _, ok := c.Profiles[k.Profile]; !ok {
				errs = append(errs, fmt.Errorf("%s: profile %q is not defined", where, k.Profile))
			}
		}
	}
	return errors.Join(errs...)
}

// ProfileNames lists the defined profiles, sorted.
func (c *Config) ProfileNames() []string {
	var names []string
	for n := range c.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Known returns the known-failure entry matching a check on a release, if any.
func (c *Config) Known(checkID, os, version, profile string) (KnownFailure, bool) {
	for _, k := range c.KnownFailures {
		if k.Check != checkID || k.OS != os || (k.Profile != "" && k.Profile != profile) {
			continue
		}
		for _, pat := range k.Versions {
			if ok, _ := path.Match(pat, version); ok {
				return k, true
			}
		}
	}
	return KnownFailure{}, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
