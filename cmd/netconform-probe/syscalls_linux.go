package main

import "golang.org/x/sys/unix"

// On Linux socket() and close() of a socket that never connected return at
// once, so the loop calls them raw: no entersyscall/exitsyscall and no sysmon
// hand-off of the P, which cost the Go loop ~5% against the seed's C program.
// (x/sys's Socket is already raw; its Close is not.)

func sysSocket(domain, typ int) (int, unix.Errno) {
	fd, _, e := unix.RawSyscall(unix.SYS_SOCKET, uintptr(domain), uintptr(typ), 0)
	return int(fd), e
}

func sysClose(fd int) unix.Errno {
	_, _, e := unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
	return e
}
