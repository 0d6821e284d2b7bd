package macos

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Interface is one block of `ifconfig` or `ifconfig -v` output (network_cmds ifconfig.tproj). Lines this
// parser does not understand stay in Raw only.
type Interface struct {
	Name        string
	Flags       uint64   // flags=8863<...>
	FlagNames   []string // UP, BROADCAST, RUNNING, ...
	MTU         int
	Index       int      // "index N" (ifconfig -v)
	EFlags      uint64   // eflags=...<...> (ifconfig -v)
	EFlagNames  []string // ACCEPT_RTADV, TXSTART, ...
	XFlags      uint64
	XFlagNames  []string
	Options     uint64
	OptionNames []string
	Ether       net.HardwareAddr
	Peer        string // "peer: fethM" of a paired feth
	Inet        []InetAddr
	Inet6       []Inet6Addr
	ND6Options  uint64 // nd6 options=201<PERFORMNUD,DAD>
	ND6Names    []string
	Media       string
	Status      string
	Type        string // ifconfig -v "type: Ethernet"
	Raw         []string
}

// InetAddr is an "inet" line.
type InetAddr struct {
	Addr      netip.Addr
	Prefix    netip.Prefix // from the hex netmask, when contiguous
	Broadcast netip.Addr
	Dest      netip.Addr // point-to-point "-->" peer
}

// Inet6Addr is an "inet6" line: `inet6 fe80::1%lo0 prefixlen 64 secured scopeid 0x1`.
type Inet6Addr struct {
	Addr      netip.Addr // with its zone ("lo0") when the line had %zone
	PrefixLen int
	Flags     []string // autoconf, secured, temporary, deprecated, tentative, duplicated, detached, dynamic, ...
	ScopeID   uint32
	Dest      netip.Addr
	VLTime    string // ifconfig -L
	PLTime    string
}

// Has reports whether the address carries flag (e.g. "autoconf", "tentative").
func (a Inet6Addr) Has(flag string) bool { return hasName(a.Flags, flag) }

// Prefix returns the address's prefix (without zone).
func (a Inet6Addr) Prefix() netip.Prefix {
	p, err := a.Addr.WithZone("").Prefix(a.PrefixLen)
	if err != nil {
		return netip.Prefix{}
	}
	return p
}

// HasFlag reports whether the interface flags include name (e.g. "UP").
func (i Interface) HasFlag(name string) bool { return hasName(i.FlagNames, name) }

// AcceptsRTAdv reports IFEF_ACCEPT_RTADV, which `ifconfig -v` prints in eflags. Without -v there are no
// eflags and the answer is false.
func (i Interface) AcceptsRTAdv() bool { return hasName(i.EFlagNames, "ACCEPT_RTADV") }

// FindInterface returns the interface called name.
func FindInterface(ifs []Interface, name string) (Interface, bool) {
	for _, i := range ifs {
		if i.Name == name {
			return i, true
		}
	}
	return Interface{}, false
}

// ParseIfconfig reads `ifconfig [-v] [-a | <if>]` output. Lines before the first interface header are
// ignored; a malformed address line is kept in Raw and reported in the error after parsing everything.
func ParseIfconfig(out string) ([]Interface, error) {
	var (
		ifs  []Interface
		cur  *Interface
		errs []string
	)
	for n, line := range splitLines(out) {
		if line == "" {
			continue
		}
		if line[0] != '\t' && line[0] != ' ' {
			i, ok := parseIfconfigHeader(line)
			if !ok {
				errs = append(errs, fmt.Sprintf("line %d: not an interface header: %q", n+1, line))
				cur = nil
				continue
			}
			ifs = append(ifs, i)
			cur = &ifs[len(ifs)-1]
			cur.Raw = append(cur.Raw, line)
			continue
		}
		if cur == nil {
			continue
		}
		cur.Raw = append(cur.Raw, line)
		if err := cur.parseDetail(strings.TrimSpace(line)); err != nil {
			errs = append(errs, fmt.Sprintf("line %d: %v", n+1, err))
		}
	}
	if len(errs) > 0 {
		return ifs, fmt.Errorf("macos: ifconfig: %s", strings.Join(errs, "; "))
	}
	return ifs, nil
}

