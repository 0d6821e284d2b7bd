package main

import (
	"context"
	"os/exec"
	"time"

	"golang.org/x/sys/unix"
)

// darwinCBCounter counts the machine's TCP control blocks:
// net.inet.tcp.pcbcount is tcbinfo.ipi_count (xnu bsd/netinet/tcp_subr.c),
// incremented in in_pcballoc and decremented only in in_pcbremlists when
// the PCB is disposed of (bsd/netinet/in_pcb.c). It covers IPv4 and IPv6
// alike and keeps a PCB counted while it is in TIME_WAIT (tcp_timer.c,
// add_to_time_wait_locked moves it to tcp_tw_tailq and counts it in
// ipi_twcount, which no sysctl exports) and after close until the PCB
// garbage collector disposes of it, about 1 s later or up to 10 s when the
// timer is lazy (in_pcb.c, inpcb_gc_sched). TIME_WAIT is therefore counted
// from `netstat -an -p tcp`, whose list (net.inet.tcp.pcblist_n,
// in_pcblist.c get_pcblist_n) includes the TIME_WAIT PCBs and skips dead
// ones, and subtracted.
type darwinCBCounter struct{}

func newCBCounter() cbCounter { return darwinCBCounter{} }

func (darwinCBCounter) describe() cbDescription {
	return cbDescription{
		source:   "net.inet.tcp.pcbcount (the whole machine, IPv4 and IPv6)",
		timeWait: "xnu counts TIME_WAIT PCBs in pcbcount: the TIME_WAIT lines of netstat -an -p tcp are subtracted",
		machine:  true, timeWaitIncluded: true,
	}
}

func (darwinCBCounter) count() (total, timeWait int64, err error) {
	v, err := unix.SysctlUint32("net.inet.tcp.pcbcount")
	if err != nil {
		return 0, 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "netstat", "-an", "-p", "tcp").Output()
	if err != nil {
		return int64(v), 0, err
	}
	return int64(v), countTimeWait(out), nil
}
