package accounting

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeMac answers like the tools of a Mac running xnu-11417: sysctl(8)
// prints the OIDs it knows and exits 1 if one is unknown (system_cmds
// sysctl/sysctl.c, parse); zprint prints the zones whose name contains its
// argument.
type fakeMac struct {
	t     *testing.T
	oids  map[string]string
	zones map[string]string // zprint argument -> fixture
	calls []string
}

func (m *fakeMac) run(_ context.Context, name string, args ...string) ([]byte, error) {
	m.calls = append(m.calls, name+" "+strings.Join(args, " "))
	switch name {
	case "sysctl":
		var out strings.Builder
		unknown := 0
		for _, a := range args {
			v, ok := m.oids[a]
			if !ok {
				unknown++ // "sysctl: unknown oid 'a'" goes to stderr
				continue
			}
			fmt.Fprintf(&out, "%s: %s\n", a, v)
		}
		if unknown > 0 {
			return []byte(out.String()), errors.New("exit status 1")
		}
		return []byte(out.String()), nil
	case "netstat":
		return m.fixture("netstat-m.txt"), nil
	case "zprint":
		if len(args) == 1 && m.zones[args[0]] != "" {
			return m.fixture(m.zones[args[0]]), nil
		}
		return nil, nil // no zone matched: zprint prints the header only
	}
	return nil, fmt.Errorf("%s: not found", name)
}

func (m *fakeMac) fixture(name string) []byte {
	m.t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "macos", "testdata", "mbufs", name))
	if err != nil {
		m.t.Fatal(err)
	}
	return b
}

// TestTakeDarwin: a snapshot on a Mac records no error (every sysctl it asks
// for exists in xnu) and counts sockets from both zones: IPv4 TCP sockets
// live in "socache zone", not in "socket".
func TestTakeDarwin(t *testing.T) {
	mac := &fakeMac{t: t,
		oids:  map[string]string{"net.inet.tcp.pcbcount": "160995", "net.inet.udp.pcbcount": "12", "kern.ipc.somaxconn": "128"},
		zones: map[string]string{"socket": "zprint-socket.txt", "socache": "zprint-socache.txt"}}
	s := takeDarwin(context.Background(), mac.run)
	if len(s.Errors) != 0 {
		t.Fatalf("errors %v after calls %v", s.Errors, mac.calls)
	}
	for name, want := range map[string]int64{
		"net.inet.tcp.pcbcount": 160995, "net.inet.udp.pcbcount": 12, "mbuf.in_use": 4058,
		"zone.socket.inuse": 2001, "zone.socket.cur_size": 1312 << 10,
		"zone.socache.inuse": 20711, "zone.socache.cur_size": 39256 << 10,
	} {
		if got, ok := s.Counters[name]; !ok || got != want {
			t.Errorf("%s = %d (present %v), want %d", name, got, ok, want)
		}
	}
	if len(s.Texts) != 4 {
		t.Errorf("evidence texts %v", s.Texts)
	}
}

// TestTakeDarwinUnknownOID: the fake itself fails a name xnu lacks, as
// sysctl(8) does; this is what every snapshot recorded while the list held
// kern.ipc.numopensockets and kern.ipc.maxsockets.
func TestTakeDarwinUnknownOID(t *testing.T) {
	saved := darwinSysctls
	defer func() { darwinSysctls = saved }()
	darwinSysctls = append(append([]string(nil), saved...), "kern.ipc.numopensockets", "kern.ipc.maxsockets")
	mac := &fakeMac{t: t, oids: map[string]string{"net.inet.tcp.pcbcount": "1", "net.inet.udp.pcbcount": "2"}}
	s := takeDarwin(context.Background(), mac.run)
	if len(s.Errors) != 1 || !strings.Contains(s.Errors[0], "sysctl") {
		t.Errorf("errors %v", s.Errors)
	}
	if s.Counters["net.inet.tcp.pcbcount"] != 1 {
		t.Errorf("counters %v", s.Counters)
	}
}
