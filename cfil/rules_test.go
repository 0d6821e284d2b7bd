package cfil

import (
	"maps"
	"slices"
	"testing"
)

func TestQueueRules(t *testing.T) {
	got := linuxFixtureState(t, "after").Rules
	want := []string{
		"iptables filter: [3:87] -A OUTPUT -p udp -j NFQUEUE --queue-num 3 --queue-bypass",
		"ip6tables filter: [0:0] -A INPUT -p udp -j NFQUEUE --queue-num 4 --queue-bypass",
		"nft table ip filter chain OUTPUT: meta l4proto udp counter packets 3 bytes 87 queue num 3 bypass",
		"nft table ip6 filter chain INPUT: meta l4proto udp counter packets 0 bytes 0 queue num 4 bypass",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules\n%q\nwant\n%q", got, want)
	}
}

func TestRuleHits(t *testing.T) {
	before, after := linuxFixtureState(t, "before").Rules, linuxFixtureState(t, "after").Rules
	tests := []struct {
		name          string
		before, after []string
		want          map[string]int64
	}{
		{"traffic through queue 3", before, after, map[string]int64{
			"iptables filter: -A OUTPUT -p udp -j NFQUEUE --queue-num 3 --queue-bypass":     3,
			"nft table ip filter chain OUTPUT: meta l4proto udp counter queue num 3 bypass": 3,
		}},
		{"no traffic", before, before, map[string]int64{}},
		{"rule added in the window counts from zero", nil, after[:1], map[string]int64{
			"iptables filter: -A OUTPUT -p udp -j NFQUEUE --queue-num 3 --queue-bypass": 3,
		}},
		{"rule without counters", nil, []string{"nft table ip t chain c: queue num 2"}, map[string]int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleHits(tt.before, tt.after); !maps.Equal(got, tt.want) {
				t.Errorf("hits %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRuleQueue(t *testing.T) {
	tests := []struct {
		line string
		want uint16
		ok   bool
	}{
		{"iptables filter: [0:0] -A OUTPUT -j NFQUEUE --queue-num 3", 3, true},
		{"iptables filter: [0:0] -A OUTPUT -j NFQUEUE", 0, true},
		{"iptables mangle: [0:0] -A INPUT -j NFQUEUE --queue-balance 2:5", 2, true},
		{"nft table inet t chain c: queue flags bypass to 7", 7, true},
		{"nft table inet t chain c: counter accept", 0, false},
	}
	for _, tt := range tests {
		if got, ok := ruleQueue(tt.line); got != tt.want || ok != tt.ok {
			t.Errorf("ruleQueue(%q) = %d, %v; want %d, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}
