package mapped

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sendto is the sendto(2) system call itself, returning its byte count:
// x/sys/unix.Sendto discards it, and a short or zero count is evidence too.
// A nil to is send(2) on a connected socket (sendto with no address).
func sendto(fd int, p []byte, to unix.Sockaddr) (int, error) {
	var (
		ptr unsafe.Pointer
		n   uintptr
	)
	switch sa := to.(type) {
	case nil:
	case *unix.SockaddrInet4:
		var raw unix.RawSockaddrInet4
		raw.Family = unix.AF_INET
		setPort(&raw.Port, sa.Port)
		raw.Addr = sa.Addr
		ptr, n = unsafe.Pointer(&raw), unsafe.Sizeof(raw)
	case *unix.SockaddrInet6:
		var raw unix.RawSockaddrInet6
		raw.Family = unix.AF_INET6
		setPort(&raw.Port, sa.Port)
		raw.Addr = sa.Addr
		raw.Scope_id = sa.ZoneId
		ptr, n = unsafe.Pointer(&raw), unsafe.Sizeof(raw)
	default:
		return -1, unix.EAFNOSUPPORT
	}
	var buf unsafe.Pointer
	if len(p) > 0 {
		buf = unsafe.Pointer(&p[0])
	}
	r, _, errno := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(buf), uintptr(len(p)), 0, uintptr(ptr), n)
	if errno != 0 {
		return -1, errno
	}
	return int(r), nil
}

// setPort stores port in network byte order.
func setPort(field *uint16, port int) {
	b := (*[2]byte)(unsafe.Pointer(field))
	b[0], b[1] = byte(port>>8), byte(port)
}
