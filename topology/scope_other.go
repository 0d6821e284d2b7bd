//go:build !darwin

package topology

import "syscall"

// scopeToInterface is needed only where the SUT is the host itself (macOS,
// scope_darwin.go); the feth driver's tests run here on a fake host.
func scopeToInterface(string) func(network, address string, c syscall.RawConn) error { return nil }
