package macos

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
)

// Routing messages decoded here rather than by golang.org/x/net/route, whose parseRouteMessage
// (route_classic.go, v0.62.0) reads "errno" from bytes 28-31 of every route message header. In xnu's
// bsd/net/route.h those bytes are rtm_use in both struct rt_msghdr (rtm_errno is at 24) and struct
// rt_msghdr2 (24 is rtm_reserved), and rtsock.c's sysctl_dumpentry fills rtm_use with the route's use
// count (rt_use), which ip6_output increments for every packet sent on the route. x/net therefore reports
// every dumped route that has carried a packet as failed with a made-up errno, and a caller that skips
// messages with Err set drops exactly the routes that were used. This decoder reads rtm_errno at 24 (for
// rt_msghdr types only) and rtm_use at 28, and works on Linux, so it is tested there with dump bytes.

// Routing message types and constants from bsd/net/route.h (xnu-11417.121.6).
const (
	RTM_VERSION = 5
	RTM_ADD     = 0x1
	RTM_DELETE  = 0x2
	RTM_CHANGE  = 0x3
	RTM_GET     = 0x4
	RTM_GET2    = 0x14 // a NET_RT_DUMP2 entry: struct rt_msghdr2
)

// rtMsghdrLen is sizeof(struct rt_msghdr) and sizeof(struct rt_msghdr2) alike: eleven 4-byte words (the
// two-byte rtm_index is padded to 4) and struct rt_metrics (14 words) = 92 bytes.
const rtMsghdrLen = 92

// Header offsets shared by rt_msghdr and rt_msghdr2 (bsd/net/route.h).
const (
	offMsglen  = 0  // u_short rtm_msglen
	offVersion = 2  // u_char rtm_version
	offType    = 3  // u_char rtm_type
	offIndex   = 4  // u_short rtm_index
	offFlags   = 8  // int rtm_flags
	offAddrs   = 12 // int rtm_addrs
	offPID     = 16 // rt_msghdr: pid_t rtm_pid; rt_msghdr2: int32_t rtm_refcnt
	offSeq     = 20 // rt_msghdr: int rtm_seq; rt_msghdr2: int rtm_parentflags
	offErrno   = 24 // rt_msghdr: int rtm_errno; rt_msghdr2: int rtm_reserved
	offUse     = 28 // int rtm_use, in both
)

// Address families of the sockaddrs in routing messages (bsd/sys/socket.h).
const (
	afInet  = 2
	afLink  = 18
	afInet6 = 30
)

// isRouteHeader reports the types whose header is rt_msghdr or rt_msghdr2 (rtsock.c, rt_msg2: every type
// but the interface messages and RTM_GET_EXT).
func isRouteHeader(typ int) bool {
	return typ >= RTM_ADD && typ <= 0xb || typ == RTM_GET2
}

