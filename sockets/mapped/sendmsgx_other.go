//go:build !darwin

package mapped

import "golang.org/x/sys/unix"

// sendmsgXAvailable: sendmsg_x is xnu's private system call (syscall 481,
// declared in bsd/sys/socket_private.h); no other kernel has it.
const sendmsgXAvailable = false

// sendmsgXMissing is the reason a sendmsg_x case is skipped here.
const sendmsgXMissing = "sendmsg_x is xnu's private system call (bsd/sys/socket_private.h): macOS only"

func sendmsgX(int, []byte) (int, error) { return -1, unix.ENOSYS }
