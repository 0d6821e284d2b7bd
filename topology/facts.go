package topology

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// Facts are the lab's facts as environment variables for profile commands
// (documented in README.md, "Profiles"). Names are upper-cased; a router or
// host named "a" appears as NC_ROUTER_A_*.
func Facts(runID string, inst Instance) []string {
	lab := inst.Lab()
	sut := inst.SUT()
	env := map[string]string{
		"NC_RUN_ID": runID,
		"NC_LAB":    lab.Name,
		"PATH":      os.Getenv("PATH"),
	}
	if ns, ok := sut.(interface{ Namespace() string }); ok {
		env["NC_SUT_NETNS"] = ns.Namespace()
	}
	var ifs, routers, hosts, tsv []string
	for _, link := range lab.Links {
		ifname := sut.Interface(link.Name)
		ifs = append(ifs, ifname)
		env["NC_LINK_"+envName(link.Name)+"_IF"] = ifname
		if link.SUTIPv4.IsValid() {
			env["NC_LINK_"+envName(link.Name)+"_IPV4"] = link.SUTIPv4.String()
		}
		for _, r := range link.Routers {
			k := "NC_ROUTER_" + envName(r.Name)
			routers = append(routers, r.Name)
			var prefixes []string
			for _, p := range r.Prefixes {
				prefixes = append(prefixes, p.String())
			}
			env[k+"_LL"] = r.LinkLocal.String()
			env[k+"_MAC"] = r.MAC.String()
			env[k+"_IF"] = ifname
			env[k+"_PREFIXES"] = strings.Join(prefixes, " ")
			tsv = append(tsv, fmt.Sprintf("%s\t%s\t%s\t%s\t%s", r.Name, r.LinkLocal, r.MAC, ifname, strings.Join(prefixes, ",")))
		}
		for _, h := range link.Hosts {
			k := "NC_HOST_" + envName(h.Name)
			hosts = append(hosts, h.Name)
			env[k+"_MAC"] = h.MAC.String()
			env[k+"_IF"] = ifname
			if h.IPv4.IsValid() {
				env[k+"_IPV4"] = h.IPv4.String()
			}
			var v6 []string
			for _, a := range h.IPv6 {
				v6 = append(v6, a.String())
			}
			env[k+"_IPV6"] = strings.Join(v6, " ")
		}
	}
	env["NC_SUT_IFS"] = strings.Join(ifs, " ")
	env["NC_ROUTERS"] = strings.Join(routers, " ")
	env["NC_HOSTS"] = strings.Join(hosts, " ")
	env["NC_ROUTERS_TSV"] = strings.Join(tsv, "\n")
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func envName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, s)
}
