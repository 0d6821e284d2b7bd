package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netconform/netconform/sockets/procstat"
)

// linuxSampler reads /proc/net/sockstat{,6}, /proc/slabinfo (root only),
// the probe's memory cgroup usage and its own VmRSS. It keeps the files open
// and reads them into one reused buffer: a sample costs mostly the kernel's
// own work (slabinfo walks every cache), not the probe's.
type linuxSampler struct {
	sockstat, sockstat6, slabinfo, status, memcg *procFile
	buf                                          []byte
}

func newSampler() sampler {
	return &linuxSampler{
		sockstat:  openProc("/proc/net/sockstat"),
		sockstat6: openProc("/proc/net/sockstat6"),
		// Unreadable without root: the slab counters are then left out.
		slabinfo: openProc("/proc/slabinfo"),
		status:   openProc("/proc/self/status"),
		// The probe may be moved into its memory cgroup after start, so the
		// usage file is looked up at the first sample, not here.
		buf: make([]byte, 0, 256<<10),
	}
}

func (s *linuxSampler) sample(c map[string]int64) (errs []string) {
	if s.memcg == nil {
		s.memcg = openProc(memcgUsageFile())
	}
	var err error
	if s.buf, err = s.sockstat.read(s.buf); err == nil {
		procstat.ParseSockstat(s.buf, "sockstat", c)
	} else {
		errs = append(errs, err.Error())
	}
	if s.buf, err = s.sockstat6.read(s.buf); err == nil {
		procstat.ParseSockstat(s.buf, "sockstat6", c)
	} else {
		errs = append(errs, err.Error())
	}
	if s.buf, err = s.slabinfo.read(s.buf); err == nil {
		procstat.ParseSlabinfo(s.buf, c)
	} else {
		errs = append(errs, err.Error())
	}
	if s.buf, err = s.status.read(s.buf); err == nil {
		if rss, ok := parseVmRSS(s.buf); ok {
			c["proc.rss_bytes"] = rss
		}
	}
	if s.buf, err = s.memcg.read(s.buf); err == nil {
		if v, err := strconv.ParseInt(strings.TrimSpace(string(s.buf)), 10, 64); err == nil {
			c["memcg.usage_bytes"] = v
		}
	}
	return errs
}

// procFile is a /proc or cgroup file kept open and re-read from offset 0
// (seq_file and kernfs restart their text at 0).
type procFile struct {
	name string
	f    *os.File
	err  error
}

func openProc(name string) *procFile {
	if name == "" {
		return &procFile{err: errors.New("no memory cgroup usage file")}
	}
	f, err := os.Open(name)
	return &procFile{name: name, f: f, err: err}
}

// read returns the whole file in buf[:0], growing buf if it must.
func (p *procFile) read(buf []byte) ([]byte, error) {
	if p.err != nil {
		return buf[:0], p.err
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := p.f.ReadAt(buf[len(buf):cap(buf)], int64(len(buf)))
		buf = buf[:len(buf)+n]
		if err == io.EOF || (err == nil && n == 0) {
			return buf, nil
		}
		if err != nil {
			return buf, fmt.Errorf("%s: %w", p.name, err)
		}
	}
}

// memcgUsageFile finds the usage file of the probe's memory cgroup: v1
// memory.usage_in_bytes under the memory hierarchy, or v2 memory.current
// under the unified one (at /sys/fs/cgroup, or /sys/fs/cgroup/unified on a
// hybrid system). "" when there is none (the root group has no usage file).
func memcgUsageFile() string {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return ""
	}
	path, v1 := parseMemoryCgroup(b)
	if path == "" {
		return ""
	}
	candidates := []string{
		filepath.Join("/sys/fs/cgroup", path, "memory.current"),
		filepath.Join("/sys/fs/cgroup/unified", path, "memory.current"),
	}
	if v1 {
		candidates = []string{filepath.Join("/sys/fs/cgroup/memory", path, "memory.usage_in_bytes")}
	}
	for _, f := range candidates {
		if _, err := os.Stat(f); err == nil {
			return f
		}
	}
	return ""
}
