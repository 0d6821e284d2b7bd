package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want ByteSize
		err  bool
	}{
		{"16MiB", 16 << 20, false},
		{"512KiB", 512 << 10, false},
		{"1GiB", 1 << 30, false},
		{"4096B", 4096, false},
		{"4096", 4096, false},
		{" 2 MiB ", 2 << 20, false},
		{"16MB", 0, true}, // decimal units refused on purpose
		{"-1MiB", 0, true},
		{"MiB", 0, true},
		{"1.5MiB", 0, true},
		{"99999999999GiB", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseByteSize(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("ParseByteSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestByteSizeString(t *testing.T) {
	for _, tt := range []struct {
		in   ByteSize
		want string
	}{{16 << 20, "16MiB"}, {1536 << 10, "1536KiB"}, {1 << 30, "1GiB"}, {1000, "1000B"}, {0, "0B"}} {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%d: %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestSocketsParams(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // error substring; "" = valid
	}{
		{"defaults", "version: 1\n", ""},
		{"sockets suite known", "version: 1\nsuites: [ipv6, sockets]\n", ""},
		{"unknown key", "version: 1\nparams:\n  sockets:\n    fresh_socket: 3\n", "field fresh_socket not found"},
		{"too many sockets", "version: 1\nparams:\n  sockets:\n    fresh_sockets: 5000\n", "fresh_sockets: 5000"},
		{"negative count", "version: 1\nparams:\n  sockets:\n    churn_count: -5\n", "churn_count: -5"},
		{"negative timeout", "version: 1\nparams:\n  sockets:\n    receive_timeout: -1s\n", "timeouts must be positive"},
		{"full mapped matrix", "version: 1\nparams:\n  sockets:\n    mapped_matrix: full\n", ""},
		{"unknown mapped matrix", "version: 1\nparams:\n  sockets:\n    mapped_matrix: all\n", `mapped_matrix: "all" is not default or full`},
		{"memory limit", "version: 1\nprofiles:\n  tight:\n    probe_memory_limit: 2MiB\n", ""},
		{"bad memory limit", "version: 1\nprofiles:\n  tight:\n    probe_memory_limit: 2MB\n", `size "2MB"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
			if err != nil {
				return
			}
			p := c.Params.Sockets
			if p.FreshSockets != 10 || p.ReceiveTimeout != time.Second || p.ChurnCount != 250000 || p.ChurnTimeout != time.Minute {
				t.Errorf("defaults not applied: %+v", p)
			}
			if want := map[bool]string{true: "full", false: "default"}[strings.Contains(tt.yaml, "mapped_matrix: full")]; p.MappedMatrix != want {
				t.Errorf("mapped_matrix = %q, want %q", p.MappedMatrix, want)
			}
			if tight, ok := c.Profiles["tight"]; ok && tight.ProbeMemoryLimit != 2<<20 {
				t.Errorf("probe_memory_limit = %d, want %d", tight.ProbeMemoryLimit, 2<<20)
			}
		})
	}
}

func TestTCPChurnParams(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // error substring; "" = valid
	}{
		{"defaults", "version: 1\n", ""},
		{"set", "version: 1\nparams:\n  sockets:\n    tcp_churn_count: 50000\n    tcp_churn_drain: 30s\n    tcp_churn_slack: 5\n    rst_connections: 500\n    rst_wait: 2s\n    leaking_pcbs_per_gib: 1000\n", ""},
		{"unknown key", "version: 1\nparams:\n  sockets:\n    tcp_churn_counts: 5\n", "field tcp_churn_counts not found"},
		{"count too large", "version: 1\nparams:\n  sockets:\n    tcp_churn_count: 2000000\n", "tcp_churn_count: 2000000"},
		{"negative count", "version: 1\nparams:\n  sockets:\n    tcp_churn_count: -1\n", "tcp_churn_count: -1"},
		{"negative drain", "version: 1\nparams:\n  sockets:\n    tcp_churn_drain: -1s\n", "timeouts must be positive"},
		{"negative rst wait", "version: 1\nparams:\n  sockets:\n    rst_wait: -1s\n", "timeouts must be positive"},
		{"negative slack", "version: 1\nparams:\n  sockets:\n    tcp_churn_slack: -3\n", "tcp_churn_slack: -3"},
		{"drain as long as the timeout", "version: 1\nparams:\n  sockets:\n    tcp_churn_drain: 1m\n", "must be shorter than churn_timeout"},
		{"too many rst connections", "version: 1\nparams:\n  sockets:\n    rst_connections: 501\n", "rst_connections: 501"},
		{"negative threshold", "version: 1\nparams:\n  sockets:\n    leaking_pcbs_per_gib: -5\n", "leaking_pcbs_per_gib: -5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
			if err != nil || tt.name != "defaults" {
				return
			}
			p := c.Params.Sockets
			if p.TCPChurnCount != 2000 || p.TCPChurnDrain != 15*time.Second || p.TCPChurnSlack != 0 ||
				p.RSTConnections != 200 || p.RSTWait != time.Second || p.LeakingPCBsPerGiB != 5000 {
				t.Errorf("defaults not applied: %+v", p)
			}
		})
	}
}
