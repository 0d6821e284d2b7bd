package evidence

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/netconform/netconform/reports"
)

// The TCP churn checks (sockets.churn.<pattern><4|6|-mapped>) and the RST
// check share one reproducer, repro/tcp_churn.c, compiled with the failing
// check's pattern, family and count as its defaults.
var tcpPatterns = []string{"connect", "close-connecting", "abort"}

const rstCheckID = "sockets.tcp.abortive-close-rst"

// isTCPCheck reports whether id is a TCP churn check or the RST check.
func isTCPCheck(id string) bool {
	if id == rstCheckID {
		return true
	}
	_, _, ok := tcpPatternOf(id)
	return ok
}

// tcpPatternOf splits sockets.churn.abort-mapped into abort and mapped.
func tcpPatternOf(id string) (pattern, family string, ok bool) {
	rest, found := strings.CutPrefix(id, "sockets.churn.")
	if !found {
		return "", "", false
	}
	for _, p := range tcpPatterns {
		suffix, found := strings.CutPrefix(rest, p)
		if !found {
			continue
		}
		switch suffix {
		case "6":
			return p, "inet6", true
		case "4":
			return p, "inet", true
		case "-mapped":
			return p, "mapped", true
		}
	}
	return "", "", false
}

// tcpReproducer is repro/tcp_churn.c with the check's pattern, family and
// count as defaults, read from its observations where they are sound and
// from its id otherwise.
func tcpReproducer(c reports.CheckResult) *reproducer {
	pattern, family, count := "rst", "inet6", 200
	note := "It prints the rate, the first failing call with its errno, and the TCP control blocks held at the start, at the last close and after a drain of up to 15 s (on macOS the count covers the whole machine: run it on an idle one)."
	if p, f, ok := tcpPatternOf(c.ID); ok {
		pattern, family, count = p, f, 2000
		var m struct {
			Config struct {
				Pattern string `json:"pattern"`
				Family  string `json:"family"`
				Count   int    `json:"count"`
			} `json:"config"`
		}
		if json.Unmarshal(c.Observations, &m) == nil && m.Config.Count > 0 && m.Config.Count <= 1_000_000 {
			count = m.Config.Count
		}
		if pattern == "close-connecting" {
			note += " The check's peer was an emulated host on a lab link that drops SYNs; without a peer address the reproducer's peer is a loopback listener whose accept queue is full, which drops SYNs too. To use a host of your own that drops SYNs: `./repro close-connecting " + fmt.Sprint(count) + " " + family + " <address> <port>`."
		}
	} else {
		// The RST check: the first loopback path that lost an RST, the
		// path the macOS report names.
		var o struct {
			Paths []struct {
				Name        string `json:"name"`
				Measurement struct {
					Config struct {
						Family string `json:"family"`
						Count  int    `json:"count"`
						Peer   string `json:"peer"`
					} `json:"config"`
					RST *struct {
						Connections int `json:"connections"`
						Reset       int `json:"reset"`
					} `json:"rst"`
				} `json:"measurement"`
			} `json:"paths"`
		}
		if json.Unmarshal(c.Observations, &o) == nil {
			for _, p := range o.Paths {
				mc := p.Measurement.Config
				if mc.Peer != "" || p.Measurement.RST == nil || p.Measurement.RST.Reset == p.Measurement.RST.Connections {
					continue
				}
				if f := mc.Family; f == "inet6" || f == "inet" || f == "mapped" {
					family = f
				}
				if mc.Count > 0 && mc.Count <= 500 {
					count = mc.Count
				}
				break
			}
		}
		note = "It aborts the connections over loopback and reads each accepted end; the check also measured over a lab link, where the peer was an emulated host that recorded the RSTs (see result.json)."
	}
	head := fmt.Sprintf("/* Defaults from netconform's %s: */\n#define DEFAULT_PATTERN %q\n#define DEFAULT_COUNT %d\n#define DEFAULT_FAMILY %q\n\n", c.ID, pattern, count, family)
	return &reproducer{source: append([]byte(head), mustRead("repro/tcp_churn.c")...),
		args: fmt.Sprintf("%s %d %s", pattern, count, family), note: note}
}
