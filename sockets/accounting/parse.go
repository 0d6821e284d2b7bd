package accounting

import (
	"strconv"
	"strings"

	"github.com/netconform/netconform/macos"
	"github.com/netconform/netconform/sockets/procstat"
)

// ParseLinux reads sockstat, sockstat6 and slabinfo with the probe's own
// parsers, so the snapshots and the probe's samples name counters alike
// ("sockstat.TCP.inuse", "slab.TCPv6.active_objs").
func ParseLinux(sockstat, sockstat6, slabinfo string, into map[string]int64) {
	procstat.ParseSockstat([]byte(sockstat), "sockstat", into)
	procstat.ParseSockstat([]byte(sockstat6), "sockstat6", into)
	procstat.ParseSlabinfo([]byte(slabinfo), into)
}

// ParseDarwin reads the macOS sources: `sysctl` lines (pcbcounts, kern.ipc),
// `netstat -m` and `zprint socket`.
func ParseDarwin(sysctl, netstatM, zprint string, into map[string]int64) {
	for name, v := range macos.SysctlMap(sysctl) {
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			into[name] = n
		}
	}
	if m, err := macos.ParseNetstatM(netstatM); err == nil {
		into["mbuf.in_use"] = m.MbufsInUse
		if m.HasDenied {
			into["mbuf.requests.denied"] = m.Denied
		}
	}
	if z, ok := macos.FindZone(macos.ParseZprint(zprint), "socket"); ok {
		into["zone.socket.inuse"] = z.InUse
		into["zone.socket.cur_size"] = z.CurSize
	}
}
