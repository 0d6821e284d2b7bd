package cfil

import (
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/topology"
)

// udpFamily is how the test's sockets are made: plain IPv4, or AF_INET6
// dual-stack sockets (IPV6_V6ONLY off) bound to an IPv4-mapped address, the
// macOS 15.6.1 report's setup.
type udpFamily struct {
	name   string
	domain int
	addr   netip.Addr
}

var udpFamilies = []udpFamily{
	{"ipv4", unix.AF_INET, sutIPv4},
	{"ipv4-mapped dual-stack", unix.AF_INET6, netip.AddrFrom16(sutIPv4.As16())},
	{"ipv6 loopback", unix.AF_INET6, netip.IPv6Loopback()},
}

// recvWait bounds the wait for a datagram the test expects to be dropped.
const recvWait = 300 * time.Millisecond

// udpSocket is a raw socket descriptor, so that sendto()'s own return value
// is what the test checks.
type udpSocket struct {
	fd   int
	port int
}

func sockaddr(a netip.Addr, port int) unix.Sockaddr {
	if a.Is4() {
		return &unix.SockaddrInet4{Addr: a.As4(), Port: port}
	}
	return &unix.SockaddrInet6{Addr: a.As16(), Port: port}
}

// openUDP creates and binds a socket inside the SUT's namespace (where it
// stays) on an ephemeral port.
func openUDP(t *testing.T, sut topology.SUT, fam udpFamily) udpSocket {
	t.Helper()
	var s udpSocket
	err := sut.Do(func() error {
		fd, err := unix.Socket(fam.domain, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		s.fd = fd
		if fam.domain == unix.AF_INET6 {
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
				return err
			}
		}
		tv := unix.NsecToTimeval(recvWait.Nanoseconds())
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			return err
		}
		var sa unix.Sockaddr = &unix.SockaddrInet6{Addr: fam.addr.As16()}
		if fam.domain == unix.AF_INET {
			sa = &unix.SockaddrInet4{Addr: fam.addr.As4()}
		}
		if err := unix.Bind(fd, sa); err != nil {
			return err
		}
		got, err := unix.Getsockname(fd)
		if err != nil {
			return err
		}
		switch a := got.(type) {
		case *unix.SockaddrInet4:
			s.port = a.Port
		case *unix.SockaddrInet6:
			s.port = a.Port
		}
		return nil
	})
	if err != nil {
		if s.fd > 0 {
			unix.Close(s.fd)
		}
		t.Fatalf("%s socket on %s: %v", fam.name, fam.addr, err)
	}
	t.Cleanup(func() { unix.Close(s.fd) })
	return s
}

// sendTo sends msg and fails the test unless sendto() reports it all sent:
// the filter's drops must be silent, as on macOS.
func (s udpSocket) sendTo(t *testing.T, fam udpFamily, to udpSocket, msg string) {
	t.Helper()
	dst := sockaddr(fam.addr, to.port)
	if fam.domain == unix.AF_INET6 {
		dst = &unix.SockaddrInet6{Addr: fam.addr.As16(), Port: to.port}
	}
	if err := unix.Sendto(s.fd, []byte(msg), 0, dst); err != nil {
		t.Fatalf("sendto(%q) to %s port %d: %v", msg, fam.addr, to.port, err)
	}
}

// receive returns the next datagram, or "" when none came within recvWait.
func (s udpSocket) receive(t *testing.T) string {
	t.Helper()
	buf := make([]byte, 512)
	for {
		n, _, err := unix.Recvfrom(s.fd, buf, 0)
		switch err {
		case nil:
			return string(buf[:n])
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return ""
		}
		t.Fatalf("recvfrom: %v", err)
	}
}
