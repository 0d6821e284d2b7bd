package accounting

import (
	"bufio"
	"strconv"
	"strings"

	"github.com/netconform/netconform/macos"
)

// ParseSockstat reads Linux's /proc/net/sockstat and sockstat6 ("TCP: inuse 3
// orphan 0 tw 0 alloc 5 mem 1") into counters named "tcp.inuse" and so on;
// "sockets: used 120" gives "sockets.used".
func ParseSockstat(text string, into map[string]int64) {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		proto, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseInt(f[i+1], 10, 64); err == nil {
				into[strings.ToLower(proto)+"."+f[i]] = v
			}
		}
	}
}

// slabCaches are the socket caches worth following in /proc/slabinfo.
var slabCaches = map[string]bool{"TCPv6": true, "TCP": true, "UDPv6": true, "UDP": true, "sock_inode_cache": true}

// ParseSlabinfo reads /proc/slabinfo's active object counts of the socket
// caches, as "slab.TCPv6.active" and so on.
func ParseSlabinfo(text string, into map[string]int64) {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || !slabCaches[f[0]] {
			continue
		}
		if v, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			into["slab."+f[0]+".active"] = v
		}
	}
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
