package accounting

import (
	"time"

	"golang.org/x/sys/unix"
)

// readMachine reads net.inet.tcp.pcbcount (tcbinfo.ipi_count, xnu
// bsd/netinet/tcp_subr.c: every TCP PCB not yet disposed of, TIME_WAIT
// included: the figure bun's CI watches), hw.memsize and kern.boottime.
func readMachine() Machine {
	m := Machine{Source: "net.inet.tcp.pcbcount"}
	if v, err := unix.SysctlUint32("net.inet.tcp.pcbcount"); err != nil {
		m.Errors = append(m.Errors, "net.inet.tcp.pcbcount: "+err.Error())
	} else {
		m.ControlBlocks = int64(v)
	}
	if v, err := unix.SysctlUint64("hw.memsize"); err != nil {
		m.Errors = append(m.Errors, "hw.memsize: "+err.Error())
	} else {
		m.MemoryBytes = int64(v)
	}
	if tv, err := unix.SysctlTimeval("kern.boottime"); err != nil {
		m.Errors = append(m.Errors, "kern.boottime: "+err.Error())
	} else {
		m.BootTime = time.Unix(tv.Unix()).UTC()
		m.Uptime = time.Since(m.BootTime).Seconds()
	}
	return m
}
