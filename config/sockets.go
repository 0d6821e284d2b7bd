package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// SocketsParams tune the sockets suite: the first-datagram checks
// (sockets.mapped-sendto.*, sockets.inet4-sendto.*, cfil.userspace-filter.*)
// and the socket-churn checks (sockets.churn.*).
type SocketsParams struct {
	// FreshSockets is K: every first-datagram case runs on this many new
	// sockets, so an intermittent loss shows as a rate ("1st datagram lost
	// 7/10") rather than a coin-flip verdict.
	FreshSockets int `yaml:"fresh_sockets"`
	// ReceiveTimeout is how long one datagram may take to arrive (at the
	// socket itself, or on the wire at the peer) before it counts as lost.
	// One that arrives later, before the check ends, is reported as late.
	ReceiveTimeout time.Duration `yaml:"receive_timeout"`
	// ChurnCount is the number of socket()+close() cycles per churn check
	// (the seed's program does 250,000).
	ChurnCount int `yaml:"churn_count"`
	// ChurnTimeout bounds one churn run: a probe that never finishes (one
	// waiting forever for memory) is stopped and the check gives error.
	ChurnTimeout time.Duration `yaml:"churn_timeout"`
	// Probe is the path of a prebuilt netconform-probe binary; empty means
	// the suite builds cmd/netconform-probe from this checkout once per run.
	Probe string `yaml:"probe"`

	// TCPChurnCount is the number of connections per TCP churn check
	// (sockets.churn.connect*, .close-connecting*, .abort*).
	TCPChurnCount int `yaml:"tcp_churn_count"`
	// TCPChurnDrain is the longest wait, after the last close, for the
	// kernel's TCP control-block count to come back to where it started.
	// It ends as soon as the count is back. xnu frees closed PCBs from a
	// garbage-collection timer that runs about 1 s after close, with up to
	// 10 s of leeway when lazy (bsd/netinet/in_pcb.c, inpcb_gc_sched and
	// _inpcb_sched_timeout), hence the default of 15 s.
	TCPChurnDrain time.Duration `yaml:"tcp_churn_drain"`
	// TCPChurnSlack is how many control blocks above the start count are
	// still not a leak. On Linux the count is the SUT namespace's own, so 0
	// is exact. On macOS it covers the whole machine, and other processes
	// that keep new connections open throughout the drain raise it.
	TCPChurnSlack int `yaml:"tcp_churn_slack"`
	// RSTConnections is N for sockets.tcp.abortive-close-rst: each path
	// (loopback and lab link, per family) carries this many abortive closes.
	RSTConnections int `yaml:"rst_connections"`
	// RSTWait is how long the peers may take to see the RSTs, counted once
	// for all the connections of a path, not per connection.
	RSTWait time.Duration `yaml:"rst_wait"`
	// LeakingPCBsPerGiB: a machine whose TCP control-block count is above
	// this many per GiB of memory before a churn check starts is named as
	// already leaking in the check's reason. bun's CI reboots a macOS 26
	// machine whose net.inet.tcp.pcbcount stays above 5,000 per GiB.
	LeakingPCBsPerGiB int `yaml:"leaking_pcbs_per_gib"`
	// MappedMatrix is which IPv4-mapped sendto matrix
	// sockets.mapped-sendto.matrix runs: "default" (every bind row and
	// every call once, to the socket's own address, plus the seed's row to
	// the peer and to mapped loopback: 54 cases) or "full" (every
	// destination in every cell, and the IPV6_V6ONLY rows: 168 cases).
	MappedMatrix string `yaml:"mapped_matrix"`
}

func (p *SocketsParams) defaults() {
	if p.FreshSockets == 0 {
		p.FreshSockets = 10
	}
	if p.ReceiveTimeout == 0 {
		p.ReceiveTimeout = time.Second
	}
	if p.ChurnCount == 0 {
		p.ChurnCount = 250000
	}
	if p.ChurnTimeout == 0 {
		p.ChurnTimeout = time.Minute
	}
	if p.TCPChurnCount == 0 {
		p.TCPChurnCount = 2000
	}
	if p.TCPChurnDrain == 0 {
		p.TCPChurnDrain = 15 * time.Second
	}
	if p.RSTConnections == 0 {
		p.RSTConnections = 200
	}
	if p.RSTWait == 0 {
		p.RSTWait = time.Second
	}
	if p.LeakingPCBsPerGiB == 0 {
		p.LeakingPCBsPerGiB = 5000
	}
	if p.MappedMatrix == "" {
		p.MappedMatrix = "default"
	}
}

