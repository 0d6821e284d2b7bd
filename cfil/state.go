package cfil

// State is the content-filter evidence at one moment.
type State struct {
	OS string `json:"os"`
	// Linux: the queueing rules in the SUT's namespace, each prefixed by its
	// source ("iptables filter: [pkts:bytes] -A OUTPUT ... -j NFQUEUE ...",
	// "ip6tables ...", "nft table ip filter chain OUTPUT: ... queue num 3"),
	// and the rows of /proc/net/netfilter/nfnetlink_queue.
	Rules  []string        `json:"rules,omitempty"`
	Queues []QueueCounters `json:"queues,omitempty"`
	// Filters are the user-space filters this process runs on the SUT, with
	// their own verdict counts.
	Filters []FilterState `json:"filters,omitempty"`
	// macOS: the net.cfil.* sysctls (active_count, sock_attached_count, ...)
	// and the decoded net.cfil.stats counters.
	Sysctls map[string]string `json:"sysctls,omitempty"`
	Stats   map[string]int64  `json:"stats,omitempty"`
	// Errors says what could not be read: missing evidence is never silently
	// empty.
	Errors []string `json:"errors,omitempty"`
}

// Attribution is what the socket checks attach: the states around the
// check's window, the kernel log lines in it, and the conclusion.
type Attribution struct {
	Before State `json:"before"`
	After  State `json:"after"`
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
