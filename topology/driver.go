package topology

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os/exec"
	"runtime"
	"sync/atomic"

	"github.com/netconform/netconform/observation"
)

// Driver realises lab declarations on one OS.
type Driver interface {
	// Realize builds the lab. On error nothing it created is left behind.
	Realize(ctx context.Context, lab Lab, opts Options) (Instance, error)
}

// Options are per-realisation settings.
type Options struct {
	// RunID names every object (see ObjectName). Required.
	RunID string
	// CaptureFile, when set, receives a pcapng of every frame on every link.
	CaptureFile string
	// Log, when set, receives a line for each kernel answer the driver had
	// to work around while building the lab (darwin: a feth name still
	// detaching, IPv6 attached by someone else).
	Log io.Writer
}

// Instance is a realised lab.
type Instance interface {
	Lab() *Lab
	SUT() SUT
	// Port is the raw endpoint on the far side of a link, where the emulated
	// peers of that link send and receive.
	Port(link string) *Port
	// Close stops the ports, flushes the capture and removes every object.
	Close() error
}

// SUT is the system under test as the checks see it.
type SUT interface {
	// Do runs fn with the network context of the SUT (Linux: on a locked OS
	// thread inside the SUT namespace, which is discarded afterwards). Sockets
	// created inside fn belong to the SUT's stack for their whole life.
	Do(fn func() error) error
	// Start starts cmd in the SUT's network context.
	Start(cmd *exec.Cmd) error
	// Shell runs a POSIX shell script in the SUT's network context and returns
	// its combined output.
	Shell(ctx context.Context, script string, env []string) ([]byte, error)
	// Interface is the SUT's interface name on a link.
	Interface(link string) string
	Addresses(link string) ([]Address, error)
	// Routes lists the SUT's IPv6 routes, source-specific ones with their Src.
	Routes() ([]RouteEntry, error)
	// RouteGet asks the SUT which route it would use from src (may be invalid:
	// unspecified) to dst: the routing table's opinion, to set beside the wire's.
	RouteGet(dst, src netip.Addr) (RouteEntry, error)
	Neighbors() ([]Neighbor, error)
}

// Address is an address on a SUT interface.
type Address struct {
	Prefix     netip.Prefix `json:"prefix"`
	Tentative  bool         `json:"tentative,omitempty"`
	Deprecated bool         `json:"deprecated,omitempty"`
	Autoconf   bool         `json:"autoconf,omitempty"`
	// ValidLft and PreferredLft are the lifetimes the kernel has left for
	// the address, in seconds (ForeverLft: infinite), as it holds them now
	// (RFC 4862 §5.5.3: what it made of the lifetimes advertised); nil when
	// the driver cannot read them.
	ValidLft     *uint32 `json:"valid_lft,omitempty"`
	PreferredLft *uint32 `json:"preferred_lft,omitempty"`
}

// ForeverLft is an infinite address lifetime (RFC 4861 §4.6.2: all ones).
const ForeverLft = ^uint32(0)

// lft returns a pointer to v, for Address lifetimes.
func lft(v uint32) *uint32 { return &v }

// RouteEntry is a route as the SUT's table reports it. It is
// observation.Route: the checks record it as the routing table's opinion.
type RouteEntry = observation.Route

// Neighbor is a neighbour-cache entry.
type Neighbor struct {
	Addr      netip.Addr `json:"addr"`
	MAC       string     `json:"mac,omitempty"`
	Interface string     `json:"interface"`
	State     string     `json:"state"`
	Router    bool       `json:"router,omitempty"`
}

var labSeq atomic.Int64

// nextSeq numbers labs within one process so names never collide.
func nextSeq() int { return int(labSeq.Add(1)) }

// ForThisOS returns the driver for the running OS.
func ForThisOS() (Driver, error) {
	if newOSDriver == nil {
		return nil, fmt.Errorf("no lab driver for %s: netconform runs labs on linux and darwin", runtime.GOOS)
	}
	return newOSDriver()
}

// SUTIsHost reports whether d's SUT is the machine netconform runs on (the
// darwin driver: the Mac itself) rather than a namespace of its own: a
// profile's commands would then change the user's own machine.
func SUTIsHost(d Driver) bool {
	h, ok := d.(interface{ sutIsHost() bool })
	return ok && h.sutIsHost()
}

// HostSharedByLabs says why checks cannot run side by side where SUTIsHost:
// a run (runplan) and a suite run by hand (suiterun) both say it.
const HostSharedByLabs = "the SUT is this machine, whose network every lab shares, so no two checks may run side by side"

// newOSDriver is set by the per-OS driver file.
var newOSDriver func() (Driver, error)
