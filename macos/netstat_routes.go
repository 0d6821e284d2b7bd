package macos

import (
	"strings"
)

// NetstatRoute is one row of `netstat -rn [-l] [-f inet6]`. netstat cuts Flags to 10 characters and Netif
// to 14 (network_cmds netstat.tproj/route.c, WID_IF: 14 since network_cmds-667, 10 or 14 with -l in 624 to
// 644, 7 or 8 before), so these are evidence, not a source of truth: read the routing table with route messages (routes.go) for decisions. Raw keeps the
// line. Columns the section's header does not have stay empty.
type NetstatRoute struct {
	Family      string // "Internet" or "Internet6", from the section header
	Destination string
	Gateway     string
	RTIFA       string // -l: the route's interface address, printed only when it has one
	Flags       string
	Refs        string // -l, and every Internet row before network_cmds-596 (macOS 10.14 and older)
	Use         string // packets sent on the route; with Refs
	Mtu         string // -l; blank (empty) when the route has no MTU of its own
	Netif       string
	Expire      string // seconds, or "!" when expired
	Partial     bool   // fewer columns than Destination Gateway Flags Netif
	Raw         string
}

// HasFlag reports whether the (possibly truncated) flags contain letter.
func (r NetstatRoute) HasFlag(letter byte) bool { return strings.IndexByte(r.Flags, letter) >= 0 }

// netstatColumns is the default header: `netstat -rn` of every release for Internet6, and for Internet
// since network_cmds-596 (pr_rthdr).
var netstatColumns = []string{"Destination", "Gateway", "Flags", "Netif", "Expire"}

// ParseNetstatRoutes reads `netstat -rn` output: "Routing tables", per-family headers ("Internet6:"), a
// column header line, then rows. The columns are those of each section's header line, which differ by
// release and options (pr_rthdr): Refs and Use on Internet rows before network_cmds-596; RT_IFA, Refs, Use
// and Mtu with -l. Values have no spaces, but two columns may be blank in a row (RT_IFA without an
// interface address, Mtu of 0), so a row is read token by token: RT_IFA is present when the token after
// the gateway is not made of flag letters, Mtu when the token after Use is a number. Unrecognised lines
// are skipped; a row with missing columns is kept with Partial set.
func ParseNetstatRoutes(out string) []NetstatRoute {
	var (
		rs     []NetstatRoute
		family string
		cols   = netstatColumns
	)
	for _, line := range splitLines(out) {
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t == "Routing tables":
			continue
		case isSectionHeader(t):
			family, cols = strings.TrimSuffix(t, ":"), netstatColumns
			continue
		case strings.HasPrefix(t, "Destination"):
			cols = strings.Fields(t)
			continue
		}
		r := NetstatRoute{Family: family, Raw: line}
		r.Partial = !readNetstatRow(&r, strings.Fields(t), cols)
		rs = append(rs, r)
	}
	return rs
}

// readNetstatRow fills r from the row's tokens as the header's columns; it reports whether Destination,
// Gateway, Flags and Netif were all there.
func readNetstatRow(r *NetstatRoute, f []string, cols []string) bool {
	has := func(c string) bool { return hasName(cols, c) }
	next := func() string {
		if len(f) == 0 {
			return ""
		}
		v := f[0]
		f = f[1:]
		return v
	}
	r.Destination, r.Gateway = next(), next()
	if has("RT_IFA") && len(f) > 0 && !isRouteFlags(f[0]) {
		r.RTIFA = next()
	}
	r.Flags = next()
	if has("Refs") {
		r.Refs = next()
	}
	if has("Use") {
		r.Use = next()
	}
	if has("Mtu") && len(f) > 0 && isDigits(f[0]) {
		r.Mtu = next()
	}
	if len(f) > 0 && !isDigits(f[0]) && f[0] != "!" {
		r.Netif = next()
	}
	if has("Expire") && len(f) > 0 && (isDigits(f[0]) || f[0] == "!") {
		r.Expire = next()
	}
	return r.Gateway != "" && r.Flags != "" && r.Netif != ""
}

// isRouteFlags reports a token made only of netstat's flag letters (route.c, bits[]).
func isRouteFlags(s string) bool {
	return s != "" && strings.Trim(s, "UGHRDMmdCXLS12Wc3BbIiYrg") == ""
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
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
