package topology

import (
	"fmt"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// scopeToInterface binds a socket to the lab's interface with IPV6_BOUND_IF.
// On macOS the SUT is the host: an unbound socket's lookup would take the
// Mac's primary (unscoped) default route, out of the user's real network.
// Scoped to the lab's interface, the kernel still chooses the source address
// and the router by itself, which is what rule 5.5 examines.
func scopeToInterface(ifname string) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			// %v, not %w: a missing lab interface is the harness's
			// trouble, and an errno inside must not read as the stack's
			// refusal (refusalOf).
			return fmt.Errorf("scope socket to %s: %v", ifname, err)
		}
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_BOUND_IF, ifi.Index)
		}); err != nil {
			return err
		}
		if serr != nil {
			// The stack refused the option: its answer, named as a call.
			return fmt.Errorf("IPV6_BOUND_IF %s: %w", ifname, os.NewSyscallError("setsockopt", serr))
		}
		return nil
	}
}
