package cfil

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netconform/netconform/observation"
)

// Mode is what the user-space filter decides for the packets it is given
// (observation.FilterMode: a report reads it).
type Mode = observation.FilterMode

const (
	// Accept accepts every packet: a filter on the path that does nothing wrong.
	Accept Mode = "accept"
	// DropFirstPerFlow drops the first packet of each new 5-tuple flow: the
	// macOS 15.6.1 bug's signature, for fault injection.
	DropFirstPerFlow Mode = "drop-first-per-flow"
	// DropFirst drops only the very first packet the filter is given.
	DropFirst Mode = "drop-first"
	// HoldFirstPerFlow holds the first packet of each new flow for
	// FilterConfig.Hold, and the flow's later packets behind it, then
	// accepts them all in order: what cfil does while its agent decides
	// on a new flow (bsd/net/content_filter.c keeps a flow's data pending
	// until the verdict, then passes it in order), for proofs that a slow
	// but working filter is not taken for a lossy one.
	HoldFirstPerFlow Mode = "hold-first-per-flow"
)

// FilterConfig says where the filter sits and what it does.
type FilterConfig struct {
	Queue uint16 // NFQUEUE number
	// Table is the iptables table: "" or "filter" (the default), or
	// "mangle". Netfilter runs mangle OUTPUT before filter OUTPUT and mangle
	// POSTROUTING after it: a fault placed there sits before, or after, a
	// filter the check itself put in filter OUTPUT.
	Table string
	// Hook is the chain in the SUT namespace: "INPUT" or "OUTPUT" (INPUT =
	// the SUT's input path); in the mangle table also "POSTROUTING" (every
	// locally sent packet, after the filter table's OUTPUT, on its way to
	// the interface, loopback included).
	Hook string
	// Match is extra iptables match arguments, e.g. []string{"-p", "udp"}.
	Match []string
	Mode  Mode
	// Hold is how long HoldFirstPerFlow holds a new flow.
	Hold time.Duration
}

// Where a filter sits on the SUT's UDP path, in the words a check uses; the
// configurations below are where that is on this kernel.
type Path string

const (
	// Outbound: every UDP datagram the SUT sends, to itself or to the wire
	// (Linux: filter OUTPUT, which both pass).
	Outbound Path = "outbound"
	// Inbound: every UDP datagram the SUT receives, from itself or the wire
	// (Linux: filter INPUT).
	Inbound Path = "inbound"
	// AfterOutbound: every UDP datagram the SUT sends, after a filter on
	// Outbound has passed it (Linux: mangle POSTROUTING, which runs after
	// filter OUTPUT): a fault there loses what the check's filter accepted.
	AfterOutbound Path = "after-outbound"
)

// UDPFilter is the configuration of a filter of UDP datagrams at path.
func UDPFilter(queue uint16, path Path, mode Mode) FilterConfig {
	c := FilterConfig{Queue: queue, Match: []string{"-p", "udp"}, Mode: mode}
	switch path {
	case Inbound:
		c.Hook = "INPUT"
	case AfterOutbound:
		c.Table, c.Hook = "mangle", "POSTROUTING"
	default:
		c.Hook = "OUTPUT"
	}
	return c
}

// FilterStats counts what the filter was given and decided.
type FilterStats = observation.FilterStats

// ErrUnsupported means this machine lacks what a filter needs (a binary, a
// kernel feature, a permission). The wrapping error says exactly what, so a
// check can skip with that reason.
var ErrUnsupported = errors.New("cfil: content filter not supported here")

// unsupported wraps ErrUnsupported with what is missing.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// validate rejects a configuration that is the caller's mistake. These
// errors do not wrap ErrUnsupported: a check must not skip over its own bug.
func (c FilterConfig) validate() error {
	switch c.Table {
	case "", "filter":
		if c.Hook != "INPUT" && c.Hook != "OUTPUT" {
			return fmt.Errorf("cfil: hook %q: want INPUT or OUTPUT", c.Hook)
		}
	case "mangle":
		if c.Hook != "INPUT" && c.Hook != "OUTPUT" && c.Hook != "POSTROUTING" {
			return fmt.Errorf("cfil: hook %q of table mangle: want INPUT, OUTPUT or POSTROUTING", c.Hook)
		}
	default:
		return fmt.Errorf("cfil: table %q: want filter or mangle", c.Table)
	}
	switch c.Mode {
	case Accept, DropFirstPerFlow, DropFirst:
	case HoldFirstPerFlow:
		if c.Hold <= 0 {
			return fmt.Errorf("cfil: mode %s holds for %v: want a positive hold", c.Mode, c.Hold)
		}
	default:
		return fmt.Errorf("cfil: mode %q: want %s, %s, %s or %s", c.Mode, Accept, DropFirstPerFlow, DropFirst, HoldFirstPerFlow)
	}
	for _, m := range c.Match {
		// The match is passed as argv, never through a shell, but a "-j" in it
		// would replace our target and the rule could not be removed by spec.
		if m == "-j" || m == "--jump" || m == "-g" || m == "--goto" {
			return fmt.Errorf("cfil: match %q must not contain a target (%s)", strings.Join(c.Match, " "), m)
		}
	}
	return nil
}

// table is the iptables table the rule goes in.
func (c FilterConfig) table() string {
	if c.Table == "" {
		return "filter"
	}
	return c.Table
}

// Where names the hook for a person: "OUTPUT", "mangle POSTROUTING".
func (c FilterConfig) Where() string {
	if c.table() == "filter" {
		return c.Hook
	}
	return c.table() + " " + c.Hook
}

// ruleSpec is the iptables rule body after the chain name.
func (c FilterConfig) ruleSpec() []string {
	spec := append([]string{}, c.Match...)
	return append(spec, "-j", "NFQUEUE", "--queue-num", fmt.Sprint(c.Queue))
}
