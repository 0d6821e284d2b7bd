package cfil

import (
	"strings"
	"testing"
	"time"
)

func TestCoverage(t *testing.T) {
	mac := func(active string) State {
		return State{OS: "darwin", Sysctls: map[string]string{sysctlActiveCount: active}}
	}
	for _, tt := range []struct {
		name string
		a    Attribution
		want Coverage
	}{
		{"mac, agent connected", Attribution{Before: mac("1"), After: mac("1"), FilterOnPath: true}, OnPath},
		{"mac, none", Attribution{Before: mac("0"), After: mac("0")}, NoFilter},
		{"mac, sysctl not read before", Attribution{Before: State{OS: "darwin"}, After: mac("0")}, Unknown},
		{"linux, none", Attribution{Before: State{OS: "linux"}, After: State{OS: "linux"}}, NoFilter},
		{"linux, nft missing only", Attribution{Before: State{OS: "linux", Errors: []string{"nft not installed: ..."}}, After: State{OS: "linux"}}, NoFilter},
		{"linux, no rule source read", Attribution{Before: State{OS: "linux"}, After: State{OS: "linux", Errors: []string{
			"iptables-save not installed: iptables rules not read", "ip6tables-save not installed: ip6tables rules not read", "nft not installed: native nftables queue rules not read"}}}, Unknown},
		{"other OS", Attribution{After: State{OS: "freebsd"}}, Unknown},
	} {
		if got := CoverageOf(tt.a); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestActiveAgents(t *testing.T) {
	if n, ok := ActiveAgents(State{Sysctls: map[string]string{sysctlActiveCount: "2"}}); n != 2 || !ok {
		t.Errorf("%d %v", n, ok)
	}
	if _, ok := ActiveAgents(State{OS: "linux"}); ok {
		t.Error("a Linux state has no agents count")
	}
}

func TestLineTime(t *testing.T) {
	at, ok := LineTime("2026-05-04 10:14:33.123456-0700 cfil_service_inject_queue:4472 CFIL: sosend() failed 22")
	if !ok || !at.Equal(time.Date(2026, 5, 4, 17, 14, 33, 123456000, time.UTC)) {
		t.Errorf("%v %v", at, ok)
	}
	if _, ok := LineTime("CFIL: no time"); ok {
		t.Error("a line without a time has one")
	}
}

func TestFilterConfigTables(t *testing.T) {
	for _, tt := range []struct {
		cfg   FilterConfig
		err   string
		where string
	}{
		{FilterConfig{Hook: "OUTPUT", Mode: Accept}, "", "OUTPUT"},
		{FilterConfig{Table: "mangle", Hook: "POSTROUTING", Mode: Accept}, "", "mangle POSTROUTING"},
		{FilterConfig{Hook: "POSTROUTING", Mode: Accept}, "want INPUT or OUTPUT", ""},
		{FilterConfig{Table: "nat", Hook: "OUTPUT", Mode: Accept}, `table "nat"`, ""},
	} {
		err := tt.cfg.validate()
		switch {
		case tt.err == "" && err != nil, tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%+v: %v, want %q", tt.cfg, err, tt.err)
		case tt.err == "" && tt.cfg.Where() != tt.where:
			t.Errorf("%+v: Where %q, want %q", tt.cfg, tt.cfg.Where(), tt.where)
		}
	}
	r := iptablesRule{tool: "iptables", table: "mangle", chain: "POSTROUTING", spec: []string{"-j", "NFQUEUE"}}
	if r.String() != "iptables -t mangle -A POSTROUTING -j NFQUEUE" {
		t.Errorf("%q", r.String())
	}
}
