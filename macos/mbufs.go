package macos

import (
	"fmt"
	"strconv"
	"strings"
)

// MbufStats is what `netstat -m` prints on macOS (network_cmds netstat.tproj/mbuf.c). Counters that the
// output lacked stay zero with their Has* flag false: some versions print a line only when non-zero.
type MbufStats struct {
	MbufsInUse, MbufsTotal int64
	Clusters               map[string][2]int64 // "2KB" -> {in use, total}
	KBAllocated            int64
	PercentInUse           float64
	KBReturned             int64
	Denied                 int64 // "requests for memory denied": allocations the kernel refused
	Delayed                int64
	Drains                 int64
	HasDenied              bool
	Raw                    []string
}

// ParseNetstatM reads `netstat -m` output. It fails only when no known line is present.
func ParseNetstatM(out string) (MbufStats, error) {
	s := MbufStats{Clusters: map[string][2]int64{}}
	known := 0
	for _, line := range splitLines(out) {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		s.Raw = append(s.Raw, line)
		f := strings.Fields(t)
		first := f[0]
		switch {
		case strings.HasSuffix(t, "mbufs in use:"):
			s.MbufsInUse, s.MbufsTotal = parseRatio(first)
		case len(f) >= 5 && f[1] == "mbuf" && strings.HasSuffix(t, "clusters in use"):
			in, total := parseRatio(first)
			s.Clusters[f[2]] = [2]int64{in, total}
		case strings.Contains(t, "KB allocated to network"):
			s.KBAllocated, _ = strconv.ParseInt(first, 10, 64)
			if i := strings.Index(t, "("); i >= 0 {
				pct, _, _ := strings.Cut(t[i+1:], "%")
				s.PercentInUse, _ = strconv.ParseFloat(pct, 64)
			}
		case strings.HasSuffix(t, "KB returned to the system"):
			s.KBReturned, _ = strconv.ParseInt(first, 10, 64)
		case strings.HasSuffix(t, "requests for memory denied"):
			s.Denied, _ = strconv.ParseInt(first, 10, 64)
			s.HasDenied = true
		case strings.HasSuffix(t, "requests for memory delayed"):
			s.Delayed, _ = strconv.ParseInt(first, 10, 64)
		case strings.HasSuffix(t, "calls to drain routines") || strings.HasSuffix(t, "calls to protocol drain routines"):
			s.Drains, _ = strconv.ParseInt(first, 10, 64)
		default:
			continue
		}
		known++
	}
	if known == 0 {
		return s, fmt.Errorf("macos: no netstat -m lines in %d lines of input", len(s.Raw))
	}
	return s, nil
}

// parseRatio reads "4058/4550".
func parseRatio(s string) (int64, int64) {
	a, b, _ := strings.Cut(s, "/")
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return x, y
}

// ZoneStats is one row of zprint(1) (system_cmds zprint/zprint.c, colprintzone): element size, current and
// maximum zone size, current and maximum element count, elements in use, allocation size and count, then
// flag letters (X exhaustible, C collectable). Sizes printed as "1312K" are converted to bytes. zprint
// prints "-------" for the maximum size and element count of a zone whose maximum is preposterous: those
// are -1 here.
type ZoneStats struct {
	Name       string // as printed: zprint replaces spaces with '.' ("socache.zone")
	ElemSize   int64
	CurSize    int64
	MaxSize    int64
	CurElts    int64
	MaxElts    int64
	InUse      int64
	AllocSize  int64
	AllocCount int64
	Flags      string
	Raw        string
}

// Size is the memory the zone's elements in use take at least. zprint prints the zone's current size
// (mzi_cur_size / 1024 with a "K"), but mach_memory_info zeroes every size for a caller without the host
// privilege port (osfmk/kern/zalloc.c, zone_info_redact) while keeping the element size and the in-use
// count: the row then says "0K" beside thousands of elements in use. Size is the larger of the printed
// size and elements in use × element size.
func (z ZoneStats) Size() int64 {
	return max(z.CurSize, z.InUse*z.ElemSize)
}

// zprintColumns is how many numeric columns a zone row starts with after its name.
const zprintColumns = 8

// zprintUnbounded is what zprint prints in the maximum size and element count of a zone whose maximum
// exceeds 9999999K (colprintzone).
const zprintUnbounded = "-------"

// ParseZprint reads `zprint [name]` output, skipping headers, separators and totals. zprint replaces
// spaces in zone names with '.', but a row is split where its run of numeric columns starts, so a name
// printed with spaces (older tools, or a copy that was edited) is read too.
func ParseZprint(out string) []ZoneStats {
	var zs []ZoneStats
	for _, line := range splitLines(out) {
		f := strings.Fields(line)
		start := -1
		for i := 1; i+zprintColumns <= len(f); i++ {
			if allZprintNumbers(f[i : i+zprintColumns]) {
				start = i
				break
			}
		}
		if start < 0 {
			continue
		}
		n := make([]int64, zprintColumns)
		for k := range n {
			n[k], _ = parseZprintNumber(f[start+k])
			if f[start+k] == zprintUnbounded {
				n[k] = -1
			}
		}
		zs = append(zs, ZoneStats{
			Name: strings.Join(f[:start], " "), ElemSize: n[0], CurSize: n[1], MaxSize: n[2], CurElts: n[3],
			MaxElts: n[4], InUse: n[5], AllocSize: n[6], AllocCount: n[7],
			Flags: strings.Join(f[start+zprintColumns:], " "), Raw: line,
		})
	}
	return zs
}

// FindZone returns the zone called name, which may be given with spaces as the kernel names it
// ("socache zone", bsd/kern/uipc_socket.c) or with the dots zprint prints instead.
func FindZone(zs []ZoneStats, name string) (ZoneStats, bool) {
	dotted := strings.ReplaceAll(name, " ", ".")
	for _, z := range zs {
		if z.Name == name || z.Name == dotted || strings.ReplaceAll(z.Name, " ", ".") == dotted {
			return z, true
		}
	}
	return ZoneStats{}, false
}

// allZprintNumbers reports a run of zprint's numeric columns; the maximum size and count (third and fifth)
// may be "-------".
func allZprintNumbers(f []string) bool {
	for i, s := range f {
		if (i == 2 || i == 4) && s == zprintUnbounded {
			continue
		}
		if _, ok := parseZprintNumber(s); !ok {
			return false
		}
	}
	return true
}

// parseZprintNumber reads "576", "1312K", "3M" or "1G".
func parseZprintNumber(s string) (int64, bool) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return v * mult, true
}
