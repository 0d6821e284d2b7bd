package selfvalidation

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/sockets/churncheck"
	"github.com/netconform/netconform/topology"
)

// TestProofs runs every registered check under each of its proofs, on this
// machine's kernel, and asserts the verdict (and the reason, where the
// proof names it).
func TestProofs(t *testing.T) {
	// Checked here, not left to labtest.Env, so that the skip names the
	// self-validation, once.
	if err := topology.CheckPrivileges(); err != nil {
		t.Skipf("self-validation needs root: %v", err)
	}
	cfg := labtest.Config(t)
	probeDir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	probe, err := churncheck.BuildProbe(ctx, probeDir)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range catalog.All() {
		for _, p := range e.Proofs {
			t.Run(e.ID+"/"+p.Name, func(t *testing.T) {
				env := proofEnv(t, cfg, e, p, probe)
				res := e.Run(context.Background(), env)
				t.Logf("%s: %s", res.Verdict, res.Reason)
				if res.Verdict != p.Want {
					t.Fatalf("verdict %s, want %s: %s", res.Verdict, p.Want, res.Reason)
				}
				if p.Reason != "" && !regexp.MustCompile(p.Reason).MatchString(res.Reason) {
					t.Errorf("reason does not match %q: %s", p.Reason, res.Reason)
				}
			})
		}
	}
}

func proofEnv(t *testing.T, cfg *config.Config, e catalog.Entry, p catalog.Proof, probe string) *harness.Env {
	t.Helper()
	name, profile := "stock", p.Profile
	if p.ProfileName != "" {
		name, profile = p.ProfileName, cfg.Profiles[p.ProfileName]
	} else if p.Name != "stock" {
		name = "proof-" + p.Name
	}
	params := cfg.Params
	if p.Params != nil {
		p.Params(&params)
	}
	env := labtest.Env(t, e.ID)
	env.ProfileName, env.Profile, env.Params, env.Probe, env.Setup = name, profile, params, probe, p.Fault
	t.Cleanup(func() {
		if err := churncheck.CleanupRun(env.RunID); err != nil {
			t.Errorf("cgroup clean-up: %v", err)
		}
	})
	return env
}
