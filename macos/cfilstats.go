package macos

import (
	"encoding/binary"
	"fmt"
)

// struct cfil_stats, returned by the net.cfil.stats sysctl, as declared in xnu bsd/net/content_filter.h.
// Checked at tags xnu-10063.141.1, xnu-11215.61.5 and xnu-11417.121.6 (identical in all three): 59 int32_t
// counters, then 10 int64_t counters each __attribute__((aligned(8))), so 4 bytes of padding after the
// int32s and 320 bytes in all. (The darwin note's "60 int32" miscounts; the size happens to agree because
// of that padding.) Names below are the header's without the "cfs_" prefix, in declaration order.
var (
	cfilStatsInt32Names = [...]string{
		"ctl_connect_ok", "ctl_connect_fail", "ctl_disconnect_ok", "ctl_disconnect_fail", "ctl_send_ok",
		"ctl_send_bad", "ctl_rcvd_ok", "ctl_rcvd_bad", "ctl_rcvd_flow_lift", "ctl_action_data_update",
		"ctl_action_drop", "ctl_action_bad_op", "ctl_action_bad_len", "sock_id_not_found", "cfi_alloc_ok",
		"cfi_alloc_fail", "sock_userspace_only", "sock_attach_in_vain", "sock_attach_already", "sock_attach_no_mem",
		"sock_attach_failed", "sock_attached", "sock_detached", "attach_event_ok", "attach_event_flow_control",
		"attach_event_fail", "closed_event_ok", "closed_event_flow_control", "closed_event_fail", "data_event_ok",
		"data_event_flow_control", "data_event_fail", "stats_event_ok", "stats_event_flow_control",
		"stats_event_fail", "disconnect_in_event_ok", "disconnect_out_event_ok", "disconnect_event_flow_control",
		"disconnect_event_fail", "ctl_q_not_started", "close_wait", "close_wait_timeout", "flush_in_drop",
		"flush_out_drop", "flush_in_close", "flush_out_close", "flush_in_free", "flush_out_free", "inject_q_nomem",
		"inject_q_nobufs", "inject_q_detached", "inject_q_in_fail", "inject_q_out_fail", "inject_q_in_retry",
		"inject_q_out_retry", "data_in_control", "data_in_oob", "data_out_control", "data_out_oob",
	}
	cfilStatsInt64Names = [...]string{
		"ctl_q_in_enqueued", "ctl_q_out_enqueued", "ctl_q_in_peeked", "ctl_q_out_peeked", "pending_q_in_enqueued",
		"pending_q_out_enqueued", "inject_q_in_enqueued", "inject_q_out_enqueued", "inject_q_in_passed",
		"inject_q_out_passed",
	}
)

const (
	cfilStatsInt64Offset = (len(cfilStatsInt32Names)*4 + 7) &^ 7 // aligned(8)
	// CfilStatsSize is sizeof(struct cfil_stats) on both Mac architectures.
	CfilStatsSize = cfilStatsInt64Offset + len(cfilStatsInt64Names)*8
)

// CfilCounter is one named counter of struct cfil_stats.
type CfilCounter struct {
	Name  string // header name without "cfs_", e.g. "inject_q_nobufs"
	Value int64
}

// CfilStats is a decoded struct cfil_stats, counters in header order.
type CfilStats struct {
	Counters []CfilCounter
}

// Get returns the counter called name (e.g. "inject_q_out_fail").
func (s CfilStats) Get(name string) (int64, bool) {
	for _, c := range s.Counters {
		if c.Name == name {
			return c.Value, true
		}
	}
	return 0, false
}

// Map returns the counters by name, for reports.
func (s CfilStats) Map() map[string]int64 {
	m := make(map[string]int64, len(s.Counters))
	for _, c := range s.Counters {
		m[c.Name] = c.Value
	}
	return m
}

// Sub returns s - before, counter by counter: the activity between two samples.
func (s CfilStats) Sub(before CfilStats) CfilStats {
	prev := before.Map()
	out := CfilStats{Counters: make([]CfilCounter, len(s.Counters))}
	for i, c := range s.Counters {
		out.Counters[i] = CfilCounter{Name: c.Name, Value: c.Value - prev[c.Name]}
	}
	return out
}

// DecodeCfilStats decodes the raw bytes of net.cfil.stats (little-endian, as on arm64 and x86_64). A
// different length means the structure changed in this kernel: that is an error, not a guess.
func DecodeCfilStats(b []byte) (CfilStats, error) {
	if len(b) != CfilStatsSize {
		return CfilStats{}, fmt.Errorf("macos: net.cfil.stats is %d bytes, struct cfil_stats of xnu-11417 is %d", len(b), CfilStatsSize)
	}
	s := CfilStats{Counters: make([]CfilCounter, 0, len(cfilStatsInt32Names)+len(cfilStatsInt64Names))}
	for i, name := range cfilStatsInt32Names {
		v := int32(binary.LittleEndian.Uint32(b[i*4:]))
		s.Counters = append(s.Counters, CfilCounter{Name: name, Value: int64(v)})
	}
	for i, name := range cfilStatsInt64Names {
		v := int64(binary.LittleEndian.Uint64(b[cfilStatsInt64Offset+i*8:]))
		s.Counters = append(s.Counters, CfilCounter{Name: name, Value: v})
	}
	return s, nil
}

// ParseCfilStatsSysctl decodes `sysctl -x net.cfil.stats` output.
func ParseCfilStatsSysctl(out string) (CfilStats, error) {
	o, err := ParseSysctlOpaque(out)
	if err != nil {
		return CfilStats{}, err
	}
	return DecodeCfilStats(o.Data)
}
