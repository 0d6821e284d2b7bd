package ipv6

import (
	"context"
	"os"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/topology"
)

// sourceRouting is the Linux configuration under which the SUT conforms: one
// source-specific default per advertised prefix, and no RA-learned default, so
// an unbound socket's lookup fails first and Linux picks the source before the
// route (see the source-routing profile in ginkgo.yaml, which this mirrors).
var sourceRouting = config.Profile{Commands: []string{
	`for i in $NC_SUT_IFS; do echo 0 > /proc/sys/net/ipv6/conf/$i/accept_ra_defrtr; done`,
	`echo "$NC_ROUTERS_TSV" | while IFS="$(printf '\t')" read -r name ll mac dev prefixes; do for p in $(echo "$prefixes" | tr , ' '); do ip -6 route add default via "$ll" dev "$dev" from "$p" || exit 1; done; done`,
}}

func TestChecksOnLinux(t *testing.T) {
	if err := topology.CheckPrivileges(); err != nil {
		t.Skipf("lab test skipped: %v", err)
	}
	drv, err := topology.ForThisOS()
	if err != nil {
		t.Fatal(err)
	}
	params := config.IPv6Params{Datagrams: 3, SettleTimeout: 5e9, WireTimeout: 3e9}
	checks := []struct {
		id  string
		run func(context.Context, *harness.Env, config.IPv6Params) check.Result
	}{{IDSameLink, SameLink}, {IDMultiInterface, MultiInterface}, {IDRule55, Rule55}}
	profiles := []struct {
		name    string
		profile config.Profile
		want    check.Verdict
	}{{"stock", config.Profile{}, check.Fail}, {"source-routing", sourceRouting, check.Pass}}
	for _, c := range checks {
		for _, p := range profiles {
			t.Run(c.id+"/"+p.name, func(t *testing.T) {
				env := &harness.Env{Driver: drv, RunID: topology.NewRunID(), ReleaseDir: t.TempDir(), CheckID: c.id, ProfileName: p.name, Profile: p.profile, Log: os.Stderr}
				res := c.run(context.Background(), env, params)
				t.Logf("%s: %s\n%s", res.Verdict, res.Reason, res.Observations)
				if res.Verdict != p.want {
					t.Errorf("verdict %s, want %s", res.Verdict, p.want)
				}
			})
		}
	}
}
