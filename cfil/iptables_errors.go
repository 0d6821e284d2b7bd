package cfil

import (
	"fmt"
	"strings"
)

// classifyIptables turns a failed iptables/ip6tables run into an error: one
// wrapping ErrUnsupported when the output says the machine lacks a kernel
// feature or a permission, a plain one otherwise. The texts are those of
// iptables 1.8 (legacy and nf_tables back ends) in the C locale.
func classifyIptables(tool string, args []string, output string, runErr error) error {
	low := strings.ToLower(output)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(low, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("couldn't load target `nfqueue'", "extension nfqueue", "no chain/target/match by that name",
		"rule_insert failed (no such file or directory)", "rule_append failed (no such file or directory)"):
		return unsupported("%s cannot use the NFQUEUE target: the kernel lacks xt_NFQUEUE (CONFIG_NETFILTER_XT_TARGET_NFQUEUE) or iptables its extension; %s said: %s",
			tool, tool, firstLine(output))
	case has("permission denied", "you must be root", "operation not permitted"):
		return unsupported("%s: permission denied (needs CAP_NET_ADMIN in the SUT namespace): %s", tool, firstLine(output))
	case has("table does not exist", "can't initialize", "protocol not supported", "could not fetch rule set", "failed to initialize nft"):
		return unsupported("%s: the kernel's packet filter tables are not available (ip_tables/ip6_tables or nf_tables missing): %s", tool, firstLine(output))
	}
	return fmt.Errorf("cfil: %s %s: %v: %s", tool, strings.Join(args, " "), runErr, strings.TrimSpace(output))
}
