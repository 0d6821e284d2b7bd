package selfvalidation

import (
	"testing"

	"github.com/netconform/netconform/catalog"
	_ "github.com/netconform/netconform/catalog/all"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
)

// TestEveryCheckHasProofs: a registered check without a configuration it
// must pass and one it must fail has no self-validation, and a check that
// cannot fail proves nothing. Runs without root.
func TestEveryCheckHasProofs(t *testing.T) {
	cfg, err := config.Load("../ginkgo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range catalog.All() {
		var pass, fail int
		names := map[string]bool{}
		for _, p := range e.Proofs {
			switch p.Want {
			case check.Pass:
				pass++
			case check.Fail:
				fail++
			default:
				t.Errorf("%s: proof %q wants %q: a proof wants pass or fail", e.ID, p.Name, p.Want)
			}
			if p.Name == "" || names[p.Name] {
				t.Errorf("%s: proof name %q is empty or given twice", e.ID, p.Name)
			}
			names[p.Name] = true
			if _, ok := cfg.Profiles[p.ProfileName]; p.ProfileName != "" && !ok {
				t.Errorf("%s: proof %q uses profile %q, which ginkgo.yaml does not define", e.ID, p.Name, p.ProfileName)
			}
		}
		if pass == 0 || fail == 0 {
			t.Errorf("%s: %d configurations it must pass and %d it must fail: it needs at least one of each", e.ID, pass, fail)
		}
	}
}
