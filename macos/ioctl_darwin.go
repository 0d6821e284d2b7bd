//go:build darwin

package macos

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioctlPtr issues ioctl(fd, req, arg) for a request whose argument is a structure. x/sys/unix exports no
// generic pointer ioctl on darwin, so this goes through its Syscall; callers keep arg alive across the call.
func ioctlPtr(fd int, req uint, arg unsafe.Pointer) error {
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
	if errno != 0 {
		return errno
	}
	return nil
}