// parseIfconfigHeader reads "feth0: flags=8863<UP,...> mtu 1500 index 21".
func parseIfconfigHeader(line string) (Interface, bool) {
	name, rest, ok := strings.Cut(line, ": ")
	if !ok || name == "" || strings.ContainsAny(name, " \t") || !strings.HasPrefix(rest, "flags=") {
		return Interface{}, false
	}
	i := Interface{Name: name}
	f := strings.Fields(rest)
	for k := 0; k < len(f); k++ {
		switch {
		case strings.HasPrefix(f[k], "flags="):
			i.Flags, i.FlagNames, _ = angleList(strings.TrimPrefix(f[k], "flags="))
		case f[k] == "mtu" && k+1 < len(f):
			i.MTU, _ = strconv.Atoi(f[k+1])
			k++
		case f[k] == "index" && k+1 < len(f):
			i.Index, _ = strconv.Atoi(f[k+1])
			k++
		}
	}
	return i, true
}

func (i *Interface) parseDetail(line string) error {
	key, rest, _ := strings.Cut(line, " ")
	switch {
	case strings.HasPrefix(line, "options="):
		i.Options, i.OptionNames, _ = angleList(strings.TrimPrefix(line, "options="))
	case strings.HasPrefix(line, "eflags="):
		i.EFlags, i.EFlagNames, _ = angleList(strings.TrimPrefix(line, "eflags="))
	case strings.HasPrefix(line, "xflags="):
		i.XFlags, i.XFlagNames, _ = angleList(strings.TrimPrefix(line, "xflags="))
	case key == "nd6" && strings.HasPrefix(rest, "options="):
		i.ND6Options, i.ND6Names, _ = angleList(strings.TrimPrefix(rest, "options="))
	case key == "ether":
		mac, err := net.ParseMAC(strings.TrimSpace(rest))
		if err != nil {
			return fmt.Errorf("%s: ether: %w", i.Name, err)
		}
		i.Ether = mac
	case key == "peer:":
		i.Peer = strings.TrimSpace(rest)
	case key == "inet":
		a, err := parseInetLine(rest)
		if err != nil {
			return fmt.Errorf("%s: %w", i.Name, err)
		}
		i.Inet = append(i.Inet, a)
	case key == "inet6":
		a, err := parseInet6Line(rest)
		if err != nil {
			return fmt.Errorf("%s: %w", i.Name, err)
		}
		i.Inet6 = append(i.Inet6, a)
	case key == "media:":
		i.Media = strings.TrimSpace(rest)
	case key == "status:":
		i.Status = strings.TrimSpace(rest)
	case key == "type:":
		i.Type = strings.TrimSpace(rest)
	}
	return nil
}

func parseInetLine(rest string) (InetAddr, error) {
	f := strings.Fields(rest)
	if len(f) == 0 {
		return InetAddr{}, fmt.Errorf("empty inet line")
	}
	var a InetAddr
	var err error
	if a.Addr, err = netip.ParseAddr(f[0]); err != nil {
		return a, fmt.Errorf("inet: %w", err)
	}
	for k := 1; k+1 < len(f); k += 2 {
		switch f[k] {
		case "netmask":
			if m, ok := parseHex(f[k+1]); ok && m <= 0xffffffff {
				if bits, ok := maskBits(uint32(m)); ok {
					a.Prefix, _ = a.Addr.Prefix(bits)
				}
			}
		case "broadcast":
			a.Broadcast, _ = netip.ParseAddr(f[k+1])
		case "-->":
			a.Dest, _ = netip.ParseAddr(f[k+1])
		default:
			k-- // a lone word: step by one
		}
	}
	return a, nil
}

// maskBits converts a contiguous IPv4 netmask to a prefix length.
func maskBits(m uint32) (int, bool) {
	bits := 0
	for m&0x80000000 != 0 {
		bits++
		m <<= 1
	}
	return bits, m == 0
}

func parseInet6Line(rest string) (Inet6Addr, error) {
	f := strings.Fields(rest)
	if len(f) == 0 {
		return Inet6Addr{}, fmt.Errorf("empty inet6 line")
	}
	var a Inet6Addr
	var err error
	if a.Addr, err = netip.ParseAddr(f[0]); err != nil {
		return a, fmt.Errorf("inet6: %w", err)
	}
	for k := 1; k < len(f); k++ {
		next := ""
		if k+1 < len(f) {
			next = f[k+1]
		}
		switch f[k] {
		case "prefixlen":
			a.PrefixLen, _ = strconv.Atoi(next)
			k++
		case "scopeid":
			if v, ok := parseHex(next); ok && v <= 0xffffffff {
				a.ScopeID = uint32(v)
			}
			k++
		case "-->":
			a.Dest, _ = netip.ParseAddr(next)
			k++
		case "vltime":
			a.VLTime = next
			k++
		case "pltime":
			a.PLTime = next
			k++
		default:
			a.Flags = append(a.Flags, f[k])
		}
	}
	return a, nil
}
