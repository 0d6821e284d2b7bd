//go:build darwin

package macos

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The IPv6 set-up xnu's tests/net_test_lib.c (ifnet_start_ipv6) applies to a feth: attach IPv6, clear
// ND6_IFF_DAD (avoids a one-second wait), start the link-local address. Plus SIOCAUTOCONF_START/STOP, which
// set and clear IFEF_ACCEPT_RTADV so that router advertisements are processed (bsd/netinet6/in6.c).
// Requests and layouts live in the tag-free ioctl.go.

// withInet6Socket runs fn on a fresh AF_INET6 datagram socket, the descriptor these ioctls expect.
func withInet6Socket(fn func(fd int) error) error {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if err != nil {
		return fmt.Errorf("socket(AF_INET6, SOCK_DGRAM): %w", err)
	}
	unix.CloseOnExec(fd) // darwin has no SOCK_CLOEXEC
	defer unix.Close(fd)
	return fn(fd)
}

func in6IfreqIoctl(ifname string, req uint, what string) error {
	var r In6Ifreq
	return namedIoctl(ifname, req, what, &r.Name, unsafe.Pointer(&r))
}

// namedIoctl fills a request structure's interface name (name points into
// the structure at p) and issues req with it on an AF_INET6 socket.
func namedIoctl(ifname string, req uint, what string, name *[ifNameSize]byte, p unsafe.Pointer) error {
	n, err := IfName(ifname)
	if err != nil {
		return err
	}
	*name = n
	return withInet6Socket(func(fd int) error {
		err := ioctlPtr(fd, req, p)
		runtime.KeepAlive(p)
		if err != nil {
			return fmt.Errorf("%s %s: %w", what, ifname, err)
		}
		return nil
	})
}

// StartAutoconf issues SIOCAUTOCONF_START: the interface gets IFEF_ACCEPT_RTADV (shown as ACCEPT_RTADV in
// `ifconfig -v` eflags) and processes router advertisements. Needs root.
func StartAutoconf(ifname string) error {
	return in6IfreqIoctl(ifname, SIOCAUTOCONF_START, "SIOCAUTOCONF_START")
}

// StopAutoconf issues SIOCAUTOCONF_STOP, which also removes the autoconfigured addresses.
func StopAutoconf(ifname string) error {
	return in6IfreqIoctl(ifname, SIOCAUTOCONF_STOP, "SIOCAUTOCONF_STOP")
}

func in6AliasreqIoctl(ifname string, req uint, what string) error {
	var r In6Aliasreq
	return namedIoctl(ifname, req, what, &r.Name, unsafe.Pointer(&r))
}

// AttachIPv6 issues SIOCPROTOATTACH_IN6 with an empty alias request, as net_test_lib.c does. An interface
// that has IPv6 already answers EEXIST (AttachedAlready).
func AttachIPv6(ifname string) error {
	return in6AliasreqIoctl(ifname, SIOCPROTOATTACH_IN6, "SIOCPROTOATTACH_IN6")
}

// StartLinkLocal issues SIOCLL_START with an empty alias request: the kernel forms the link-local address.
func StartLinkLocal(ifname string) error {
	return in6AliasreqIoctl(ifname, SIOCLL_START, "SIOCLL_START")
}

// NDFlags reads the interface's ND6 flags with SIOCGIFINFO_IN6.
func NDFlags(ifname string) (uint32, error) {
	var r In6Ondireq
	name, err := IfName(ifname)
	if err != nil {
		return 0, err
	}
	r.Name = name
	err = withInet6Socket(func(fd int) error {
		err := ioctlPtr(fd, SIOCGIFINFO_IN6, unsafe.Pointer(&r))
		runtime.KeepAlive(&r)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("SIOCGIFINFO_IN6 %s: %w", ifname, err)
	}
	return r.ND.Flags, nil
}

// ClearNDFlags removes clear from the interface's ND6 flags with SIOCSIFINFO_FLAGS, reading them first so
// the other flags are kept. Nothing is written when no flag changes.
func ClearNDFlags(ifname string, clear uint32) error {
	flags, err := NDFlags(ifname)
	if err != nil {
		return err
	}
	next, changed := NDFlagsWithout(flags, clear)
	if !changed {
		return nil
	}
	var r In6Ndireq
	r.Name, _ = IfName(ifname) // validated by NDFlags
	r.ND.Flags = next
	err = withInet6Socket(func(fd int) error {
		err := ioctlPtr(fd, SIOCSIFINFO_FLAGS, unsafe.Pointer(&r))
		runtime.KeepAlive(&r)
		return err
	})
	if err != nil {
		return fmt.Errorf("SIOCSIFINFO_FLAGS %s %#x: %w", ifname, next, err)
	}
	return nil
}

// DisableDAD clears ND6_IFF_DAD so addresses on ifname skip duplicate address detection. Do it after
// AttachIPv6 and before StartLinkLocal, as net_test_lib.c does.
func DisableDAD(ifname string) error { return ClearNDFlags(ifname, ND6_IFF_DAD) }

// StartIPv6 is ifnet_start_ipv6 of net_test_lib.c: attach IPv6, disable DAD, start the link-local address.
// already reports that IPv6 was attached before (someone, configd perhaps, was first): the rest is done
// all the same.
func StartIPv6(ifname string) (already bool, err error) {
	if err := AttachIPv6(ifname); err != nil {
		if !AttachedAlready(err) {
			return false, err
		}
		already = true
	}
	if err := DisableDAD(ifname); err != nil {
		return already, err
	}
	return already, StartLinkLocal(ifname)
}
