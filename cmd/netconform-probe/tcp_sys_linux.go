package main

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The TCP loops' system calls on Linux. socket() and close() are raw (see
// syscalls_linux.go); connect() and accept() may block, so they go through
// Syscall, which lets the runtime run other goroutines meanwhile, with a
// sockaddr built once: no allocation per connection.

// endpoint is a socket address ready for connect() and bind().
type endpoint struct {
	domain int
	ptr    unsafe.Pointer
	len    uintptr
}

func newEndpoint(domain int, sa unix.Sockaddr) (*endpoint, error) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		raw := &unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: a.Addr}
		p := (*[2]byte)(unsafe.Pointer(&raw.Port))
		p[0], p[1] = byte(a.Port>>8), byte(a.Port)
		return &endpoint{domain: unix.AF_INET, ptr: unsafe.Pointer(raw), len: unix.SizeofSockaddrInet4}, nil
	case *unix.SockaddrInet6:
		raw := &unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: a.Addr, Scope_id: a.ZoneId}
		p := (*[2]byte)(unsafe.Pointer(&raw.Port))
		p[0], p[1] = byte(a.Port>>8), byte(a.Port)
		return &endpoint{domain: unix.AF_INET6, ptr: unsafe.Pointer(raw), len: unix.SizeofSockaddrInet6}, nil
	}
	return nil, unix.EAFNOSUPPORT
}

// sysStreamSocket creates a TCP socket, non-blocking if asked (one call:
// SOCK_NONBLOCK).
func sysStreamSocket(domain int, nonblock bool) (int, string, unix.Errno) {
	typ := unix.SOCK_STREAM
	if nonblock {
		typ |= unix.SOCK_NONBLOCK
	}
	fd, e := sysSocket(domain, typ)
	return fd, "socket", e
}

// sysConnect connects fd to ep. A signal that interrupts a blocking
// connect restarts it (EINTR: the connection goes on in the kernel, and a
// second connect() waits for it or says EISCONN).
func sysConnect(fd int, ep *endpoint) unix.Errno {
	_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(ep.ptr), ep.len)
	for e == unix.EINTR {
		_, _, e = unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(ep.ptr), ep.len)
		if e == unix.EISCONN {
			return 0
		}
	}
	return e
}

func sysAccept(fd int) (int, unix.Errno) {
	for {
		s, _, e := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(fd), 0, 0, 0, 0, 0)
		if e != unix.EINTR {
			return int(s), e
		}
	}
}

func sysBind(fd int, ep *endpoint) unix.Errno {
	_, _, e := unix.RawSyscall(unix.SYS_BIND, uintptr(fd), uintptr(ep.ptr), ep.len)
	return e
}

func sysListen(fd, backlog int) unix.Errno {
	_, _, e := unix.RawSyscall(unix.SYS_LISTEN, uintptr(fd), uintptr(backlog), 0)
	return e
}

// Option values live in package variables: their address is taken for
// setsockopt without an allocation per call.
var (
	optZero   int32
	optOne    int32 = 1
	optLinger       = unix.Linger{Onoff: 1, Linger: 0}
)

func setsockopt(fd, level, opt int, p unsafe.Pointer, n uintptr) unix.Errno {
	_, _, e := unix.RawSyscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt), uintptr(p), n, 0)
	return e
}

// sysV6OnlyOff makes an AF_INET6 socket dual-stack (IPV6_V6ONLY 0).
func sysV6OnlyOff(fd int) unix.Errno {
	return setsockopt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, unsafe.Pointer(&optZero), 4)
}

func sysReuseAddr(fd int) unix.Errno {
	return setsockopt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, unsafe.Pointer(&optOne), 4)
}

// sysLinger0 sets SO_LINGER {on, 0 s}: close() then aborts with an RST.
func sysLinger0(fd int) unix.Errno {
	return setsockopt(fd, unix.SOL_SOCKET, unix.SO_LINGER, unsafe.Pointer(&optLinger), unix.SizeofLinger)
}

// sysSetNonblock is part of socket() on Linux; it exists for the other
// loop paths.
func sysSetNonblock(fd int) unix.Errno {
	if err := unix.SetNonblock(fd, true); err != nil {
		return asErrno(err)
	}
	return 0
}

// sysReserveFDs grows the descriptor table to hold n more descriptors
// above fd, once, before a timed loop that keeps n sockets open. Linux
// grows the table by doubling, and in a multi-threaded process (any Go
// program) each growth waits for an RCU grace period (fs/file.c,
// expand_fdtable: synchronize_rcu when files->count > 1): a single-threaded
// C program does not pay that, and the rates would not compare.
func sysReserveFDs(fd, n int) {
	if err := unix.Dup3(fd, fd+n+1, unix.O_CLOEXEC); err == nil {
		unix.Close(fd + n + 1)
	}
}

// sysSetInt sets an integer socket option.
func sysSetInt(fd, level, opt, v int) unix.Errno {
	if err := unix.SetsockoptInt(fd, level, opt, v); err != nil {
		return asErrno(err)
	}
	return 0
}
