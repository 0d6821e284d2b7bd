package accounting

import (
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/sockets/procstat"
)

// readMachine reads sockstat's TCP alloc: the TCP sockets allocated on the
// whole machine, every network namespace included (tcp_sockets_allocated,
// a global counter; net/ipv4/proc.c). Full sockets only: TIME_WAIT is
// counted per namespace apart, as on a Mac it is not. The SUT's own
// namespace is fresh for every check and starts near zero, so the machine
// is judged by this global count.
func readMachine() Machine {
	m := Machine{Source: "sockstat TCP alloc, all network namespaces"}
	if b, err := os.ReadFile("/proc/net/sockstat"); err != nil {
		m.Errors = append(m.Errors, err.Error())
	} else {
		c := map[string]int64{}
		procstat.ParseSockstat(b, "sockstat", c)
		v, ok := c["sockstat.TCP.alloc"]
		if !ok {
			m.Errors = append(m.Errors, "/proc/net/sockstat has no TCP alloc")
		}
		m.ControlBlocks = v
	}
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		m.Errors = append(m.Errors, "sysinfo: "+err.Error())
		return m
	}
	m.MemoryBytes = int64(si.Totalram) * int64(si.Unit)
	m.Uptime = float64(si.Uptime)
	m.BootTime = time.Now().Add(-time.Duration(si.Uptime) * time.Second).UTC().Truncate(time.Second)
	return m
}
