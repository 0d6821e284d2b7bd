package macos

import (
	"errors"
	"fmt"
	"syscall"
)

// Request numbers and argument layouts of the private IPv6 ioctls the darwin driver issues on an AF_INET6
// datagram socket. They are kept free of build tags so that the arithmetic is tested on Linux.
//
// Encoding, from xnu bsd/sys/ioccom.h: _IOC(inout, group, num, len) =
// inout | ((len & IOCPARM_MASK) << 16) | (group << 8) | num, with IOCPARM_MASK = 0x1fff,
// IOC_OUT = 0x40000000, IOC_IN = 0x80000000, and _IOWR using IOC_IN|IOC_OUT.
const (
	iocParmMask = 0x1fff
	iocOut      = 0x40000000
	iocIn       = 0x80000000
	iocInOut    = iocIn | iocOut
)

// IOWR computes _IOWR(group, num, size) as bsd/sys/ioccom.h does.
func IOWR(group byte, num uint8, size uintptr) uint32 {
	return iocInOut | (uint32(size)&iocParmMask)<<16 | uint32(group)<<8 | uint32(num)
}

// Requests from bsd/netinet6/in6_var.h (xnu-11417.121.6). Each value is _IOWR('i', n, struct) with the struct
// sizes of the LP64 user-space layouts below; ioctl_test.go recomputes every one from those layouts.
const (
	// SIOCGIFINFO_IN6 is _IOWR('i', 76, struct in6_ondireq): reads the ND6 per-interface info.
	SIOCGIFINFO_IN6 = 0xC030694C
	// SIOCSIFINFO_FLAGS is _IOWR('i', 87, struct in6_ndireq): sets only ndi.flags (nd6.c ignores the rest).
	SIOCSIFINFO_FLAGS = 0xC0486957
	// SIOCPROTOATTACH_IN6 is _IOWR('i', 110, struct in6_aliasreq): attaches IPv6 to an interface.
	SIOCPROTOATTACH_IN6 = 0xC080696E
	// SIOCLL_START is _IOWR('i', 130, struct in6_aliasreq): starts acquiring a link-local address.
	SIOCLL_START = 0xC0806982
	// SIOCAUTOCONF_START is _IOWR('i', 132, struct in6_ifreq): sets IFEF_ACCEPT_RTADV, so RAs are processed.
	SIOCAUTOCONF_START = 0xC1206984
	// SIOCAUTOCONF_STOP is _IOWR('i', 133, struct in6_ifreq): clears it and removes autoconfigured addresses.
	SIOCAUTOCONF_STOP = 0xC1206985
)

// ND6 per-interface flags (struct nd_ifinfo.flags) from bsd/netinet6/nd6.h; `ifconfig` prints them as
// "nd6 options=...".
const (
	ND6_IFF_PERFORMNUD     = 0x1
	ND6_IFF_ACCEPT_RTADV   = 0x2
	ND6_IFF_PREFER_SOURCE  = 0x4
	ND6_IFF_IFDISABLED     = 0x8
	ND6_IFF_PROXY_PREFIXES = 0x20
	ND6_IFF_IGNORE_NA      = 0x40
	ND6_IFF_INSECURE       = 0x80
	ND6_IFF_REPLICATED     = 0x100
	// ND6_IFF_DAD makes the interface run duplicate address detection. xnu's tests/net_test_lib.c clears it
	// on feth before SIOCLL_START to avoid a one-second wait.
	ND6_IFF_DAD = 0x200
)

// ifNameSize is IFNAMSIZ.
const ifNameSize = 16

// sockaddrIn6 mirrors struct sockaddr_in6 (28 bytes, 4-byte aligned).
type sockaddrIn6 struct {
	Len      uint8
	Family   uint8
	Port     uint16
	Flowinfo uint32
	Addr     [16]byte
	ScopeID  uint32
}

