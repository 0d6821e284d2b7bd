//go:build !linux

package mapped

import "golang.org/x/sys/unix"

// sendto sends with sendmsg(2), which returns the byte count (the darwin
// build; the checks run on Linux labs, the macOS driver may send its own way).
func sendto(fd int, p []byte, to unix.Sockaddr) (int, error) {
	n, err := unix.SendmsgN(fd, p, nil, to, 0)
	if err != nil {
		return -1, err
	}
	return n, nil
}
