package evidence

import (
	"embed"
	"encoding/json"
	"fmt"

	"github.com/netconform/netconform/observation"
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

// reproducerFor returns the C reproducer of a check, nil when it has none.
// It is chosen by the view of the check's observations and what they say,
// never by the check's id, so a new check of a view gets its reproducer
// when its observations show it fits:
//   - first datagrams (observation.ViewFirstDatagram) on a dual-stack
//     socket (family inet6, the seed's IPv4-mapped case):
//     repro/mapped_sendto.c; the AF_INET controls have none;
//   - a churn measurement (observation.ViewChurn): repro/churn.c with the
//     measured loop's family, type and count;
//   - a TCP churn or RST measurement (observation.ViewTCPChurn,
//     ViewTCPRST): repro/tcp_churn.c with the failing pattern and family.
func reproducerFor(c reports.CheckResult) *reproducer {
	switch c.ViewName() {
	case observation.ViewFirstDatagram, observation.ViewMappedMatrix:
		if c.ViewName() == observation.ViewFirstDatagram {
			var o observation.FirstDatagram
			if json.Unmarshal(c.Observations, &o) != nil || o.Family != "inet6" {
				return nil // the AF_INET controls have none
			}
		}
		mc := mappedCaseOf(c)
		return &reproducer{source: append([]byte(mc.defines(c.ID)), mustRead("repro/mapped_sendto.c")...),
			args: "",
			note: mc.note()}
	case observation.ViewTCPChurn, observation.ViewTCPRST:
		return tcpReproducer(c)
	case observation.ViewChurn:
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

// churnConfig reads family, type and count from the churn measurement
// (observation.ChurnMeasurement's Config; "target" for the count in early
// probes' files), falling back to the seed's AF_INET6 SOCK_STREAM and
// 250000. Only the known words and a sane count reach the C source.
func churnConfig(c reports.CheckResult) (family, typ string, count int) {
	family, typ, count = "inet6", "stream", 250000
	var m struct {
		Config observation.ChurnConfig `json:"config"`
		Target int                     `json:"target"`
	}
	if json.Unmarshal(c.Observations, &m) == nil {
		if f := m.Config.Family; f == "inet" || f == "inet6" {
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
