//go:build !linux

package main

import (
	"golang.org/x/sys/unix"
)

// The TCP loops' system calls elsewhere (darwin): x/sys's libc wrappers.

// endpoint is a socket address ready for connect() and bind().
type endpoint struct {
	domain int
	sa     unix.Sockaddr
}

func newEndpoint(domain int, sa unix.Sockaddr) (*endpoint, error) {
	switch sa.(type) {
	case *unix.SockaddrInet4:
		return &endpoint{domain: unix.AF_INET, sa: sa}, nil
	case *unix.SockaddrInet6:
		return &endpoint{domain: unix.AF_INET6, sa: sa}, nil
	}
	return nil, unix.EAFNOSUPPORT
}

// sysStreamSocket creates a TCP socket, non-blocking if asked (darwin has
// no SOCK_NONBLOCK: fcntl after socket, as a C program does).
func sysStreamSocket(domain int, nonblock bool) (int, string, unix.Errno) {
	fd, e := sysSocket(domain, unix.SOCK_STREAM)
	if e != 0 {
		return -1, "socket", e
	}
	if nonblock {
		if e := sysSetNonblock(fd); e != 0 {
			sysClose(fd)
			return -1, "fcntl", e
		}
	}
	return fd, "socket", 0
}

func sysConnect(fd int, ep *endpoint) unix.Errno {
	err := unix.Connect(fd, ep.sa)
	for err == unix.EINTR {
		err = unix.Connect(fd, ep.sa)
		if err == unix.EISCONN {
			return 0
		}
	}
	if err != nil {
		return asErrno(err)
	}
	return 0
}

func sysAccept(fd int) (int, unix.Errno) {
	for {
		s, _, err := unix.Accept(fd)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, asErrno(err)
		}
		return s, 0
	}
}

func sysBind(fd int, ep *endpoint) unix.Errno {
	if err := unix.Bind(fd, ep.sa); err != nil {
		return asErrno(err)
	}
	return 0
}

func sysListen(fd, backlog int) unix.Errno {
	if err := unix.Listen(fd, backlog); err != nil {
		return asErrno(err)
	}
	return 0
}

func sysV6OnlyOff(fd int) unix.Errno {
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
		return asErrno(err)
	}
	return 0
}

func sysReuseAddr(fd int) unix.Errno {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return asErrno(err)
	}
	return 0
}

var optLinger = unix.Linger{Onoff: 1, Linger: 0}

func sysLinger0(fd int) unix.Errno {
	if err := unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &optLinger); err != nil {
		return asErrno(err)
	}
	return 0
}

func sysSetNonblock(fd int) unix.Errno {
	if err := unix.SetNonblock(fd, true); err != nil {
		return asErrno(err)
	}
	return 0
}

// sysReserveFDs has nothing to prepare where the descriptor table grows
// without waiting (darwin).
func sysReserveFDs(fd, n int) {}

// sysSetInt sets an integer socket option.
func sysSetInt(fd, level, opt, v int) unix.Errno {
	if err := unix.SetsockoptInt(fd, level, opt, v); err != nil {
		return asErrno(err)
	}
	return 0
}
