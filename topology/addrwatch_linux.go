package topology

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// netlinkAddressWatch wakes a waiter whenever the SUT's kernel announces an
// IPv6 address change (RTM_NEWADDR, RTM_DELADDR on RTNLGRP_IPV6_IFADDR), so
// that waiting for an address ends when it appears, not at a poll.
type netlinkAddressWatch struct{ fd int }

// WatchAddresses subscribes inside the SUT's namespace: a netlink socket
// stays in the namespace it was created in.
func WatchAddresses(sut SUT) (AddressWatch, error) {
	return watchGroups(sut, unix.RTMGRP_IPV6_IFADDR, "addresses")
}

// WatchTables wakes on any change of the SUT's IPv6 addresses, IPv6 routes
// or neighbours: the tables in which a Router Advertisement shows its
// effect (RTM_NEWADDR/DELADDR, RTM_NEWROUTE/DELROUTE, RTM_NEWNEIGH).
func WatchTables(sut SUT) (AddressWatch, error) {
	return watchGroups(sut, unix.RTMGRP_IPV6_IFADDR|unix.RTMGRP_IPV6_ROUTE|unix.RTMGRP_NEIGH, "addresses, routes and neighbours")
}

func watchGroups(sut SUT, groups uint32, what string) (AddressWatch, error) {
	w := &netlinkAddressWatch{fd: -1}
	err := sut.Do(func() error {
		fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_ROUTE)
		if err != nil {
			return fmt.Errorf("netlink socket: %w", err)
		}
		if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
			unix.Close(fd)
			return fmt.Errorf("subscribe to changes of the %s: %w", what, err)
		}
		w.fd = fd
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("watch the SUT's %s: %w", what, err)
	}
	return w, nil
}

// waitSlice bounds one poll so that a cancelled ctx is noticed promptly.
const waitSlice = 100 * time.Millisecond

// Wait returns at the next address change, at deadline, or when ctx ends
// (its error). The caller looks at the addresses after each return.
func (w *netlinkAddressWatch) Wait(ctx context.Context, deadline time.Time) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(min(left, waitSlice).Milliseconds())+1)
		if err != nil && err != unix.EINTR {
			return fmt.Errorf("wait for the SUT's address changes: %w", err)
		}
		if n > 0 {
			w.drain()
			return nil
		}
	}
}

// drain discards the queued notifications: which change it was does not
// matter, the caller reads the addresses again. An ENOBUFS (notifications
// lost to overflow) ends the drain like an empty queue: the caller re-reads.
func (w *netlinkAddressWatch) drain() {
	buf := make([]byte, 8192)
	for {
		if _, _, err := unix.Recvfrom(w.fd, buf, unix.MSG_DONTWAIT); err != nil {
			return
		}
	}
}

func (w *netlinkAddressWatch) Close() { unix.Close(w.fd) }
