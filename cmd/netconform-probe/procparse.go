package main

// Parsers for Linux /proc text. They have no build tag so their tests run on
// any OS from fixtures in testdata/.

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// parseSockstat reads /proc/net/sockstat or sockstat6 text ("TCP: inuse 1
// orphan 0 tw 0 alloc 1 mem 0") into counters named prefix.PROTO.field.
func parseSockstat(text []byte, prefix string, into map[string]int64) {
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

// slabCaches are the caches a socket's life touches: the protocol's sock
// objects and the socket inode.
var slabCaches = []string{"TCPv6", "TCP", "UDPv6", "UDP", "sock_inode_cache"}

// parseSlabinfo reads /proc/slabinfo (version 2.1: name active_objs num_objs
// objsize ...) into slab.<cache>.active_objs and slab.<cache>.num_objs for the
// caches in slabCaches. It splits only the lines it wants: slabinfo has a few
// hundred lines and the probe reads it some fifty times during a loop.
func parseSlabinfo(text []byte, into map[string]int64) {
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

// slabCacheOf returns the cache in slabCaches that line describes, or "".
func slabCacheOf(line []byte) string {
	for _, c := range slabCaches {
		if len(line) > len(c) && string(line[:len(c)]) == c && (line[len(c)] == ' ' || line[len(c)] == '\t') {
			return c
		}
	}
	return ""
}

// parseVmRSS returns VmRSS from /proc/self/status, in bytes.
func parseVmRSS(text []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			return 0, false
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		return kb << 10, err == nil
	}
	return 0, false
}

// parseMemoryCgroup returns the probe's memory cgroup path from
// /proc/self/cgroup: the v1 line naming the memory controller if there is
// one ("4:memory:/a/b"), else the v2 line ("0::/a/b").
func parseMemoryCgroup(text []byte) (path string, v1 bool) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), ":", 3)
		if len(f) != 3 {
			continue
		}
		if f[1] == "" && f[0] == "0" && path == "" {
			path = f[2]
		}
		for _, c := range strings.Split(f[1], ",") {
			if c == "memory" {
				return f[2], true
			}
		}
	}
	return path, false
}
