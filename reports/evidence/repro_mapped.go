package evidence

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

// mappedCase is the case repro/mapped_sendto.c runs by default: the one the
// check saw fail. Every value is one of the reproducer's own option values
// (checked here), so nothing from results.json reaches the C source as is.
type mappedCase struct {
	name             string
	bind, port, call string
	dest             string
	v6only           bool
	peer             bool // the check saw it on the wire to the emulated peer
}

var (
	reproBinds = []string{"mapped", "mapped-any", "any", "unbound"}
	reproCalls = []string{"sendto", "connect+send", "sendmsg", "sendmsg+IPV6_PKTINFO", "sendmsg+IP_PKTINFO", "connect+sendmsg_x"}
)

// mappedCaseOf reads the failing case from the check's observations: the
// matrix's first failing case (one with silent drops, the seed's signature,
// first), or the single check's own case; the seed's case when neither
// reads.
func mappedCaseOf(c reports.CheckResult) mappedCase {
	mc := mappedCase{name: "the reported case", bind: "mapped", port: "0", call: "sendto", dest: "self"}
	if strings.HasSuffix(c.ID, ".matrix") {
		var m observation.MappedMatrix
		if json.Unmarshal(c.Observations, &m) == nil {
			var pick *observation.MatrixCase
			for i := range m.Cases {
				mcase := &m.Cases[i]
				if mcase.Verdict != "fail" {
					continue
				}
				silent := false
				for _, r := range mcase.Rates {
					silent = silent || r.SilentDrops > 0
				}
				if pick == nil || silent {
					pick = mcase
				}
				if silent {
					break
				}
			}
			if pick != nil {
				if got, ok := fromMatrixCase(*pick); ok {
					return got
				}
			}
		}
		return mc
	}
	var one struct {
		Case        string `json:"case"`
		Bound       *bool  `json:"bound"`
		Connected   bool   `json:"connected"`
		Destination string `json:"destination"`
	}
	if json.Unmarshal(c.Observations, &one) == nil && one.Bound != nil {
		if !*one.Bound {
			mc.bind = "unbound"
		}
		if one.Connected {
			mc.call = "connect+send"
		}
		mc.peer = one.Destination == "peer"
	} else {
		// The check id says as much.
		switch {
		case strings.HasSuffix(c.ID, ".unbound"):
			mc.bind, mc.peer = "unbound", true
		case strings.HasSuffix(c.ID, ".connected"):
			mc.call, mc.peer = "connect+send", true
		case strings.HasSuffix(c.ID, ".peer"):
			mc.peer = true
		}
	}
	mc.name = strings.TrimPrefix(c.ID, "sockets.mapped-sendto.")
	mc.dest = reproDest(mc.bind)
	return mc
}

// fromMatrixCase parses a matrix case ("mapped-any/0+v6only sendmsg self").
func fromMatrixCase(m observation.MatrixCase) (mappedCase, bool) {
	mc := mappedCase{name: m.Name, port: "0", call: m.Call}
	row := m.Row
	if r, ok := strings.CutSuffix(row, "+v6only"); ok {
		row, mc.v6only = r, true
	}
	bind, port, hasPort := strings.Cut(row, "/")
	mc.bind = bind
	if hasPort {
		mc.port = port
	}
	if !slices.Contains(reproBinds, mc.bind) || (mc.port != "0" && mc.port != "fixed") || !slices.Contains(reproCalls, mc.call) {
		return mappedCase{}, false
	}
	switch m.Destination {
	case "self", "loopback":
		mc.dest = m.Destination
	case "peer":
		mc.peer = true
		mc.dest = reproDest(mc.bind)
	default:
		return mappedCase{}, false
	}
	return mc, true
}

// reproDest: the reproducer cannot see a remote peer's wire, so a case the
// check saw on the wire sends to its own address instead (to loopback when
// unbound: it has no port of its own before the first send).
func reproDest(bind string) string {
	if bind == "unbound" {
		return "loopback"
	}
	return "self"
}

func (mc mappedCase) defines(id string) string {
	v6 := 0
	if mc.v6only {
		v6 = 1
	}
	return fmt.Sprintf("/* Defaults from netconform's %s (%s): */\n#define DEFAULT_BIND %q\n#define DEFAULT_PORT %q\n#define DEFAULT_CALL %q\n#define DEFAULT_DEST %q\n#define DEFAULT_V6ONLY %d\n\n",
		id, safeName(mc.name), mc.bind, mc.port, mc.call, mc.dest, v6)
}

func (mc mappedCase) note() string {
	s := fmt.Sprintf("By default it runs the case the check saw fail (%s): bind %s, port %s, %s to %s", mc.name, mc.bind, mc.port, mc.call, mc.dest)
	if mc.v6only {
		s += ", IPV6_V6ONLY on"
	}
	s += "; `-b`, `-p`, `-c`, `-d`, `-6` choose another (`./repro -h` lists them)."
	if mc.peer {
		s += " The check saw this case on the wire to an emulated peer; the reproducer, which cannot see a remote wire, sends to its own address (to 127.0.0.1 when unbound) instead."
	}
	s += " It uses 127.0.0.1 unless given an address; the original report saw the loss with the machine's LAN address: `./repro \"$(ipconfig getifaddr en0)\"`. The loss happens only where a content filter (a Network Extension: a firewall, a security agent) takes the socket's datagrams: `sysctl net.cfil.active_count` must be above 0."
	return s
}

// safeName keeps a case name to letters, digits and " /+._-", so that a
// name read from results.json cannot end the C comment it goes in.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" /+._-", r):
			return r
		}
		return -1
	}, s)
}
