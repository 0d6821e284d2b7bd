package tcpchurn

import (
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Pattern: Connect, Family: Inet6, Count: 10, Drain: check.Duration(time.Second)}
	tests := []struct {
		name string
		edit func(*Config)
		want string // "" = valid
	}{
		{"connect", func(*Config) {}, ""},
		{"close-connecting IPv6 link-local", func(c *Config) { c.Pattern, c.Peer = CloseConnecting, "[fe80::2%sut0]:4702" }, ""},
		{"close-connecting IPv4", func(c *Config) { c.Pattern, c.Family, c.Peer = CloseConnecting, Inet, "192.0.2.2:4702" }, ""},
		{"close-connecting mapped", func(c *Config) { c.Pattern, c.Family, c.Peer = CloseConnecting, Mapped, "[::ffff:192.0.2.2]:4702" }, ""},
		{"rst loopback", func(c *Config) { c.Pattern, c.Wait = RST, check.Duration(time.Second) }, ""},
		{"bad pattern", func(c *Config) { c.Pattern = "linger" }, `pattern "linger"`},
		{"bad family", func(c *Config) { c.Family = "unix" }, `family "unix"`},
		{"no count", func(c *Config) { c.Count = 0 }, "count 0"},
		{"negative drain", func(c *Config) { c.Drain = -1 }, "must not be negative"},
		{"close-connecting without peer", func(c *Config) { c.Pattern = CloseConnecting }, "needs a peer"},
		{"connect with peer", func(c *Config) { c.Peer = "192.0.2.2:1" }, "no peer"},
		{"rst without wait", func(c *Config) { c.Pattern = RST }, "positive wait"},
		{"IPv4 peer for inet6", func(c *Config) { c.Pattern, c.Peer = CloseConnecting, "192.0.2.2:4702" }, "does not fit family inet6"},
		{"mapped peer for inet6", func(c *Config) { c.Pattern, c.Peer = CloseConnecting, "[::ffff:192.0.2.2]:4702" }, "does not fit"},
		{"IPv6 peer for mapped", func(c *Config) { c.Pattern, c.Family, c.Peer = CloseConnecting, Mapped, "[2001:db8::1]:4702" }, "does not fit"},
		{"port 0", func(c *Config) { c.Pattern, c.Family, c.Peer = CloseConnecting, Inet, "192.0.2.2:0" }, "does not fit"},
		{"not an address", func(c *Config) { c.Pattern, c.Peer = CloseConnecting, "peer:1" }, `peer "peer:1"`},
		{"listen port", func(c *Config) { c.ListenPort = 70000 }, "listen port 70000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheckIDs(t *testing.T) {
	for _, tt := range []struct{ pattern, family, want string }{
		{Connect, Inet6, "sockets.churn.connect6"},
		{CloseConnecting, Inet, "sockets.churn.close-connecting4"},
		{Abort, Mapped, "sockets.churn.abort-mapped"},
	} {
		if got := CheckID(tt.pattern, tt.family); got != tt.want {
			t.Errorf("CheckID(%s, %s) = %s, want %s", tt.pattern, tt.family, got, tt.want)
		}
	}
}

func TestArgs(t *testing.T) {
	c := Config{Pattern: CloseConnecting, Family: Mapped, Count: 5, Peer: "[::ffff:192.0.2.2]:4702", Drain: check.Duration(2 * time.Second), Slack: 3}
	got := strings.Join(Args(c), " ")
	want := "tcp --pattern close-connecting --family mapped --count 5 --sample-every 0 --drain 2s --wait-stdin --progress --peer [::ffff:192.0.2.2]:4702 --slack 3"
	if got != want {
		t.Errorf("Args:\n got %s\nwant %s", got, want)
	}
}

// measurement builds a finished connect measurement with the given counts.
func measurement(start, after, tw int64, drained bool) Measurement {
	cb := &ControlBlocks{Source: "sockstat", TimeWait: "apart", Start: Count{Held: start}, Peak: Count{Held: after + 2},
		End: Count{Held: after}, After: Count{Held: after, TimeWait: tw}, Drained: drained, DrainTime: check.Duration(time.Second)}
	cb.Drain = []Count{cb.After}
	cb.Settle(2000)
	return Measurement{Config: Config{Pattern: Connect, Family: Inet6, Count: 2000}, Iterations: 2000, Rate: 12345, ControlBlocks: cb}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name string
		m    func() Measurement
		want check.Verdict
		in   []string
	}{
		{"back to the start", func() Measurement { return measurement(1, 1, 2000, true) }, check.Pass,
			[]string{"2000 connections to a listener in the SUT over IPv6 loopback", "12,345/s", "back to the start (1 held)", "2000 in TIME_WAIT set aside"}},
		{"leak", func() Measurement { return measurement(1, 1875, 0, false) }, check.Fail,
			[]string{"1874 TCP control blocks stayed after 2000 connections", "937.0 per thousand connections", "held 1 at the start", "still 1875 after a 1s drain", "counted by sockstat"}},
		{"within the slack", func() Measurement {
			m := measurement(1, 4, 0, true)
			m.Config.Slack = 3
			return m
		}, check.Pass, nil},
		{"above the slack", func() Measurement {
			m := measurement(1, 5, 0, false)
			m.Config.Slack = 3
			return m
		}, check.Fail, []string{"4 TCP control blocks stayed", "3 allowed"}},
		{"socket refused", func() Measurement {
			m := measurement(1, 1, 0, true)
			m.Iterations = 160994
			m.Config.Count = 250000
			m.FirstFailure = &churn.Failure{Iteration: 160995, Call: "socket", Errno: "ENOBUFS", Message: "no buffer space available"}
			return m
		}, check.Fail, []string{"socket() failed with ENOBUFS (No buffer space available) at connection 160995 of 250000", "back to the start"}},
		{"connect refused under a limit", func() Measurement {
			m := measurement(1, 1, 0, true)
			m.FirstFailure = &churn.Failure{Iteration: 3, Call: "connect", Errno: "EADDRNOTAVAIL", Message: "cannot assign requested address"}
			m.Limit = &churn.Limit{MemoryBytes: 16 << 20}
			return m
		}, check.Fail, []string{"connect() failed with EADDRNOTAVAIL", "under a memory limit of 16.0 MiB"}},
		{"OOM kill", func() Measurement {
			return Measurement{Config: Config{Pattern: Abort, Family: Inet, Count: 2000}, Killed: true, Signal: "SIGKILL", Iterations: 400,
				Samples: []churn.Sample{{Iteration: 400}}, Limit: &churn.Limit{MemoryBytes: 2 << 20, OOMKills: 1}}
		}, check.Fail, []string{"killed by SIGKILL after at least 400 connections", "memory limit of 2.0 MiB (1 OOM kill in the group)"}},
		{"killed otherwise", func() Measurement {
			return Measurement{Config: Config{Pattern: Abort, Family: Inet, Count: 2000}, Killed: true, Signal: "SIGTERM"}
		}, check.Error, []string{"SIGTERM before its first sample"}},
		{"peer answered", func() Measurement {
			return Measurement{Config: Config{Pattern: CloseConnecting, Family: Inet, Count: 2000}, Unexpected: "the peer answered"}
		}, check.Error, []string{"harness: the peer answered"}},
		{"stopped early", func() Measurement {
			m := measurement(1, 1, 0, true)
			m.Iterations = 10
			return m
		}, check.Error, []string{"stopped after 10 of 2000"}},
		{"no count", func() Measurement {
			m := measurement(1, 1, 0, true)
			m.ControlBlocks = &ControlBlocks{Errors: []string{"/proc/net/sockstat: permission denied"}}
			return m
		}, check.Error, []string{"no TCP control-block count", "permission denied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, reason := Judge(tt.m())
			if v != tt.want {
				t.Fatalf("%s, want %s: %s", v, tt.want, reason)
			}
			for _, w := range tt.in {
				if !strings.Contains(reason, w) {
					t.Errorf("reason lacks %q: %s", w, reason)
				}
			}
		})
	}
}

