//go:build !linux

package topology

import "time"

// WatchAddresses on macOS re-reads the addresses every 10 ms: the routing
// socket's RTM_NEWADDR would be the event, but nothing of it has run on a Mac
// yet, and a missed message must not turn into a wait to the deadline.
func WatchAddresses(SUT) (AddressWatch, error) { return PollWatch{Every: 10 * time.Millisecond}, nil }

// WatchTables re-reads the tables every 10 ms too (the routing socket's
// messages would be the events; see WatchAddresses).
func WatchTables(SUT) (AddressWatch, error) { return PollWatch{Every: 10 * time.Millisecond}, nil }
