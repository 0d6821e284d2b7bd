// The ipv6 suite: first-hop router selection on a multihomed SUT (RFC 8028,
// RFC 6724 rule 5.5). Its checks are those registered with suite "ipv6"
// (ipv6/register.go). Run it through `make conformance`; by hand,
// `sudo go tool ginkgo ./suites/ipv6` uses ../../ginkgo.yaml.
package ipv6_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	_ "github.com/netconform/netconform/ipv6"
	"github.com/netconform/netconform/suites/suiterun"
)

func TestIPv6(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "netconform ipv6")
}

var _ = BeforeSuite(func() {
	_, err := suiterun.Load()
	Expect(err).NotTo(HaveOccurred(), "netconform run plan")
	DeferCleanup(suiterun.CleanupResults)
})

var _ = Describe("first-hop router selection", func() {
	suiterun.Declare("ipv6")
})
