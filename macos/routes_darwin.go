//go:build darwin

package macos

import (
	"net"

	"golang.org/x/net/route"
	"golang.org/x/sys/unix"
)

// FetchRouteMessages reads the routing table with NET_RT_DUMP2 (rt_msghdr2, which carries the flags and
// scope this package needs) for family (unix.AF_INET6 or unix.AF_INET; 0 for all). golang.org/x/net/route
// only fetches the bytes: its parser mistakes rtm_use for an errno (routemsg.go), so ParseRouteMessages
// decodes them.
func FetchRouteMessages(family int) ([]RouteMessage, error) {
	b, err := route.FetchRIB(family, route.RIBType(unix.NET_RT_DUMP2), 0)
	if err != nil {
		return nil, err
	}
	return ParseRouteMessages(b)
}

// InterfaceNames maps interface indexes to names for Routes.
func InterfaceNames() (map[int]string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	m := make(map[int]string, len(ifs))
	for _, i := range ifs {
		m[i.Index] = i.Name
	}
	return m, nil
}
