package mapped

import (
	"encoding/binary"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pktinfo6 is an IPV6_PKTINFO control message naming src (in mapped form)
// as the source and no interface: struct in6_pktinfo { struct in6_addr
// ipi6_addr; unsigned int ipi6_ifindex; }, the same on Linux and macOS
// (netinet6/in6.h). xnu's flow tracking reads the local address of a new
// UDP flow from exactly this message (socket_flows.c,
// soflow_udp_get_address_from_control).
func pktinfo6(src netip.Addr) []byte {
	data := make([]byte, 20)
	a := src.As16() // ::ffff:a.b.c.d for an IPv4 address
	copy(data, a[:])
	return cmsg(unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, data)
}

// pktinfo4 is an IP_PKTINFO control message with src as ipi_spec_dst (the
// source both kernels use on output: Linux ip_cmsg_send, xnu
// udp_check_pktinfo) and no interface: struct in_pktinfo { ifindex;
// ipi_spec_dst; ipi_addr; }, 12 bytes on both. xnu's flow tracking does not
// read it (it reads IPV6_PKTINFO, and IP_RECVDSTADDR for AF_INET flows).
func pktinfo4(src netip.Addr) []byte {
	data := make([]byte, 12)
	a := src.Unmap().As4()
	copy(data[4:8], a[:])
	copy(data[8:12], a[:])
	binary.NativeEndian.PutUint32(data[0:4], 0)
	return cmsg(unix.IPPROTO_IP, unix.IP_PKTINFO, data)
}

// cmsg lays out one control message: the OS's cmsghdr, then data, padded
// as CMSG_SPACE says.
func cmsg(level, typ int, data []byte) []byte {
	b := make([]byte, unix.CmsgSpace(len(data)))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = int32(level), int32(typ)
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b
}
