// The ipv6 suite: first-hop router selection on a multihomed SUT (RFC 8028,
// RFC 6724 rule 5.5). Run it through `make conformance`; by hand,
// `sudo go tool ginkgo ./suites/ipv6` uses ../../ginkgo.yaml.
package ipv6_test

import (
	"context"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/ipv6"
	"github.com/netconform/netconform/suites/suiterun"
)

func TestIPv6(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "netconform ipv6")
}

var settings *suiterun.Settings

var _ = BeforeSuite(func() {
	var err error
	settings, err = suiterun.Load()
	Expect(err).NotTo(HaveOccurred(), "netconform settings")
})

func current() *suiterun.Settings { return settings }

var _ = Describe("first-hop router selection", func() {
	labels := []string{"ipv6", "rfc8028"}
	suiterun.Check(current, ipv6.IDSameLink, labels, func(ctx context.Context, env *harness.Env) check.Result {
		return ipv6.SameLink(ctx, env, settings.Config.Params.IPv6)
	})
	suiterun.Check(current, ipv6.IDMultiInterface, labels, func(ctx context.Context, env *harness.Env) check.Result {
		return ipv6.MultiInterface(ctx, env, settings.Config.Params.IPv6)
	})
	suiterun.Check(current, ipv6.IDRule55, append(labels, "rfc6724"), func(ctx context.Context, env *harness.Env) check.Result {
		return ipv6.Rule55(ctx, env, settings.Config.Params.IPv6)
	})
})
