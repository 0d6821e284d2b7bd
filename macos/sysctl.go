package macos

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// SysctlValue is one "name: value" line of `sysctl name...` output.
type SysctlValue struct {
	Name  string
	Value string
}

// Int returns the value as an integer when it is one.
func (v SysctlValue) Int() (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v.Value), 10, 64)
	return n, err == nil
}

// ParseSysctl reads `sysctl a.b c.d` output ("net.inet.tcp.pcbcount: 12"). macOS prints ": " between name
// and value; "name = value" (sysctl -e style) is accepted too. Lines without a separator (continuations
// of multi-line values, error messages) are returned as the second result.
func ParseSysctl(out string) (vals []SysctlValue, other []string) {
	for _, line := range splitLines(out) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, val, ok := strings.Cut(line, ": ")
		if !ok || strings.ContainsAny(name, " \t") {
			name, val, ok = strings.Cut(line, " = ")
		}
		// OIDs always have a dot: this keeps "sysctl: unknown oid '...'" out of the values.
		if !ok || !strings.Contains(name, ".") || strings.ContainsAny(name, " \t") {
			other = append(other, line)
			continue
		}
		vals = append(vals, SysctlValue{Name: name, Value: strings.TrimSpace(val)})
	}
	return vals, other
}

// SysctlMap is ParseSysctl's values by name; a repeated name keeps its last value.
func SysctlMap(out string) map[string]string {
	vals, _ := ParseSysctl(out)
	m := make(map[string]string, len(vals))
	for _, v := range vals {
		m[v.Name] = v.Value
	}
	return m
}

// SysctlOpaque is an opaque sysctl value as printed by `sysctl -x` (or `-o`):
//
//	net.cfil.stats: Format:S,cfil_stats Length:320 Dump:0x0100000000000000...
type SysctlOpaque struct {
	Name   string
	Format string // "S,cfil_stats"
	Length int    // what the kernel returned
	Data   []byte
}

// ParseSysctlOpaque reads one `sysctl -x name` line. `sysctl -o` prints only the first 16 bytes followed by
// "..."; that, or any dump shorter than Length, is an error (use -x).
func ParseSysctlOpaque(out string) (SysctlOpaque, error) {
	var o SysctlOpaque
	line := strings.TrimSpace(out)
	if i := strings.Index(line, "Format:"); i > 0 {
		o.Name = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line[:i]), ":"))
		line = line[i:]
	} else if i < 0 {
		return o, fmt.Errorf("macos: not an opaque sysctl dump: %.60q", out)
	}
	f := strings.Fields(line)
	var dump string
	for k := 0; k < len(f); k++ {
		switch {
		case strings.HasPrefix(f[k], "Format:"):
			o.Format = strings.TrimPrefix(f[k], "Format:")
		case strings.HasPrefix(f[k], "Length:"):
			n, err := strconv.Atoi(strings.TrimPrefix(f[k], "Length:"))
			if err != nil || n < 0 {
				return o, fmt.Errorf("macos: sysctl %s: bad length %q", o.Name, f[k])
			}
			o.Length = n
		case strings.HasPrefix(f[k], "Dump:"):
			// Some versions wrap the dump; take every following field that is hex.
			dump = strings.TrimPrefix(strings.TrimPrefix(f[k], "Dump:"), "0x")
			for k+1 < len(f) && isHexString(strings.TrimSuffix(f[k+1], "...")) {
				k++
				dump += f[k]
			}
		}
	}
	if strings.HasSuffix(dump, "...") {
		return o, fmt.Errorf("macos: sysctl %s: dump cut after %d bytes (sysctl -o); use sysctl -x", o.Name, len(strings.TrimSuffix(dump, "..."))/2)
	}
	data, err := hex.DecodeString(dump)
	if err != nil {
		return o, fmt.Errorf("macos: sysctl %s: %w", o.Name, err)
	}
	o.Data = data
	if len(data) != o.Length {
		return o, fmt.Errorf("macos: sysctl %s: dump has %d bytes, Length says %d", o.Name, len(data), o.Length)
	}
	return o, nil
}

func isHexString(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