// in6AddrLifetime mirrors struct in6_addrlifetime on LP64 (time_t is 64-bit).
type in6AddrLifetime struct {
	Expire    int64
	Preferred int64
	VLTime    uint32
	PLTime    uint32
}

// in6IfreqUnionSize is the size of in6_ifreq's ifr_ifru union: its largest member is struct icmp6_ifstat,
// 34 u_quad_t counters (272 bytes); struct in6_ifstat has 25 (200 bytes). It is 8-byte aligned.
const in6IfreqUnionSize = 34 * 8

// In6Ifreq mirrors struct in6_ifreq (bsd/netinet6/in6_var.h), 288 bytes. Only the name is used by
// SIOCAUTOCONF_START/STOP.
type In6Ifreq struct {
	Name [ifNameSize]byte
	Ifru [in6IfreqUnionSize / 8]uint64
}

// In6Aliasreq mirrors struct in6_aliasreq on LP64, 128 bytes. SIOCPROTOATTACH_IN6 and SIOCLL_START use only
// the name when the rest is zero.
type In6Aliasreq struct {
	Name       [ifNameSize]byte
	Addr       sockaddrIn6
	DstAddr    sockaddrIn6
	PrefixMask sockaddrIn6
	Flags      int32
	Lifetime   in6AddrLifetime
}

// NDIfInfo mirrors the user-space struct nd_ifinfo of bsd/netinet6/nd6.h.
type NDIfInfo struct {
	LinkMTU       uint32
	MaxMTU        uint32
	BaseReachable uint32
	Reachable     uint32
	Retrans       uint32
	Flags         uint32
	RecalcTM      int32
	ChLim         uint8
	ReceivedRA    uint8
	RandomSeed0   [8]uint8
	RandomSeed1   [8]uint8
	RandomID      [8]uint8
}

// In6Ndireq mirrors struct in6_ndireq (72 bytes), the argument of SIOCSIFINFO_FLAGS.
type In6Ndireq struct {
	Name [ifNameSize]byte
	ND   NDIfInfo
}

// In6Ondireq mirrors struct in6_ondireq (48 bytes), the argument of SIOCGIFINFO_IN6. Its flags sit at the
// same offset as in In6Ndireq, which is why net_test_lib.c can read with one and write with the other.
type In6Ondireq struct {
	Name [ifNameSize]byte
	ND   struct {
		LinkMTU        uint32
		MaxMTU         uint32
		BaseReachable  uint32
		Reachable      uint32
		Retrans        uint32
		Flags          uint32
		RecalcTM       int32
		ChLim          uint8
		ReceivedRA     uint8
		CollisionCount uint8
	}
}

// IfName converts an interface name to the fixed, NUL-terminated field of the request structures.
func IfName(name string) ([ifNameSize]byte, error) {
	var b [ifNameSize]byte
	if name == "" || len(name) >= ifNameSize {
		return b, fmt.Errorf("macos: interface name %q must have 1 to %d bytes", name, ifNameSize-1)
	}
	for i := 0; i < len(name); i++ {
		if name[i] == 0 {
			return b, fmt.Errorf("macos: interface name %q contains NUL", name)
		}
	}
	copy(b[:], name)
	return b, nil
}

// NDFlagsWithout returns flags with clear removed; it reports whether anything changed so that the caller
// can skip SIOCSIFINFO_FLAGS like net_test_lib.c does.
func NDFlagsWithout(flags, clear uint32) (uint32, bool) {
	n := flags &^ clear
	return n, n != flags
}

// AttachedAlready reports whether a SIOCPROTOATTACH_IN6 error means that IPv6 was attached already:
// in6_domifattach (bsd/netinet6/in6_ifattach.c) returns proto_plumb's EEXIST as it is, without logging it
// and without touching the interface, when PF_INET6 is plumbed. EEXIST is 17 on darwin and Linux alike.
func AttachedAlready(err error) bool { return errors.Is(err, syscall.EEXIST) }
