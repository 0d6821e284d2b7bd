package topology

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeSysctl sets a sysctl such as "net/ipv6/conf/default/accept_dad". Under
// /proc/sys/net the file resolves against the namespace of the calling thread:
// call it from inside the namespace.
func writeSysctl(key, value string) error {
	p := filepath.Join("/proc/sys", key)
	if err := os.WriteFile(p, []byte(value), 0o644); err != nil {
		return fmt.Errorf("sysctl %s=%s: %w", strings.ReplaceAll(key, "/", "."), value, err)
	}
	return nil
}

// sutSysctls make the SUT namespace a quiet, fast IPv6 host: no DAD (saves a
// second per address), Router Advertisements accepted even if forwarding were
// on, RFC 4191 route information honoured, no temporary addresses (their
// random interface ids would make addresses unpredictable).
var sutSysctls = [][2]string{
	{"net/ipv6/conf/all/accept_dad", "0"},
	{"net/ipv6/conf/default/accept_dad", "0"},
	{"net/ipv6/conf/default/dad_transmits", "0"},
	{"net/ipv6/conf/default/accept_ra", "2"},
	{"net/ipv6/conf/default/accept_ra_rt_info_max_plen", "64"},
	{"net/ipv6/conf/default/use_tempaddr", "0"},
	{"net/ipv6/conf/default/disable_ipv6", "0"},
}

// wireSysctls keep the wire-side kernel off the links entirely: the emulated
// peers are the only ones who speak there.
var wireSysctls = [][2]string{
	{"net/ipv6/conf/all/disable_ipv6", "1"},
	{"net/ipv6/conf/default/disable_ipv6", "1"},
}

func applySysctls(kv [][2]string) error {
	for _, s := range kv {
		if err := writeSysctl(s[0], s[1]); err != nil {
			return err
		}
	}
	return nil
}