func rstPath(name string, rc *RSTCount) Path {
	return Path{Name: name, Measurement: Measurement{Config: Config{Pattern: RST, Count: 200}, Iterations: 200, RST: rc}}
}

func TestJudgeRST(t *testing.T) {
	all := &RSTCount{Connections: 200, Reset: 200}
	tests := []struct {
		name  string
		paths []Path
		want  check.Verdict
		in    []string
	}{
		{"all seen", []Path{rstPath("loopback IPv6", all), rstPath("lab link IPv4", all)}, check.Pass,
			[]string{"loopback IPv6 200 of 200, lab link IPv4 200 of 200"}},
		{"7 of 200 lost", []Path{rstPath("loopback IPv6", &RSTCount{Connections: 200, Reset: 193, FIN: 5, Nothing: 2}), rstPath("lab link IPv4", all)}, check.Fail,
			[]string{"RST not seen by the peer in 7 of 200 (loopback IPv6: 5 closed gracefully with a FIN instead, 2 with nothing at all)", "RST seen: lab link IPv4 200 of 200"}},
		{"a path not measured", []Path{rstPath("loopback IPv6", all), {Name: "lab link IPv6", Measurement: Measurement{Unexpected: "the lab peer did not complete the handshake"}}}, check.Error,
			[]string{"lab link IPv6: the lab peer did not complete the handshake"}},
		{"loss beats a harness error", []Path{rstPath("loopback IPv4", &RSTCount{Connections: 200, Reset: 0, Nothing: 200}), {Name: "lab link IPv6", Measurement: Measurement{Unexpected: "x"}}}, check.Fail,
			[]string{"RST not seen by the peer in 200 of 200", "not measured: lab link IPv6: x"}},
		{"a call refused", []Path{{Name: "loopback IPv6", Measurement: Measurement{Config: Config{Count: 200}, FirstFailure: &churn.Failure{Iteration: 12, Call: "connect", Errno: "ENOBUFS", Message: "no buffer space available"},
			RST: &RSTCount{Connections: 11, Reset: 11}}}}, check.Fail, []string{"loopback IPv6: connect() failed with ENOBUFS (No buffer space available) at connection 12 of 200"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, reason := JudgeRST(tt.paths)
			if v != tt.want {
				t.Fatalf("%s, want %s: %s", v, tt.want, reason)
			}
			for _, w := range tt.in {
				if !strings.Contains(reason, w) {
					t.Errorf("reason lacks %q: %s", w, reason)
				}
			}
		})
	}
}

func TestCurve(t *testing.T) {
	m := measurement(1, 1875, 0, false)
	m.Samples = []churn.Sample{
		{Iteration: 0, Counters: map[string]int64{CounterTotal: 1, CounterTimeWait: 0, CounterHeld: 1}},
		{Iteration: 1000, Elapsed: check.Duration(50 * time.Millisecond), Counters: map[string]int64{CounterTotal: 940, CounterTimeWait: 3, CounterHeld: 937}},
		{Iteration: 2000, Counters: map[string]int64{"sockstat.TCP.inuse": 1}}, // no count: left out
	}
	want := "phase,connections,seconds,control_blocks,time_wait,held\n" +
		"loop,0,0.000000,1,0,1\n" +
		"loop,1000,0.050000,940,3,937\n" +
		"drain,2000,0.000000,0,0,1875\n"
	if got := string(Curve(m)); got != want {
		t.Errorf("Curve:\n%s\nwant\n%s", got, want)
	}
}
