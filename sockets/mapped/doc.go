// Package mapped holds the first-datagram checks of UDP sendto() through
// IPv4-mapped IPv6 addresses (sockets.mapped-sendto.*), their plain AF_INET
// controls (sockets.inet4-sendto.*) and the same cases repeated through a
// user-space content filter (cfil.userspace-filter.first-datagram).
//
// The seed: on macOS 15.6.1 an AF_INET6 UDP socket with IPV6_V6ONLY off,
// bound to ::ffff:<own IPv4>, loses the FIRST datagram it sends while
// sendto() returns success; the second goes through. xnu's own test for
// mapped addresses looks only at sendto's return value, so it passes on the
// broken release. These checks look at both sides: what the call said and
// what arrived (at the socket itself, or on the wire at an emulated peer),
// per datagram, over K fresh sockets, so the report reads "1st datagram lost
// 7/10" rather than a coin flip.
package mapped
