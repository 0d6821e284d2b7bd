package evidence

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/netconform/netconform/reports"
)

// The reproducers are plain C files, so they can be read, compiled and
// tested as they are (TestReproducers builds them with cc -Wall -Werror).
//
//go:embed repro/*.c
var reproFS embed.FS

// reproducer is the C program for a socket check and how to run it.
type reproducer struct {
	source []byte
	args   string // arguments for the run line in feedback.md
	note   string // what to know when running it
}

// reproducerFor returns the reproducer for sockets.mapped-sendto.*,
// sockets.churn.* and sockets.tcp.abortive-close-rst checks, nil for other
// checks.
func reproducerFor(c reports.CheckResult) *reproducer {
	switch {
	case strings.HasPrefix(c.ID, "sockets.mapped-sendto."):
		mc := mappedCaseOf(c)
		return &reproducer{source: append([]byte(mc.defines(c.ID)), mustRead("repro/mapped_sendto.c")...),
			args: "",
			note: mc.note()}
	case isTCPCheck(c.ID):
		return tcpReproducer(c)
	case strings.HasPrefix(c.ID, "sockets.churn."):
		family, typ, count := churnConfig(c)
		head := fmt.Sprintf("/* Defaults from netconform's %s: */\n#define DEFAULT_COUNT %d\n#define DEFAULT_FAMILY %q\n#define DEFAULT_TYPE %q\n\n", c.ID, count, family, typ)
		return &reproducer{source: append([]byte(head), mustRead("repro/churn.c")...),
			args: fmt.Sprintf("%d %s %s", count, family, typ),
			note: "It prints the first failing iteration and errno; the iteration varies between runs."}
	}
	return nil
}

func mustRead(name string) []byte {
	b, err := reproFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

var word = regexp.MustCompile(`^[a-z0-9]+$`)

// churnConfig reads family, type and count from the churn measurement
// (sockets/churn Measurement.Config), falling back to the check id's suffix
// (stream6, dgram4...) and the seed's 250000.
func churnConfig(c reports.CheckResult) (family, typ string, count int) {
	family, typ, count = "inet6", "stream", 250000
	suffix := strings.TrimPrefix(c.ID, "sockets.churn.")
	if strings.HasPrefix(suffix, "dgram") {
		typ = "dgram"
	}
	if strings.HasSuffix(suffix, "4") {
		family = "inet"
	}
	var m struct {
		Target int `json:"target"`
		Config struct {
			Family string `json:"family"`
			Type   string `json:"type"`
			Count  int    `json:"count"`
		} `json:"config"`
	}
	if json.Unmarshal(c.Observations, &m) == nil {
		if f := m.Config.Family; (f == "inet" || f == "inet6") && word.MatchString(f) {
			family = f
		}
		if t := m.Config.Type; t == "stream" || t == "dgram" {
			typ = t
		}
		switch {
		case m.Config.Count > 0 && m.Config.Count <= 100_000_000:
			count = m.Config.Count
		case m.Target > 0 && m.Target <= 100_000_000:
			count = m.Target
		}
	}
	return family, typ, count
}
