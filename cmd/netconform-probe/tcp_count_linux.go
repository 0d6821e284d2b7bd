package main

import (
	"errors"
	"io/fs"

	"github.com/netconform/netconform/sockets/procstat"
)

// linuxCBCounter counts the SUT namespace's TCP control blocks: sockstat's
// TCP inuse plus sockstat6's TCP6 inuse. Both are per network namespace
// (sock_prot_inuse_get(net, ...) in net/ipv4/proc.c and net/ipv6/proc.c)
// and count every hashed full socket: listening, connecting, established,
// closing, orphaned (FIN_WAIT1, LAST_ACK...). TIME_WAIT is not in them:
// once a connection enters TIME_WAIT (or an orphan enters FIN_WAIT2) its
// socket is replaced by a small inet_timewait_sock, counted apart as
// sockstat's TCP tw (per namespace: tcp_death_row.tw_refcount - 1). The
// sum of the two inuse counters also stays right when a dual-stack socket
// is accounted under one protocol and released under the other.
type linuxCBCounter struct {
	sockstat, sockstat6 *procFile
	buf                 []byte
	counters            map[string]int64
}

func newCBCounter() cbCounter {
	return &linuxCBCounter{
		sockstat:  openProc("/proc/net/sockstat"),
		sockstat6: openProc("/proc/net/sockstat6"),
		buf:       make([]byte, 0, 4096),
		counters:  map[string]int64{},
	}
}

func (c *linuxCBCounter) describe() cbDescription {
	return cbDescription{
		source:   "sockstat TCP inuse + sockstat6 TCP6 inuse of the SUT's network namespace",
		timeWait: "sockstat counts TIME_WAIT apart (TCP tw), never in inuse",
	}
}

func (c *linuxCBCounter) count() (total, timeWait int64, err error) {
	clear(c.counters)
	if c.buf, err = c.sockstat.read(c.buf); err != nil {
		return 0, 0, err
	}
	procstat.ParseSockstat(c.buf, "sockstat", c.counters)
	// A kernel without IPv6 has no sockstat6: nothing to add then.
	if c.buf, err = c.sockstat6.read(c.buf); err == nil {
		procstat.ParseSockstat(c.buf, "sockstat6", c.counters)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, 0, err
	}
	return c.counters["sockstat.TCP.inuse"] + c.counters["sockstat6.TCP6.inuse"], c.counters["sockstat.TCP.tw"], nil
}
