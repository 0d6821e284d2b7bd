package macos

import (
	"fmt"
	"net/netip"
	"strings"
)

// NDPRouter is one line of `ndp -rn` (network_cmds ndp.c, rtrlist):
//
//	fe80::a%feth0 if=feth0, flags=IT, pref=high, expire=29m58s
//
// Flag letters: I interface-scoped (NDDRF_IFSCOPE), M managed, O other config, S static, T installed
// (NDDRF_INSTALLED: the router backs a default route).
type NDPRouter struct {
	Addr      netip.Addr // with zone when printed
	AddrText  string     // as printed, in case it did not parse
	Interface string
	Flags     string
	Pref      string // "low", "medium", "high" or "reserved"
	Expire    string // "Never" or ndp's sec2str, e.g. "29m58s"
	Raw       string
}

// Installed reports the T flag: this router backs the interface's default route.
func (r NDPRouter) Installed() bool { return strings.Contains(r.Flags, "T") }

// IfScoped reports the I flag: its default route is interface-scoped.
func (r NDPRouter) IfScoped() bool { return strings.Contains(r.Flags, "I") }

// ParseNDPRouters reads `ndp -rn` output. Lines that do not have the router shape are reported in the
// error; the routers that parsed are returned regardless.
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

func parseNDPRouter(line string) (NDPRouter, bool) {
	r := NDPRouter{Raw: line}
	addr, rest, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok {
		return r, false
	}
	r.AddrText = addr
	r.Addr, _ = netip.ParseAddr(addr)
	seen := false
	for _, part := range strings.Split(rest, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch key {
		case "if":
			r.Interface, seen = val, true
		case "flags":
			r.Flags = val
		case "pref":
			r.Pref = val
		case "expire":
			r.Expire = val
		}
	}
	return r, seen
}

// NDPNeighbor is one line of `ndp -an`:
//
//	Neighbor                        Linklayer Address  Netif Expire    St Flgs Prbs
//	fe80::6465:74ff:fe68:1%feth0    66:65:74:68:0:1    feth0 23h59m58s S  R
//
// ndp prints MAC bytes without leading zeros and may cut a long address to the column width, so both are
// kept as text alongside the parsed values.
type NDPNeighbor struct {
	Addr      netip.Addr
	AddrText  string
	LinkLayer string // "66:65:74:68:0:1" or "(incomplete)"
	Interface string
	Expire    string // "permanent", "expired" or a duration
	State     string // N(ostate) I(ncomplete) R(eachable) S(tale) D(elay) P(robe) W(aitdelete) ?
	Flags     string // R: router, p: proxy
	Probes    string
	Raw       string
}

// IsRouter reports the R flag.
func (n NDPNeighbor) IsRouter() bool { return strings.Contains(n.Flags, "R") }

// ParseNDPNeighbors reads `ndp -an` output, skipping the header line.
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
		if len(f) < 4 {
			errs = append(errs, fmt.Sprintf("line %d: %q", n+1, line))
			continue
		}
		nb := NDPNeighbor{Raw: line, AddrText: f[0], LinkLayer: f[1], Interface: f[2], Expire: f[3]}
		nb.Addr, _ = netip.ParseAddr(f[0])
		if len(f) > 4 {
			nb.State = f[4]
		}
		if len(f) > 5 {
			nb.Flags = f[5]
		}
		if len(f) > 6 {
			nb.Probes = f[6]
		}
		ns = append(ns, nb)
	}
	if len(errs) > 0 {
		return ns, fmt.Errorf("macos: ndp -an: short %s", strings.Join(errs, ", "))
	}
	return ns, nil
}
