package mapped

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sendmsgXAvailable: xnu has sendmsg_x (syscall 481, bsd/kern/syscalls.master).
const sendmsgXAvailable = true

const sendmsgXMissing = ""

// msghdrX is xnu's struct msghdr_x (bsd/sys/socket_private.h,
// xnu-11417.121.6), laid out for LP64 (every macOS netconform builds for):
// msg_name 0, msg_namelen 8, msg_iov 16, msg_iovlen 24, msg_control 32,
// msg_controllen 40, msg_flags 44, msg_datalen 48; 56 bytes.
type msghdrX struct {
	name       *byte
	namelen    uint32
	_          [4]byte
	iov        *unix.Iovec
	iovlen     int32
	_          [4]byte
	control    *byte
	controllen uint32
	flags      int32
	datalen    uint64
}

// sendmsgX sends p as one datagram with sendmsg_x(s, msgp, 1, 0) on a
// connected socket: no address and no control data, as socket_private.h
// requires ("msg_name, msg_namelen, msg_control and msg_controllen must be
// set to zero"). A connected datagram socket takes sosend_list (uipc_syscalls.c,
// sendmsg_x -> sendit_x), which creates its flow with no remote address
// (uipc_socket.c, soflow_get_flow(so, NULL, NULL, NULL, ...)). It returns
// the number of datagrams sent (1), not bytes.
func sendmsgX(fd int, p []byte) (int, error) {
	var iov unix.Iovec
	if len(p) > 0 {
		iov.Base = &p[0]
	}
	iov.SetLen(len(p))
	h := msghdrX{iov: &iov, iovlen: 1}
	r, _, errno := unix.Syscall6(unix.SYS_SENDMSG_X, uintptr(fd), uintptr(unsafe.Pointer(&h)), 1, 0, 0, 0)
	runtime.KeepAlive(p)
	runtime.KeepAlive(&iov)
	if errno != 0 {
		return -1, errno
	}
	return int(r), nil
}