func (p SocketsParams) validate() error {
	var errs []error
	if p.FreshSockets < 1 || p.FreshSockets > 1000 {
		errs = append(errs, fmt.Errorf("params.sockets.fresh_sockets: %d is not between 1 and 1000", p.FreshSockets))
	}
	if p.ChurnCount < 1 || p.ChurnCount > 100_000_000 {
		errs = append(errs, fmt.Errorf("params.sockets.churn_count: %d is not between 1 and 100000000", p.ChurnCount))
	}
	if p.ReceiveTimeout <= 0 || p.ChurnTimeout <= 0 || p.TCPChurnDrain <= 0 || p.RSTWait <= 0 {
		errs = append(errs, errors.New("params.sockets: timeouts must be positive"))
	}
	// Connections use ephemeral ports, and TIME_WAIT holds them for a while
	// (60 s on Linux, 30 s on macOS): far more than the port range per check
	// would measure port exhaustion, not leaks.
	if p.TCPChurnCount < 1 || p.TCPChurnCount > 1_000_000 {
		errs = append(errs, fmt.Errorf("params.sockets.tcp_churn_count: %d is not between 1 and 1000000", p.TCPChurnCount))
	}
	// The probe's run includes the drain: a drain as long as the timeout
	// would turn every leak into a harness error.
	if p.TCPChurnDrain > 0 && p.ChurnTimeout > 0 && p.TCPChurnDrain >= p.ChurnTimeout {
		errs = append(errs, fmt.Errorf("params.sockets.tcp_churn_drain %v must be shorter than churn_timeout %v (the probe's run includes the drain)", p.TCPChurnDrain, p.ChurnTimeout))
	}
	if p.TCPChurnSlack < 0 {
		errs = append(errs, fmt.Errorf("params.sockets.tcp_churn_slack: %d is negative", p.TCPChurnSlack))
	}
	// Every connection of a path stays open on its accepting side until its
	// RST is read: one descriptor each, kept under the usual soft limit of
	// 1024 descriptors of a C reproducer run by hand.
	if p.RSTConnections < 1 || p.RSTConnections > 500 {
		errs = append(errs, fmt.Errorf("params.sockets.rst_connections: %d is not between 1 and 500", p.RSTConnections))
	}
	if p.LeakingPCBsPerGiB < 1 {
		errs = append(errs, fmt.Errorf("params.sockets.leaking_pcbs_per_gib: %d is not positive", p.LeakingPCBsPerGiB))
	}
	if p.MappedMatrix != "default" && p.MappedMatrix != "full" {
		errs = append(errs, fmt.Errorf("params.sockets.mapped_matrix: %q is not default or full", p.MappedMatrix))
	}
	return errors.Join(errs...)
}

// ByteSize is a number of bytes written as an integer or with a binary unit:
// 16MiB, 512KiB, 1GiB. Decimal units (MB) are refused: a memory limit that is
// 5% off is a different experiment.
type ByteSize int64

var byteUnits = []struct {
	suffix string
	scale  int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// ParseByteSize reads "16MiB", "512KiB", "1GiB", "4096B" or "4096".
func ParseByteSize(s string) (ByteSize, error) {
	s = strings.TrimSpace(s)
	scale := int64(1)
	num := s
	for _, u := range byteUnits {
		if strings.HasSuffix(s, u.suffix) {
			scale, num = u.scale, strings.TrimSpace(strings.TrimSuffix(s, u.suffix))
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("size %q: want a non-negative integer with an optional unit B, KiB, MiB or GiB", s)
	}
	if n > (1<<62)/scale {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return ByteSize(n * scale), nil
}

func (b *ByteSize) UnmarshalYAML(node *yaml.Node) error {
	var s string
	if err := node.Decode(&s); err != nil {
		return err
	}
	v, err := ParseByteSize(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

func (b ByteSize) String() string {
	for _, u := range byteUnits {
		if int64(b) >= u.scale && int64(b)%u.scale == 0 {
			return strconv.FormatInt(int64(b)/u.scale, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(b), 10) + "B"
}
