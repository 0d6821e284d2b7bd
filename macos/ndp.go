package macos

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// NDPRouter is one line of `ndp -rn` (network_cmds ndp.tproj/ndp.c, rtrlist), always the same four
// fields:
//
//	fe80::a%feth0 if=feth0, flags=IT, pref=high, expire=29m58s
//
// Flag letters: I interface-scoped (NDDRF_IFSCOPE), M managed, O other config, S static, T installed
// (NDDRF_INSTALLED: the router backs a default route).
type NDPRouter struct {
	Addr      netip.Addr // with zone when printed
	AddrText  string     // as printed ("?" when getnameinfo failed)
	Interface string
	Flags     string
	Pref      string // rtpref_str: "medium", "high", "rsv" (the reserved value 10) or "low"
	Expire    string // "Never" or ndp's sec2str, e.g. "29m58s"
	Raw       string
}

// Installed reports the T flag: this router backs the interface's default route.
func (r NDPRouter) Installed() bool { return strings.Contains(r.Flags, "T") }

// IfScoped reports the I flag: its default route is interface-scoped.
func (r NDPRouter) IfScoped() bool { return strings.Contains(r.Flags, "I") }

// ParseNDPRouters reads `ndp -rn` output. Lines that are not router lines (a cut line, a warning, or the
// prefix lines of `ndp -p`, which also carry "if=") are reported in the error; the routers that parsed are
// returned regardless.
func ParseNDPRouters(out string) ([]NDPRouter, error) {
	var (
		rs   []NDPRouter
		errs []string
	)
	for n, line := range splitLines(out) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		r, ok := parseNDPRouter(line)
		if !ok {
			errs = append(errs, fmt.Sprintf("line %d: %q", n+1, line))
			continue
		}
		rs = append(rs, r)
	}
	if len(errs) > 0 {
		return rs, fmt.Errorf("macos: ndp -rn: unexpected %s", strings.Join(errs, ", "))
	}
	return rs, nil
}

// ndpRouterKeys are the fields rtrlist prints after the address, in its order. A prefix line of ndp -p
// ("2001:db8:a::/64 if=feth0") and a route-information router ("fe80::a%feth0 if=feth0, pref=medium,
// expires=Never") have other fields.
var ndpRouterKeys = []string{"if", "flags", "pref", "expire"}

func parseNDPRouter(line string) (NDPRouter, bool) {
	r := NDPRouter{Raw: line}
	addr, rest, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok || strings.Contains(addr, "/") || strings.Contains(addr, "=") {
		return r, false
	}
	r.AddrText = addr
	r.Addr, _ = netip.ParseAddr(addr)
	if !r.Addr.IsValid() && addr != "?" {
		return r, false
	}
	parts := strings.Split(rest, ", ")
	if len(parts) != len(ndpRouterKeys) {
		return r, false
	}
	for i, part := range parts {
		key, val, ok := strings.Cut(part, "=")
		if !ok || key != ndpRouterKeys[i] {
			return r, false
		}
		switch key {
		case "if":
			r.Interface = val
		case "flags":
			r.Flags = val
		case "pref":
			r.Pref = val
		case "expire":
			r.Expire = val
		}
	}
	return r, r.Interface != ""
}

// NDPNeighbor is one line of `ndp -an` (network_cmds ndp.tproj/ndp.c, dump):
//
//	Neighbor                                Linklayer Address  Netif Expire    St Flgs Prbs
//	fe80::a%feth4000                        2:0:0:0:0:a       feth4000 23h59m58s S  R
//	fe80::c%feth4000                        (incomplete)      feth4000 expired   I          3
//
// ndp prints the address, link-layer address and interface widening their columns as needed (it never
// cuts a value; the address column is 39 wide since network_cmds-624, 31 before), then " %-9.9s" for the
// expiry, " " and the state letter, " ", " %-4.4s" for the flags and, only when the neighbour has been
// probed, " %4d" for the probe count. MAC bytes are printed without leading zeros.
type NDPNeighbor struct {
	Addr      netip.Addr
	AddrText  string
	LinkLayer string // "66:65:74:68:0:1" or "(incomplete)"
	Interface string
	Expire    string // "permanent", "expired" or a duration; "" when ndp had no neighbour information
	State     string // N(ostate) I(ncomplete) R(eachable) S(tale) D(elay) P(robe) ?
	Flags     string // R router, P proxy (with a netmask), W odd netmask, p announced (RTF_ANNOUNCE)
	Probes    int    // neighbour solicitations sent (nbi->asked); 0 is not printed
	Raw       string
}

// IsRouter reports the R flag.
func (n NDPNeighbor) IsRouter() bool { return strings.Contains(n.Flags, "R") }

// ParseNDPNeighbors reads `ndp -an` output, skipping the header line. The flags column is printed blank
// for most neighbours, so the words after the state are told apart by what they are made of: flag letters
// (R, P, W, p) or the probe count's digits.
func ParseNDPNeighbors(out string) ([]NDPNeighbor, error) {
	var (
		ns   []NDPNeighbor
		errs []string
	)
	for n, line := range splitLines(out) {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "Neighbor" {
			continue
		}
		nb, ok := parseNDPNeighbor(line, f)
		if !ok {
			errs = append(errs, fmt.Sprintf("line %d: %q", n+1, line))
			continue
		}
		ns = append(ns, nb)
	}
	if len(errs) > 0 {
		return ns, fmt.Errorf("macos: ndp -an: unexpected %s", strings.Join(errs, ", "))
	}
	return ns, nil
}

// parseNDPNeighbor reads one line as ndp.c's dump printed it: address, link-layer address, interface,
// then the expiry and the state letter (both missing when ndp had no neighbour information), the flags
// (possibly none) and the probe count (only when above 0).
func parseNDPNeighbor(line string, f []string) (NDPNeighbor, bool) {
	nb := NDPNeighbor{Raw: line}
	if len(f) < 3 {
		return nb, false
	}
	nb.AddrText, nb.LinkLayer, nb.Interface = f[0], f[1], f[2]
	nb.Addr, _ = netip.ParseAddr(f[0])
	t := f[3:]
	if len(t) > 0 && isNDPExpiry(t[0]) {
		if len(t) < 2 || len(t[1]) != 1 || !strings.Contains("NIRSDP?", t[1]) {
			return nb, false
		}
		nb.Expire, nb.State, t = t[0], t[1], t[2:]
	}
	if len(t) > 0 && strings.Trim(t[0], "RPWp") == "" {
		nb.Flags, t = t[0], t[1:]
	}
	if len(t) > 0 {
		n, err := strconv.Atoi(t[0])
		if err != nil || n <= 0 {
			return nb, false
		}
		nb.Probes, t = n, t[1:]
	}
	return nb, len(t) == 0
}

// isNDPExpiry matches what ndp prints in the Expire column: "permanent", "expired", or sec2str's
// days/hours/minutes/seconds ("23h59m58s", "1s"), cut to 9 characters.
func isNDPExpiry(s string) bool {
	return s == "permanent" || s == "expired" || s != "" && strings.Trim(s, "0123456789dhms") == "" && s[0] >= '0' && s[0] <= '9'
}
