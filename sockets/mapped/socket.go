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
	// to is where a connected socket is connected.
	to netip.AddrPort
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

// openSocket creates a case's socket inside the SUT's network context
// (where it then stays), sets IPV6_V6ONLY, binds and connects it as the spec
// says. own is the SUT's IPv4 address; dest gives the destination once the
// socket's own address is known (a socket sent its own datagrams needs its
// port first).
func openSocket(sut topology.SUT, sp spec, own netip.Addr, dest func(local netip.AddrPort) netip.AddrPort) (*udpSocket, *callError) {
	var s *udpSocket
	var cerr *callError
	err := sut.Do(func() error {
		s, cerr = newSocket(sp, own, dest)
		return nil
	})
	if err != nil {
		return nil, failed("enter SUT", err)
	}
	return s, cerr
}

func newSocket(sp spec, own netip.Addr, dest func(netip.AddrPort) netip.AddrPort) (*udpSocket, *callError) {
	s, cerr := rawSocket(sp)
	if cerr != nil {
		return nil, cerr
	}
	if sp.Bind != BindNone {
		addr := own
		if sp.Family == "inet6" {
			addr = sp.Bind.Address(own)
		}
		port := uint16(0)
		if sp.Port == PortFixed {
			var cerr *callError
			if port, cerr = freePort(sp, addr); cerr != nil {
				s.close()
				return nil, cerr
			}
		}
		if err := unix.Bind(s.fd, s.sockaddr(netip.AddrPortFrom(addr, port))); err != nil {
			s.close()
			return nil, failed("bind", err)
		}
	}
	if sp.Call.Connects() {
		s.to = dest(s.local())
		if err := unix.Connect(s.fd, s.sockaddr(s.to)); err != nil {
			s.close()
			return nil, failed("connect", err)
		}
	}
	return s, nil
}

// rawSocket is socket(2) plus IPV6_V6ONLY for AF_INET6.
func rawSocket(sp spec) (*udpSocket, *callError) {
	domain := unix.AF_INET6
	if sp.Family == "inet" {
		domain = unix.AF_INET
	}
	fd, err := unix.Socket(domain, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
	if err != nil {
		return nil, failed("socket", err)
	}
	unix.CloseOnExec(fd) // a probe started meanwhile must not inherit it
	s := &udpSocket{fd: fd, family: sp.Family}
	if sp.Family == "inet6" {
		v := 0
		if sp.V6Only {
			v = 1
		}
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v); err != nil {
			s.close()
			return nil, failed("setsockopt", err)
		}
	}
	return s, nil
}

// freePort is the port a fixed-port case binds: one the stack reports free
// for addr (a scratch socket of the same kind bound to port 0, then
// closed). A refusal of the scratch bind is the stack's answer to the same
// bind, so it is reported as the bind's.
func freePort(sp spec, addr netip.Addr) (uint16, *callError) {
	scratch, cerr := rawSocket(sp)
	if cerr != nil {
		return 0, cerr
	}
	defer scratch.close()
	if err := unix.Bind(scratch.fd, scratch.sockaddr(netip.AddrPortFrom(addr, 0))); err != nil {
		return 0, failed("bind", err)
	}
	return scratch.local().Port(), nil
}

// sockaddr is a for this socket's family: the IPv4-mapped form on AF_INET6.
func (s *udpSocket) sockaddr(a netip.AddrPort) unix.Sockaddr {
	if s.family == "inet" {
		return &unix.SockaddrInet4{Port: int(a.Port()), Addr: a.Addr().Unmap().As4()}
	}
	// As16 of an IPv4 address is its IPv4-mapped form, ::ffff:a.b.c.d.
	return &unix.SockaddrInet6{Port: int(a.Port()), Addr: a.Addr().As16()}
}

// display is a as this socket's calls name it: IPv4-mapped on AF_INET6.
func (s *udpSocket) display(a netip.AddrPort) netip.AddrPort {
	if s.family == "inet" {
		return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
	}
	return netip.AddrPortFrom(netip.AddrFrom16(a.Addr().As16()), a.Port())
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

// send hands payload to the stack with call: to is the destination of the
// calls that name one, src the SUT's IPv4 address for the PKTINFO control
// messages. It returns the call's own return value (bytes sent; datagrams
// sent for sendmsg_x) and error.
func (s *udpSocket) send(call Call, payload []byte, to netip.AddrPort, src netip.Addr) (int, error) {
	var oob []byte
	switch call {
	case CallConnectSend:
		return sendto(s.fd, payload, nil)
	case CallConnectSendmsgX:
		return sendmsgX(s.fd, payload)
	case CallSendmsg:
	case CallSendmsgPktinfo6:
		oob = pktinfo6(src)
	case CallSendmsgPktinfo4:
		oob = pktinfo4(src)
	default:
		return sendto(s.fd, payload, s.sockaddr(to))
	}
	// sendmsg(2) itself, through x/sys: SendmsgN returns the kernel's byte
	// count (0, not -1, with an error: the call's -1 is put back here).
	n, err := unix.SendmsgN(s.fd, payload, oob, s.sockaddr(to), 0)
	if err != nil {
		return -1, err
	}
	return n, nil
}

func (s *udpSocket) close() error { return unix.Close(s.fd) }
