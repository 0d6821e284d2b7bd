// The sockets suite: first-datagram delivery through IPv4-mapped addresses
// (and its AF_INET controls), the same through a user-space content filter,
// and socket()+close() churn. Run it through `make conformance`; by hand,
// `sudo go tool ginkgo ./suites/sockets` uses ../../ginkgo.yaml.
package sockets_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/sockets/churncheck"
	"github.com/netconform/netconform/sockets/mapped"
	"github.com/netconform/netconform/suites/suiterun"
)

func TestSockets(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "netconform sockets")
}

var (
	settings *suiterun.Settings
	// probe is the netconform-probe binary every churn check runs.
	probe string
	// probeDir holds a probe this run built (process 1 removes it).
	probeDir string
)

// The probe is built once, on process 1, and its path handed to every
// parallel process: building it per check would cost seconds each.
var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	s, err := suiterun.Load()
	Expect(err).NotTo(HaveOccurred(), "netconform settings")
	if p := s.Config.Params.Sockets.Probe; p != "" {
		// A relative path is relative to the config file, like output.
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(s.Config.Path), p)
		}
		return []byte(p)
	}
	probeDir, err = os.MkdirTemp("", "netconform-probe-")
	Expect(err).NotTo(HaveOccurred())
	path, err := churncheck.BuildProbe(ctx, probeDir)
	Expect(err).NotTo(HaveOccurred(), "the churn checks need the probe")
	return []byte(path)
}, func(path []byte) {
	var err error
	settings, err = suiterun.Load()
	Expect(err).NotTo(HaveOccurred(), "netconform settings")
	probe = string(path)
})

// Every process removes the memory cgroups of this run it may have left
// (a probe interrupted mid-run); process 1 then removes the probe it built.
var _ = SynchronizedAfterSuite(func() {
	if settings != nil {
		Expect(churncheck.CleanupRun(settings.RunID)).To(Succeed(), "remove this run's memory cgroups")
	}
}, func() {
	if probeDir != "" {
		os.RemoveAll(probeDir)
	}
})

func current() *suiterun.Settings { return settings }

func firstDatagramParams() mapped.Params {
	p := settings.Config.Params.Sockets
	return mapped.Params{Sockets: p.FreshSockets, Timeout: p.ReceiveTimeout}
}

var _ = Describe("first datagram through IPv4-mapped addresses", func() {
	for _, c := range mapped.Cases {
		suiterun.Check(current, c.ID, []string{"sockets", "mapped-sendto"}, func(ctx context.Context, env *harness.Env) check.Result {
			return mapped.Run(ctx, env, c, firstDatagramParams())
		})
	}
})

var _ = Describe("first datagram through a user-space content filter", func() {
	suiterun.Check(current, mapped.IDUserspaceFilter, []string{"sockets", "cfil"}, func(ctx context.Context, env *harness.Env) check.Result {
		return mapped.UserspaceFilter(ctx, env, firstDatagramParams())
	})
})

var _ = Describe("socket churn", func() {
	for _, k := range churncheck.Kinds {
		suiterun.Check(current, k.ID(), []string{"sockets", "churn"}, func(ctx context.Context, env *harness.Env) check.Result {
			p := settings.Config.Params.Sockets
			return churncheck.Run(ctx, env, k, churncheck.Params{Probe: probe, Count: p.ChurnCount, Timeout: p.ChurnTimeout,
				MemoryLimit: int64(env.Profile.ProbeMemoryLimit)})
		})
	}
})
