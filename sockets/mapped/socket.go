package mapped

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/topology"
)

// udpSocket is a UDP socket made with the raw calls, so every return value
// and errno is the kernel's own, with nothing in between (no net.Conn
// retries, no address rewriting).
type udpSocket struct {
	fd     int
	family string
}

// callError is a failed socket call with its errno by name.
type callError struct {
	Call  string
	Errno string
	Err   error
}

func (e *callError) Error() string { return fmt.Sprintf("%s: %s (%v)", e.Call, e.Errno, e.Err) }

func failed(call string, err error) *callError {
	name := err.Error()
	if errno, ok := err.(unix.Errno); ok {
		if n := unix.ErrnoName(errno); n != "" {
			name = n
		}
	}
	return &callError{Call: call, Errno: name, Err: err}
}

// openSocket creates the case's socket inside the SUT's network context
// (where it then stays) and binds and connects it as the case says. local
// is the SUT's IPv4 address; to the destination (unused unless Connect).
func openSocket(sut topology.SUT, c Case, local netip.Addr, to netip.AddrPort) (*udpSocket, *callError) {
	var s *udpSocket
	var cerr *callError
	err := sut.Do(func() error {
		s, cerr = newSocket(c, local, to)
		return nil
	})
	if err != nil {
		return nil, failed("enter SUT", err)
	}
	return s, cerr
}

func newSocket(c Case, local netip.Addr, to netip.AddrPort) (*udpSocket, *callError) {
	domain := unix.AF_INET6
	if c.Family == "inet" {
		domain = unix.AF_INET
	}
	fd, err := unix.Socket(domain, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
	if err != nil {
		return nil, failed("socket", err)
	}
	unix.CloseOnExec(fd) // a probe started meanwhile must not inherit it
	s := &udpSocket{fd: fd, family: c.Family}
	if c.Family == "inet6" {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
			s.close()
			return nil, failed("setsockopt", err)
		}
	}
	if c.Bind {
		if err := unix.Bind(fd, s.sockaddr(netip.AddrPortFrom(local, 0))); err != nil {
			s.close()
			return nil, failed("bind", err)
		}
	}
	if c.Connect {
		if err := unix.Connect(fd, s.sockaddr(to)); err != nil {
			s.close()
			return nil, failed("connect", err)
		}
	}
	return s, nil
}

// sockaddr is a for this socket's family: the IPv4-mapped form on AF_INET6.
func (s *udpSocket) sockaddr(a netip.AddrPort) unix.Sockaddr {
	if s.family == "inet" {
		return &unix.SockaddrInet4{Port: int(a.Port()), Addr: a.Addr().Unmap().As4()}
	}
	// As16 of an IPv4 address is its IPv4-mapped form, ::ffff:a.b.c.d.
	return &unix.SockaddrInet6{Port: int(a.Port()), Addr: a.Addr().As16()}
}

// local is getsockname, in the socket's own family (mapped for AF_INET6).
func (s *udpSocket) local() netip.AddrPort {
	sa, err := unix.Getsockname(s.fd)
	if err != nil {
		return netip.AddrPort{}
	}
	return addrPortOf(sa)
}

func addrPortOf(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// send sends payload with sendto(to), or send() when to is invalid (a
// connected socket), and returns the call's return value and error.
func (s *udpSocket) send(payload []byte, to netip.AddrPort) (int, error) {
	if !to.IsValid() {
		return sendto(s.fd, payload, nil)
	}
	return sendto(s.fd, payload, s.sockaddr(to))
}

func (s *udpSocket) close() error { return unix.Close(s.fd) }