// ParseRouteMessages decodes a buffer of routing messages: a NET_RT_DUMP2 sysctl result or what a
// routing socket read returned. Messages of other types (interface and address announcements) are
// skipped by their length; a length that runs past the buffer is an error, with the messages before it.
func ParseRouteMessages(b []byte) ([]RouteMessage, error) {
	var out []RouteMessage
	for len(b) > 0 {
		if len(b) < 4 {
			return out, fmt.Errorf("macos: routing message: %d stray bytes", len(b))
		}
		l := int(binary.NativeEndian.Uint16(b[offMsglen:]))
		if l < 4 || l > len(b) {
			return out, fmt.Errorf("macos: routing message length %d with %d bytes left", l, len(b))
		}
		msg := b[:l]
		b = b[l:]
		typ := int(msg[offType])
		if msg[offVersion] != RTM_VERSION || !isRouteHeader(typ) {
			continue
		}
		if l < rtMsghdrLen {
			return out, fmt.Errorf("macos: routing message type %#x: %d bytes, header needs %d", typ, l, rtMsghdrLen)
		}
		u32 := func(off int) uint32 { return binary.NativeEndian.Uint32(msg[off:]) }
		m := RouteMessage{Type: typ, Flags: u32(offFlags), Index: int(binary.NativeEndian.Uint16(msg[offIndex:])),
			Use: int(int32(u32(offUse)))}
		if typ == RTM_GET2 {
			m.Refcnt = int(int32(u32(offPID)))
		} else {
			m.PID, m.Seq, m.Errno = int(int32(u32(offPID))), int(int32(u32(offSeq))), int(int32(u32(offErrno)))
		}
		if err := parseRouteAddrs(&m, u32(offAddrs), msg[rtMsghdrLen:]); err != nil {
			return out, fmt.Errorf("macos: routing message type %#x: %w", typ, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// roundup32 is ROUNDUP32 of rtsock.c: each sockaddr takes its sa_len rounded up to 4 bytes, and an empty
// one (sa_len 0, the default route's netmask) takes 4.
func roundup32(n int) int {
	if n == 0 {
		return 4
	}
	return 1 + ((n - 1) | 3)
}

// parseRouteAddrs reads the sockaddrs rt_msg2 wrote after the header, in RTAX order, for each bit of
// rtm_addrs.
func parseRouteAddrs(m *RouteMessage, addrs uint32, b []byte) error {
	family := 0 // of RTAX_DST (else RTAX_IFA): how to read the masks, as rtm_scrub does
	for i := 0; i < RTAX_MAX; i++ {
		if addrs&(1<<i) == 0 {
			continue
		}
		if len(b) < 1 {
			return fmt.Errorf("sockaddr %d missing", i)
		}
		saLen := int(b[0])
		if saLen > len(b) {
			return fmt.Errorf("sockaddr %d: sa_len %d with %d bytes left", i, saLen, len(b))
		}
		sa := b[:saLen]
		b = b[min(roundup32(saLen), len(b)):]
		if i == RTAX_NETMASK || i == RTAX_GENMASK {
			m.Addrs[i] = parseMask(sa, family)
			continue
		}
		if saLen < 2 {
			continue
		}
		switch sa[1] {
		case afInet6:
			m.Addrs[i] = parseSockaddrIn6(sa)
			if family == 0 || i == RTAX_DST {
				family = afInet6
			}
		case afInet:
			m.Addrs[i] = parseSockaddrIn(sa)
			if family == 0 || i == RTAX_DST {
				family = afInet
			}
		case afLink:
			a, err := parseSockaddrDl(sa)
			if err != nil {
				return fmt.Errorf("sockaddr %d: %w", i, err)
			}
			m.Addrs[i] = a
		}
	}
	return nil
}

// parseSockaddrIn6 reads a sockaddr_in6 (sin6_addr at 8, sin6_scope_id at 24), shortened or not. A KAME
// kernel embeds the interface index in bytes 2-3 of a link-local or interface-/link-local multicast
// address (net.inet6.ip6.in6_embedded_scope, bsd/netinet6/scope6.c): it becomes ZoneID and is cleared.
func parseSockaddrIn6(sa []byte) RouteAddr {
	var ip [16]byte
	if len(sa) > 8 {
		copy(ip[:], sa[8:])
	}
	a := RouteAddr{}
	if len(sa) >= 28 {
		a.ZoneID = int(binary.NativeEndian.Uint32(sa[24:]))
	}
	if ip[0] == 0xfe && ip[1]&0xc0 == 0x80 || ip[0] == 0xff && (ip[1]&0x0f == 0x01 || ip[1]&0x0f == 0x02) {
		if id := int(binary.BigEndian.Uint16(ip[2:])); id != 0 {
			a.ZoneID = id
			ip[2], ip[3] = 0, 0
		}
	}
	a.IP = netip.AddrFrom16(ip)
	return a
}

// parseSockaddrIn reads a sockaddr_in (sin_addr at 4).
func parseSockaddrIn(sa []byte) RouteAddr {
	var ip [4]byte
	if len(sa) > 4 {
		copy(ip[:], sa[4:])
	}
	return RouteAddr{IP: netip.AddrFrom4(ip)}
}

// parseMask reads a netmask as rtm_scrub (bsd/net/route.c) leaves it in a dump: the radix tree's trimmed
// copy, whose sa_len counts only up to the last non-zero byte and whose sa_family cannot be trusted
// (rn_addmask may fill it with ones), so the destination's family says where the mask starts. An empty
// mask (sa_len 0) is all zeros: the default route's.
func parseMask(sa []byte, family int) RouteAddr {
	switch family {
	case afInet6:
		var ip [16]byte
		if len(sa) > 8 {
			copy(ip[:], sa[8:])
		}
		return RouteAddr{IP: netip.AddrFrom16(ip)}
	case afInet:
		var ip [4]byte
		if len(sa) > 4 {
			copy(ip[:], sa[4:])
		}
		return RouteAddr{IP: netip.AddrFrom4(ip)}
	}
	return RouteAddr{}
}

// parseSockaddrDl reads a sockaddr_dl (bsd/net/if_dl.h): sdl_len, sdl_family, sdl_index (2), sdl_type,
// sdl_nlen, sdl_alen, sdl_slen, then the name and the link-layer address in sdl_data.
func parseSockaddrDl(sa []byte) (RouteAddr, error) {
	if len(sa) < 8 {
		return RouteAddr{}, fmt.Errorf("sockaddr_dl of %d bytes", len(sa))
	}
	nlen, alen := int(sa[5]), int(sa[6])
	if 8+nlen+alen > len(sa) {
		return RouteAddr{}, fmt.Errorf("sockaddr_dl: name %d and address %d bytes in sa_len %d", nlen, alen, len(sa))
	}
	l := &RouteLink{Index: int(binary.NativeEndian.Uint16(sa[2:])), Name: string(sa[8 : 8+nlen])}
	if alen > 0 {
		l.Addr = net.HardwareAddr(append([]byte(nil), sa[8+nlen:8+nlen+alen]...))
	}
	return RouteAddr{Link: l}, nil
}
