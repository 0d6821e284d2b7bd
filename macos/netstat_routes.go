package macos

import (
	"strings"
)

// NetstatRoute is one row of `netstat -rn [-f inet6]`. netstat cuts the Flags column to 10 characters and
// Netif to 14 (network_cmds netstat.tproj/route.c), so these are evidence, not a source of truth: read the
// routing table with route messages (routes.go) for decisions. Raw keeps the line.
type NetstatRoute struct {
	Family      string // "Internet" or "Internet6", from the section header
	Destination string
	Gateway     string
	Flags       string
	Netif       string
	Expire      string
	Partial     bool // fewer columns than Destination Gateway Flags Netif
	Raw         string
}

// HasFlag reports whether the (possibly truncated) flags contain letter.
func (r NetstatRoute) HasFlag(letter byte) bool { return strings.IndexByte(r.Flags, letter) >= 0 }

// ParseNetstatRoutes reads `netstat -rn` output: "Routing tables", per-family headers ("Internet6:"), a
// column header line, then rows. Unrecognised lines are skipped; a row with missing columns is kept with
// Partial set.
func ParseNetstatRoutes(out string) []NetstatRoute {
	var (
		rs     []NetstatRoute
		family string
	)
	for _, line := range splitLines(out) {
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t == "Routing tables":
			continue
		case isSectionHeader(t):
			family = strings.TrimSuffix(t, ":")
			continue
		case strings.HasPrefix(t, "Destination"):
			continue
		}
		f := strings.Fields(t)
		r := NetstatRoute{Family: family, Raw: line, Destination: f[0]}
		if len(f) > 1 {
			r.Gateway = f[1]
		}
		if len(f) > 2 {
			r.Flags = f[2]
		}
		if len(f) > 3 {
			r.Netif = f[3]
		}
		if len(f) > 4 {
			r.Expire = f[4]
		}
		r.Partial = len(f) < 4
		rs = append(rs, r)
	}
	return rs
}

// isSectionHeader matches "Internet:" and "Internet6:" but not a destination such as "2001:db8::".
func isSectionHeader(t string) bool {
	name, ok := strings.CutSuffix(t, ":")
	if !ok || name == "" || name[0] < 'A' || name[0] > 'Z' {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
