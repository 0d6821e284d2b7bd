package topology

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/net/route"
	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/macos"
)

var routeSeq atomic.Int32

// routeMessage turns a request into golang.org/x/net/route's form, which
// marshals rt_msghdr (leaving rtm_use, byte 28, zero: rtsock.c's RTM_GET
// reply copies the request's header, so the reply's rtm_use is that zero)
// and the sockaddrs (RTAX_DST, GATEWAY, NETMASK, IFP in
// that order, as rtsock.c's rt_xaddrs reads them).
func routeMessage(req routeRequest, seq int) *route.RouteMessage {
	addrs := make([]route.Addr, unix.RTAX_IFP+1)
	addrs[unix.RTAX_DST] = &route.Inet6Addr{IP: req.Dst.IP, ZoneID: req.Dst.ScopeID}
	if req.Gateway != nil {
		addrs[unix.RTAX_GATEWAY] = &route.Inet6Addr{IP: req.Gateway.IP, ZoneID: req.Gateway.ScopeID}
	}
	if req.Netmask != nil {
		addrs[unix.RTAX_NETMASK] = &route.Inet6Addr{IP: req.Netmask.IP}
	}
	if req.WantIf {
		addrs[unix.RTAX_IFP] = &route.LinkAddr{}
	}
	return &route.RouteMessage{Version: unix.RTM_VERSION, Type: req.Type, Flags: int(req.Flags), Index: req.Index,
		ID: uintptr(os.Getpid()), Seq: seq, Addrs: addrs}
}

// routeRequestDo writes req on a fresh routing socket. For RTM_GET it reads
// until the kernel's answer to this message arrives (the socket also hears
// every other routing change). The kernel refuses a failed request at
// write(2): ESRCH there means no route matched.
func routeRequestDo(req routeRequest) (macos.RouteMessage, error) {
	fd, err := unix.Socket(unix.AF_ROUTE, unix.SOCK_RAW, unix.AF_UNSPEC)
	if err != nil {
		return macos.RouteMessage{}, fmt.Errorf("routing socket: %w", err)
	}
	unix.CloseOnExec(fd)
	defer unix.Close(fd)
	seq := int(routeSeq.Add(1))
	msg := routeMessage(req, seq)
	b, err := msg.Marshal()
	if err != nil {
		return macos.RouteMessage{}, fmt.Errorf("marshal routing message: %w", err)
	}
	if _, err := unix.Write(fd, b); err != nil {
		if errors.Is(err, unix.ESRCH) && req.Type == rtmGet {
			return macos.RouteMessage{}, errNoRoute
		}
		return macos.RouteMessage{}, err
	}
	if req.Type != rtmGet {
		return macos.RouteMessage{}, nil
	}
	tv := unix.NsecToTimeval(int64(2 * time.Second))
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return macos.RouteMessage{}, err
	}
	buf := make([]byte, 4096)
	for {
		n, err := unix.Read(fd, buf)
		if err != nil {
			return macos.RouteMessage{}, fmt.Errorf("read routing socket: %w", err)
		}
		// Decoded by macos.ParseRouteMessages, which reads rtm_errno where
		// bsd/net/route.h has it (byte 24); x/net/route reads byte 28, rtm_use.
		msgs, err := macos.ParseRouteMessages(buf[:n])
		if err != nil {
			continue // not ours: the socket hears every routing change
		}
		for _, m := range msgs {
			if m.Type != rtmGet || m.Seq != seq || m.PID != os.Getpid() {
				continue
			}
			if m.Errno != 0 {
				if unix.Errno(m.Errno) == unix.ESRCH {
					return macos.RouteMessage{}, errNoRoute
				}
				return macos.RouteMessage{}, unix.Errno(m.Errno)
			}
			return m, nil
		}
	}
}
