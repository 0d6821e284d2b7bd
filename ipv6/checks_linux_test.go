package ipv6

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/topology"
)

// TestChecksOnLinux is the self-validation of each check at package level:
// stock Linux must fail every check, the source-routing profile must pass it.
func TestChecksOnLinux(t *testing.T) {
	if err := topology.CheckPrivileges(); err != nil {
		t.Skipf("lab test skipped: %v", err)
	}
	drv, err := topology.ForThisOS()
	if err != nil {
		t.Fatal(err)
	}
	// The profiles are the shipped ones: this test is what proves that
	// ginkgo.yaml's source-routing profile makes a Linux SUT conform.
	cfg, err := config.Load("../ginkgo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	params := cfg.Params.IPv6
	checks := []struct {
		id  string
		run func(context.Context, *harness.Env, config.IPv6Params) check.Result
	}{{IDSameLink, SameLink}, {IDMultiInterface, MultiInterface}, {IDRule55, Rule55}}
	profiles := []struct {
		name    string
		profile config.Profile
		want    check.Verdict
	}{{"stock", cfg.Profiles["stock"], check.Fail}, {"source-routing", cfg.Profiles["source-routing"], check.Pass}}
	for _, c := range checks {
		for _, p := range profiles {
			t.Run(c.id+"/"+p.name, func(t *testing.T) {
				env := &harness.Env{Driver: drv, RunID: topology.NewRunID(), ReleaseDir: t.TempDir(), CheckID: c.id, ProfileName: p.name, Profile: p.profile, Log: testWriter{t}}
				res := c.run(context.Background(), env, params)
				t.Logf("%s: %s\n%s", res.Verdict, res.Reason, res.Observations)
				if res.Verdict != p.want {
					t.Errorf("verdict %s, want %s", res.Verdict, p.want)
				}
			})
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}
