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
	if p.ReceiveTimeout <= 0 || p.ChurnTimeout <= 0 {
		errs = append(errs, errors.New("params.sockets: timeouts must be positive"))
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
