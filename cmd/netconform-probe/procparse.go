package main

// Parsers for the probe's own /proc files (sockstat and slabinfo parsing is
// in sockets/procstat). No build tag: the tests run on any OS.

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

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
