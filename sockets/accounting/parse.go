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

// ParseDarwin reads the macOS sources: `sysctl` lines (the pcb counts),
// `netstat -m` and zprint's rows for the socket zones (darwinZones; zprint
// holds the output of each call).
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
	zones := macos.ParseZprint(zprint)
	for _, d := range darwinZones {
		if z, ok := macos.FindZone(zones, d.zone); ok {
			into[d.counter+".inuse"] = z.InUse
			into[d.counter+".cur_size"] = z.Size()
		}
	}
}
