// The sockets suite: first-datagram delivery through IPv4-mapped addresses
// (and its AF_INET controls), the same through a user-space content filter,
// and socket()+close() churn. Its checks are those registered with suite
// "sockets" (sockets/mapped/register.go, sockets/churncheck/register.go).
// Run it through `make conformance`; by hand, `sudo go tool ginkgo
// ./suites/sockets` uses ../../ginkgo.yaml.
package sockets_test

import (
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netconform/netconform/sockets/churncheck"
	_ "github.com/netconform/netconform/sockets/mapped"
	"github.com/netconform/netconform/suites/suiterun"
)

func TestSockets(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "netconform sockets")
}

var (
	runID string
	// probeDir holds a probe this run built (process 1 removes it).
	probeDir string
)

// The probe is built once, on process 1, and its path handed to every
// parallel process: building it per check would cost seconds each.
var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	p, err := suiterun.Load()
	Expect(err).NotTo(HaveOccurred(), "netconform run plan")
	if p.Probe != "" {
		return []byte(p.Probe)
	}
	probeDir, err = os.MkdirTemp("", "netconform-probe-")
	Expect(err).NotTo(HaveOccurred())
	path, err := churncheck.BuildProbe(ctx, probeDir)
	Expect(err).NotTo(HaveOccurred(), "the churn checks need the probe")
	return []byte(path)
}, func(path []byte) {
	p, err := suiterun.Load()
	Expect(err).NotTo(HaveOccurred(), "netconform run plan")
	suiterun.SetProbe(string(path))
	runID = p.RunID
	DeferCleanup(suiterun.CleanupResults)
})

// Every process removes the memory cgroups of this run it may have left
// (a probe interrupted mid-run); process 1 then removes the probe it built.
var _ = SynchronizedAfterSuite(func() {
	if runID != "" {
		Expect(churncheck.CleanupRun(runID)).To(Succeed(), "remove this run's memory cgroups")
	}
}, func() {
	if probeDir != "" {
		os.RemoveAll(probeDir)
	}
})

var _ = Describe("sockets", func() {
	suiterun.Declare("sockets")
})
