package accounting

import (
	"runtime"
	"strings"
	"testing"
)

func TestMachineJudge(t *testing.T) {
	tests := []struct {
		name    string
		m       Machine
		leaking bool
		note    []string
	}{
		// bun's host: 64,728 TCP PCBs nobody owned, on a 8 GiB runner.
		{"bun's host", Machine{ControlBlocks: 64728, Source: "net.inet.tcp.pcbcount", MemoryBytes: 8 << 30, Uptime: 3*86400 + 7200}, true,
			[]string{"already leaking", "64728 TCP control blocks (net.inet.tcp.pcbcount)", "8.0 GiB", "above 5000 per GiB (40000)", "3d 2h 0m after boot"}},
		{"clean", Machine{ControlBlocks: 120, Source: "x", MemoryBytes: 8 << 30}, false, nil},
		{"at the threshold", Machine{ControlBlocks: 40000, Source: "x", MemoryBytes: 8 << 30}, false, nil},
		{"unread", Machine{ControlBlocks: 1 << 40, Source: "x", MemoryBytes: 8 << 30, Errors: []string{"no"}}, false, nil},
		{"no memory figure", Machine{ControlBlocks: 1 << 40, Source: "x"}, false, nil},
		{"no threshold", Machine{ControlBlocks: 1 << 40, Source: "x", MemoryBytes: 8 << 30, PerGiB: -1}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			if m.PerGiB == 0 {
				m.PerGiB = 5000
			} else {
				m.PerGiB = 0
			}
			m.judge()
			if m.Leaking != tt.leaking {
				t.Fatalf("leaking %v, want %v (threshold %d)", m.Leaking, tt.leaking, m.Threshold)
			}
			note := m.Note()
			if !tt.leaking && note != "" {
				t.Errorf("note on a clean machine: %s", note)
			}
			for _, w := range tt.note {
				if !strings.Contains(note, w) {
					t.Errorf("note %q lacks %q", note, w)
				}
			}
		})
	}
}

func TestReadMachineHere(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads Linux sources")
	}
	m := ReadMachine(5000)
	if len(m.Errors) > 0 || m.MemoryBytes <= 0 || m.Uptime <= 0 || m.Threshold <= 0 || m.BootTime.IsZero() {
		t.Fatalf("%+v", m)
	}
	t.Logf("%d TCP sockets allocated, %.1f GiB, up %s, threshold %d, leaking %v", m.ControlBlocks, float64(m.MemoryBytes)/(1<<30), Uptime(m.Uptime), m.Threshold, m.Leaking)
}
