// Package procstat parses the Linux /proc files that account for sockets:
// sockstat, sockstat6 and slabinfo. It is shared by the churn probe, which
// samples them some fifty times during a loop (hence the care for speed), and
// by the before/after accounting snapshots, so both name counters alike. No
// build tag: the tests run anywhere from fixtures in testdata/.
package procstat

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// ParseSockstat reads /proc/net/sockstat or sockstat6 text ("TCP: inuse 1
// orphan 0 tw 0 alloc 1 mem 0") into counters named prefix.PROTO.field.
func ParseSockstat(text []byte, prefix string, into map[string]int64) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		proto, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseInt(f[i+1], 10, 64); err == nil {
				into[prefix+"."+proto+"."+f[i]] = v
			}
		}
	}
}

// SlabCaches are the caches a socket's life touches: the protocol's sock
// objects and the socket inode.
var SlabCaches = []string{"TCPv6", "TCP", "UDPv6", "UDP", "sock_inode_cache"}

// ParseSlabinfo reads /proc/slabinfo (version 2.1: name active_objs num_objs
// objsize ...) into slab.<cache>.active_objs and slab.<cache>.num_objs for the
// caches in SlabCaches. It splits only the lines it wants: slabinfo has a few
// hundred lines and the probe reads it some fifty times during a loop.
func ParseSlabinfo(text []byte, into map[string]int64) {
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		name := slabCacheOf(line)
		if name == "" {
			continue
		}
		f := strings.Fields(string(line))
		if len(f) < 3 {
			continue
		}
		active, err1 := strconv.ParseInt(f[1], 10, 64)
		total, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		into["slab."+name+".active_objs"] = active
		into["slab."+name+".num_objs"] = total
	}
}

// slabCacheOf returns the cache in SlabCaches that line describes, or "".
func slabCacheOf(line []byte) string {
	for _, c := range SlabCaches {
		if len(line) > len(c) && string(line[:len(c)]) == c && (line[len(c)] == ' ' || line[len(c)] == '\t') {
			return c
		}
	}
	return ""
}
