//go:build !linux

package main

import "golang.org/x/sys/unix"

// Elsewhere (darwin) system calls go through libc: use x/sys's wrappers.

func sysSocket(domain, typ int) (int, unix.Errno) {
	fd, err := unix.Socket(domain, typ, 0)
	if err != nil {
		return -1, asErrno(err)
	}
	return fd, 0
}

func sysClose(fd int) unix.Errno {
	if err := unix.Close(fd); err != nil {
		return asErrno(err)
	}
	return 0
}
