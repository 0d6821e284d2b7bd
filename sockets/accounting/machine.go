package accounting

import (
	"fmt"
	"time"
)

// Machine is the machine's TCP control-block count before a churn check,
// with what it is measured against: a machine that already holds far more
// than a clean one does is leaking, and every churn verdict on it says so.
type Machine struct {
	// ControlBlocks is the count and Source what was read.
	ControlBlocks int64  `json:"control_blocks"`
	Source        string `json:"source"`
	// MemoryBytes is the machine's physical memory.
	MemoryBytes int64 `json:"memory_bytes"`
	// BootTime and Uptime say how long the count had to build up.
	BootTime time.Time `json:"boot_time,omitzero"`
	Uptime   float64   `json:"uptime_seconds"`
	// PerGiB is the threshold per GiB of memory (params.sockets
	// leaking_pcbs_per_gib) and Threshold that times the memory.
	PerGiB    int   `json:"threshold_per_gib"`
	Threshold int64 `json:"threshold"`
	// Leaking is true when ControlBlocks is above Threshold.
	Leaking bool     `json:"leaking"`
	Errors  []string `json:"errors,omitempty"`
}

// ReadMachine reads the count, the memory and the uptime (per OS:
// machine_*.go) and compares the count with perGiB per GiB of memory.
func ReadMachine(perGiB int) Machine {
	m := readMachine()
	m.PerGiB = perGiB
	m.judge()
	return m
}

// judge compares; without a threshold (perGiB 0) or a count nothing is
// named.
func (m *Machine) judge() {
	if m.PerGiB <= 0 || m.MemoryBytes <= 0 || m.Source == "" || len(m.Errors) > 0 {
		return
	}
	m.Threshold = int64(float64(m.PerGiB) * float64(m.MemoryBytes) / (1 << 30))
	m.Leaking = m.ControlBlocks > m.Threshold
}

// Note is what a churn check's reason adds on a leaking machine ("" on one
// that is not, or whose count could not be read).
func (m Machine) Note() string {
	if !m.Leaking {
		return ""
	}
	return fmt.Sprintf("the machine was already leaking before this check: %d TCP control blocks (%s) on %.1f GiB of memory, above %d per GiB (%d), %s after boot; read this verdict as from a tainted machine",
		m.ControlBlocks, m.Source, float64(m.MemoryBytes)/(1<<30), m.PerGiB, m.Threshold, Uptime(m.Uptime))
}

// Uptime words a number of seconds as days, hours and minutes.
func Uptime(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second))
	days := int(d / (24 * time.Hour))
	h := int(d%(24*time.Hour)) / int(time.Hour)
	m := int(d%time.Hour) / int(time.Minute)
	if days > 0 {
		return fmt.Sprintf("%dd %dh %dm", days, h, m)
	}
	return fmt.Sprintf("%dh %dm", h, m)
}
