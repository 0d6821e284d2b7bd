package cfil

import (
	"errors"
	"fmt"
	"strings"

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
)

// FilterConfig says where the filter sits and what it does.
type FilterConfig struct {
	Queue uint16 // NFQUEUE number
	// Hook is "INPUT" or "OUTPUT": the iptables chain in the SUT namespace
	// (INPUT = the SUT's input path).
	Hook string
	// Match is extra iptables match arguments, e.g. []string{"-p", "udp"}.
	Match []string
	Mode  Mode
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
	switch c.Hook {
	case "INPUT", "OUTPUT":
	default:
		return fmt.Errorf("cfil: hook %q: want INPUT or OUTPUT", c.Hook)
	}
	switch c.Mode {
	case Accept, DropFirstPerFlow, DropFirst:
	default:
		return fmt.Errorf("cfil: mode %q: want %s, %s or %s", c.Mode, Accept, DropFirstPerFlow, DropFirst)
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

// ruleSpec is the iptables rule body after the chain name.
func (c FilterConfig) ruleSpec() []string {
	spec := append([]string{}, c.Match...)
	return append(spec, "-j", "NFQUEUE", "--queue-num", fmt.Sprint(c.Queue))
}
