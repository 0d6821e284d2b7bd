package accounting

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// What a macOS snapshot reads, kept free of build tags so that it is tested
// on Linux against a fake Mac (darwin_test.go).

// darwinSysctls are read with one sysctl(8) call. Every name must exist in
// xnu: sysctl exits non-zero when one does not (system_cmds sysctl/sysctl.c,
// parse: "unknown oid"), and the snapshot then records an error. Both are in
// every xnu tag from 7195 to 11417.121.6: bsd/netinet/tcp_subr.c and
// udp_usrreq.c, SYSCTL_*(_net_inet_{tcp,udp}, OID_AUTO, pcbcount). There is
// no kern.ipc.numopensockets or kern.ipc.maxsockets in any of those tags.
var darwinSysctls = []string{"net.inet.tcp.pcbcount", "net.inet.udp.pcbcount"}

// darwinZones are the zones sockets come from (bsd/kern/uipc_socket.c,
// soalloc): PF_INET SOCK_STREAM sockets from "socache zone" (through the
// socket cache, cached_sock_alloc), every other socket from "socket"
// (ZONE_DEFINE_TYPE(socket_zone, "socket", ...)). zprint(1) takes one name,
// a substring of the zones to print (system_cmds zprint/zprint.c), so each
// is asked for separately; the argument is the substring.
var darwinZones = []struct{ zone, arg, counter string }{
	{"socket", "socket", "zone.socket"},
	{"socache zone", "socache", "zone.socache"},
}

// runner runs a program and returns its standard output.
type runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// takeDarwin reads the macOS sources with run: the pcb counts, netstat -m and
// zprint for each socket zone.
func takeDarwin(ctx context.Context, run runner) Snapshot {
	s := Snapshot{Time: time.Now(), Texts: map[string]string{}, Counters: map[string]int64{}}
	read := func(name string, args ...string) string {
		out, err := run(ctx, name, args...)
		if err != nil {
			s.Errors = append(s.Errors, fmt.Sprintf("%s %v: %v", name, args, err))
		}
		s.Texts[name+" "+fmt.Sprint(args)] = string(out)
		return string(out)
	}
	sysctl := read("sysctl", darwinSysctls...)
	netstatM := read("netstat", "-m")
	var zprint []string
	for _, z := range darwinZones {
		zprint = append(zprint, read("zprint", z.arg))
	}
	ParseDarwin(sysctl, netstatM, strings.Join(zprint, "\n"), s.Counters)
	return s
}
