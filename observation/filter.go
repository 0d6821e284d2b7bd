package observation

// Attribution is the content-filter evidence a socket check attaches: the
// states around the check's window, the kernel log lines in it, and the
// conclusion (cfil.Attribution is this type; cfil fills it).
type Attribution struct {
	Before FilterState `json:"before"`
	After  FilterState `json:"after"`
	// LogLines are the macOS kernel log CFIL lines in the window
	// ("<timestamp> <message>").
	LogLines []string `json:"log_lines,omitempty"`
	// FilterOnPath: Linux: a queue rule matched the SUT's traffic or queue
	// counters moved; macOS: active_count > 0 or sock_attached_count moved.
	FilterOnPath bool `json:"filter_on_path"`
	// ReinjectFailure (macOS): "sosend_reinject() failed, errno 22 (EINVAL)".
	ReinjectFailure string `json:"reinject_failure,omitempty"`
	// Summary is one sentence for the report.
	Summary string `json:"summary"`
	// Errors are the problems of collecting the window itself (the log).
	Errors []string `json:"errors,omitempty"`
}

// FilterState is the content-filter evidence at one moment (cfil.State).
type FilterState struct {
	OS string `json:"os"`
	// Linux: the queueing rules in the SUT's namespace, each prefixed by its
	// source ("iptables filter: [pkts:bytes] -A OUTPUT ... -j NFQUEUE ...",
	// "ip6tables ...", "nft table ip filter chain OUTPUT: ... queue num 3"),
	// and the rows of /proc/net/netfilter/nfnetlink_queue.
	Rules  []string        `json:"rules,omitempty"`
	Queues []QueueCounters `json:"queues,omitempty"`
	// Filters are the user-space filters this process runs on the SUT, with
	// their own verdict counts.
	Filters []UserFilterState `json:"filters,omitempty"`
	// macOS: the net.cfil.* sysctls (active_count, sock_attached_count, ...)
	// and the decoded net.cfil.stats counters.
	Sysctls map[string]string `json:"sysctls,omitempty"`
	Stats   map[string]int64  `json:"stats,omitempty"`
	// Errors says what could not be read: missing evidence is never silently
	// empty.
	Errors []string `json:"errors,omitempty"`
}

// QueueCounters is one row of /proc/net/netfilter/nfnetlink_queue
// (cfil.QueueCounters).
type QueueCounters struct {
	Queue       uint16 `json:"queue"`
	PortID      uint32 `json:"portid"`        // netlink port of the program holding the queue
	Waiting     uint32 `json:"queue_total"`   // packets waiting for a verdict now
	CopyMode    uint8  `json:"copy_mode"`     // 0 none, 1 meta, 2 packet
	CopyRange   uint32 `json:"copy_range"`    // bytes of each packet copied to user space
	Dropped     uint32 `json:"queue_dropped"` // dropped by the kernel: queue full
	UserDropped uint32 `json:"user_dropped"`  // dropped by the kernel: netlink send to the program failed
	IDSequence  uint32 `json:"id_sequence"`   // last packet id: how many packets were ever queued
}

// UserFilterState is a running user-space filter as a snapshot records it:
// the filter's own account of its verdicts, which the kernel's queue
// counters cannot give (cfil.FilterState).
type UserFilterState struct {
	Queue uint16 `json:"queue"`
	// Table is the iptables table when it is not filter ("mangle").
	Table string     `json:"table,omitempty"`
	Hook  string     `json:"hook"`
	Mode  FilterMode `json:"mode"`
	FilterStats
}

// FilterMode is what a user-space filter decides for the packets it is given
// (cfil.Mode; the modes are cfil's).
type FilterMode string

// FilterStats counts what a user-space filter was given and decided
// (cfil.FilterStats).
type FilterStats struct {
	Seen     int `json:"seen"`
	Accepted int `json:"accepted"`
	Dropped  int `json:"dropped"`
	// Held counts the packets a holding filter (hold-first-per-flow) kept
	// back before accepting them.
	Held int `json:"held,omitempty"`
	// DroppedFlows names the flow of every dropped packet, in order:
	// "udp 192.0.2.1:40000 -> 192.0.2.1:40000".
	DroppedFlows []string `json:"dropped_flows,omitempty"`
}
