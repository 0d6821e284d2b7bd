//go:build !darwin

package ipv6

import "syscall"

// scopeToInterface is needed only where the SUT is the host itself (macOS):
// on Linux the SUT's namespace holds nothing but the lab, so an unbound
// socket can only use the lab's routes.
func scopeToInterface(string) func(network, address string, c syscall.RawConn) error { return nil }
