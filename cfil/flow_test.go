package cfil

import (
	"encoding/hex"
	"testing"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFlowOf(t *testing.T) {
	const (
		// IPv4 UDP 192.0.2.1:40000 -> 192.0.2.1:40001, 8 bytes of payload.
		ipv4UDP = "450000240000400040110000" + "c0000201" + "c0000201" + "9c409c41" + "00100000" + "68656c6c6f203100"
		// IPv6 UDP [2001:db8::1]:53 -> [2001:db8::2]:5353.
		ipv6UDP = "6000000000081140" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002" + "003514e900080000"
		// IPv4 ICMP echo 198.51.100.1 -> 203.0.113.9.
		ipv4ICMP = "4500001c000000004001" + "0000" + "c6336401" + "cb007109" + "0800f7ff00000000"
	)
	tests := []struct {
		name, pkt, want string
	}{
		{"ipv4 udp", ipv4UDP, "udp 192.0.2.1:40000 -> 192.0.2.1:40001"},
		{"ipv6 udp", ipv6UDP, "udp [2001:db8::1]:53 -> [2001:db8::2]:5353"},
		{"icmp has no ports", ipv4ICMP, "icmp 198.51.100.1 -> 203.0.113.9"},
		{"ipv4 header only", ipv4UDP[:40], "udp 192.0.2.1 -> 192.0.2.1"},
		{"truncated ipv4", ipv4UDP[:20], "truncated IPv4 packet (10 bytes)"},
		{"truncated ipv6", ipv6UDP[:20], "truncated IPv6 packet (10 bytes)"},
		{"not ip", "20", "IP version 2 packet"},
		{"empty", "", "empty packet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := flowOf(mustHex(t, tt.pkt)); got != tt.want {
				t.Errorf("flowOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSourcePort(t *testing.T) {
	const (
		ipv4UDP  = "450000240000400040110000" + "c0000201" + "c0000201" + "9c409c41" + "00100000"
		ipv6UDP  = "6000000000081140" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002" + "003514e900080000"
		ipv4ICMP = "4500001c000000004001" + "0000" + "c6336401" + "cb007109" + "0800f7ff00000000"
	)
	for _, tt := range []struct {
		pkt  string
		port uint16
		ok   bool
	}{{ipv4UDP, 40000, true}, {ipv6UDP, 53, true}, {ipv4ICMP, 0, false}, {ipv4UDP[:40], 0, false}, {"", 0, false}} {
		if p, ok := sourcePort(mustHex(t, tt.pkt)); p != tt.port || ok != tt.ok {
			t.Errorf("%s: %d %v, want %d %v", tt.pkt, p, ok, tt.port, tt.ok)
		}
	}
	v := newVerdicts(Accept)
	v.sawFrom(40000)
	v.sawFrom(40000)
	v.sawFrom(53)
	if v.seenFrom([]uint16{40000, 9}) != 2 || v.seenFrom([]uint16{53, 40000}) != 3 {
		t.Errorf("seenFrom: %v", v.from)
	}
}
