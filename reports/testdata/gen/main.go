// Command gen writes the report fixtures in reports/testdata: invented results
// of several macOS and Linux releases, shaped like real runs (the observation
// shapes of docs/results-schema.md and sockets/churn) and plainly marked as
// fixtures (run ids f1x7…, tool_version "fixture", FB numbers FB0000000x).
//
//	go run ./reports/testdata/gen   (from the repository root)
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

type release struct {
	dir, version, build, kernel, hw, os, name string
	machine                                   int // a second run of the same release on another machine
}

var releases = []release{
	{"fixture-macos-14.7", "14.7", "23H124", "Darwin 23.6.0 xnu-10063.141.1~2/RELEASE_ARM64_T6000", "Mac14,3", "macos", "macOS", 0},
	{"fixture-macos-15.5", "15.5", "24F74", "Darwin 24.5.0 xnu-11417.121.6~2/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0},
	{"fixture-macos-15.6.1", "15.6.1", "24G90", "Darwin 24.6.0 xnu-11417.140.69~1/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0},
	{"fixture-macos-15.7.5", "15.7.5", "24G517", "Darwin 24.6.0 xnu-11417.140.69.705.2~1/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0},
	{"fixture-macos-26.0", "26.0", "25A354", "Darwin 25.0.0 xnu-12377.1.9~3/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0},
	{"fixture-macos-26.0-mini", "26.0", "25A354", "Darwin 25.0.0 xnu-12377.1.9~3/RELEASE_ARM64_T8132", "Mac16,10", "macos", "macOS", 1},
	{"fixture-macos-26.5", "26.5", "25F71", "Darwin 25.5.0 xnu-12377.121.6~1/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0},
	{"fixture-linux-6.9.12", "6.9.12", "debian-12", "Linux 6.9.12 #1 SMP PREEMPT_DYNAMIC fixture", "", "linux", "Debian GNU/Linux 12 (bookworm)", 0},
	{"fixture-linux-6.18.44", "6.18.44", "debian-12", "Linux 6.18.44 #1 SMP PREEMPT_DYNAMIC fixture", "", "linux", "Debian GNU/Linux 12 (bookworm)", 0},
}

func main() {
	out := "reports/testdata"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i, rel := range releases {
		dir := filepath.Join(out, rel.dir)
		if err := os.RemoveAll(dir); err != nil {
			log.Fatal(err)
		}
		start := base.Add(time.Duration(i) * time.Hour)
		arch := "arm64"
		if rel.os == "linux" {
			arch = "amd64"
		}
		r := &reports.Results{
			Run: reports.Run{ID: fmt.Sprintf("f1x7%04d", i+1), Start: start, End: start.Add(4*time.Minute + 12*time.Second),
				ToolVersion: "fixture", Profile: "stock", ConfigDigest: "sha256:f1x7000000000000000000000000000000000000000000000000000000000000"},
			Release: reports.Release{ID: reports.ReleaseID(rel.os, rel.version, rel.build), OS: rel.os, Name: rel.name,
				Version: rel.version, Build: rel.build, Kernel: rel.kernel, Arch: arch, Hardware: rel.hw},
		}
		r.Checks = checksFor(rel, dir)
		if err := reports.Write(dir, r); err != nil {
			log.Fatal(err)
		}
	}
}

func before(rel release, version string) bool {
	order := []string{"14.7", "15.5", "15.6.1", "15.7.5", "26.0", "26.5"}
	idx := func(v string) int {
		for i, o := range order {
			if o == v {
				return i
			}
		}
		return -1
	}
	return idx(rel.version) < idx(version)
}

func checksFor(rel release, dir string) []reports.CheckResult {
	mac := rel.os == "macos"
	var cs []reports.CheckResult
	add := func(c check.Result, known *reports.KnownFailure) {
		cr := reports.CheckResult{Result: c, Expected: check.Pass}
		if known != nil {
			cr.Expected, cr.Known = check.Fail, known
		}
		if c.Verdict == check.Skip {
			cr.Expected = check.Skip
		}
		cs = append(cs, cr)
	}
	// RFC 8028 same-link: macOS keeps one default route (the seed), Linux conforms.
	sl := check.Result{ID: "ipv6.rfc8028.same-link", Title: "One link, two routers: each source leaves via a router that advertised its prefix",
		Spec: "RFC 8028 §3", Labels: []string{"ipv6", "rfc8028", "lab"}, Duration: check.Duration(61 * time.Millisecond)}
	sl.Evidence = []string{"evidence/ipv6.rfc8028.same-link/samelink-ab.pcapng", "evidence/ipv6.rfc8028.same-link/routes-ab.txt", "evidence/ipv6.rfc8028.same-link/samelink-ba.pcapng"}
	writeEvidence(dir, sl.Evidence[:2]) // samelink-ba.pcapng is left missing on purpose
	var slKnown *reports.KnownFailure
	if mac {
		sl.Verdict = check.Fail
		sl.Reason = "traffic from 2001:db8:b::10 left via router A, which did not advertise 2001:db8:b::/64 (120 of 120 frames)"
		slKnown = &reports.KnownFailure{Reason: "one default route per interface (seed rfc8028-multihomed-ipv6)", Bug: "FB00000001"}
		must(sl.Observe(raObservations(false)))
	} else {
		sl.Verdict, sl.Reason = check.Pass, "every source left via a router that advertised its prefix"
		must(sl.Observe(raObservations(true)))
	}
	add(sl, slKnown)

	// RFC 6724 rule 5.5: fails on 14.7, fixed from 15.5 (a fix in the matrix); error once.
	r55 := check.Result{ID: "ipv6.rfc6724.rule5-5", Title: "Source address selection prefers a source advertised by the chosen next hop",
		Spec: "RFC 6724 §5 rule 5.5; RFC 8028 §3", Labels: []string{"ipv6", "rfc6724", "lab"}, Duration: check.Duration(48 * time.Millisecond)}
	switch {
	case rel.version == "14.7":
		r55.Verdict, r55.Reason = check.Fail, "for 2001:db8:b::1 the kernel chose source 2001:db8:a::10 whose routers (A) are not the next hop (B)"
	case rel.version == "15.7.5":
		r55.Verdict, r55.Reason = check.Error, "lab would not build: ifconfig feth2 create: File exists"
	default:
		r55.Verdict, r55.Reason = check.Pass, "every destination got a source its next hop advertised"
	}
	must(r55.Observe([]map[string]any{{
		"ra_order": []string{"A", "B"}, "destination": "2001:db8:b::1", "near": "2001:db8:b::/64", "source": "2001:db8:b::10",
		"source_routers": []string{"B"}, "sent": 20,
		"wire":  []map[string]any{{"router": "B", "link": "lan0", "mac": "02:00:00:00:00:0b", "frames": 20}},
		"table": map[string]any{"dst": "2001:db8:b::1/128", "gateway": "fe80::b", "interface": "lan0"}, "table_router": "B", "table_agrees": true,
	}}))
	add(r55, nil)

	// mapped-sendto: the seed, first datagram lost from 15.6.1 on, with the
	// content filter's reinject failure in the kernel log.
	ms := check.Result{ID: "sockets.mapped-sendto.self", Title: "Dual-stack UDP socket bound to ::ffff:<own IPv4>: the first datagram sendto() its own address arrives",
		Spec:   "POSIX sendto(2); RFC 4291 §2.5.5.2 and RFC 3493 §3.7 (IPv4-mapped addresses on an AF_INET6 socket with IPV6_V6ONLY off)",
		Labels: []string{"sockets", "mapped-sendto"}, Duration: check.Duration(2100 * time.Millisecond)}
	var msKnown *reports.KnownFailure
	if mac && !before(rel, "15.6.1") {
		ms.Verdict, ms.Reason = check.Fail, "1st datagram lost 10/10 (10 silent drops: sendto said success but nothing arrived); 2nd datagram delivered 10/10; content filter: sosend_reinject() failed, errno 22 (EINVAL)"
		if rel.version == "26.5" {
			msKnown = &reports.KnownFailure{Reason: "CFIL drops the first datagram (seed ipv4-mapped-sendto)", Bug: "FB00000002"}
		}
		must(ms.Observe(mappedObservations(mac, true)))
	} else {
		ms.Verdict, ms.Reason = check.Pass, "every datagram delivered: 1st datagram delivered 10/10, 2nd datagram delivered 10/10"
		must(ms.Observe(mappedObservations(mac, false)))
	}
	add(ms, msKnown)

	// churn stream6: ENOBUFS from 26.0 on; the second 26.0 machine passes
	// (the environment-dependent case the matrix must show).
	ch := check.Result{ID: "sockets.churn.stream6", Title: "AF_INET6 SOCK_STREAM socket()+close() churn",
		Spec: "socket(2)/close(2): closing a socket releases what creating it took", Labels: []string{"sockets", "churn", "inet6", "stream"}}
	failing := mac && !before(rel, "26.0") && rel.machine == 0
	if failing {
		ch.Verdict, ch.Reason = check.Fail, "socket() failed with ENOBUFS (No buffer space available) at iteration 160995 of 250000; it did not recover after a 1s pause"
	} else {
		ch.Verdict, ch.Reason = check.Pass, "created and closed 250000 AF_INET6 SOCK_STREAM sockets at 212000 cycles/s; no failure"
	}
	ch.Duration = check.Duration(1200 * time.Millisecond)
	must(ch.Observe(churnMeasurement(mac, failing)))
	add(ch, nil)

	// churn dgram6: passes where it ran; not run on 14.7 (missing, not pass),
	// an error on 15.6.1.
	if rel.version != "14.7" {
		cd := check.Result{ID: "sockets.churn.dgram6", Title: "AF_INET6 SOCK_DGRAM socket()+close() churn",
			Spec: "socket(2)/close(2)", Labels: []string{"sockets", "churn", "inet6", "dgram"}, Duration: check.Duration(900 * time.Millisecond)}
		if rel.version == "15.6.1" {
			cd.Verdict, cd.Reason = check.Error, "harness could not measure: probe exited 2: fixture"
		} else {
			cd.Verdict, cd.Reason = check.Pass, "created and closed 250000 AF_INET6 SOCK_DGRAM sockets; no failure"
			must(cd.Observe(churnMeasurement(mac, false)))
		}
		add(cd, nil)
	}
	// The user-space filter check: netconform's own NFQUEUE filter exists on
	// Linux only, so macOS skips it with the reason.
	cf := check.Result{ID: "cfil.userspace-filter.first-datagram", Title: "Dual-stack UDP sendto() through a user-space filter that accepts everything: the first datagram still arrives",
		Spec: "A content filter that accepts every packet is transparent", Labels: []string{"sockets", "cfil"}}
	if mac {
		cf.Verdict, cf.Reason = check.Skip, "cfil: content filter not supported here: netconform's user-space filter needs Linux NFQUEUE"
	} else {
		cf.Verdict, cf.Reason = check.Pass, "self (sockets.mapped-sendto.self): every datagram delivered; user-space filter (NFQUEUE 3280 on OUTPUT, accept) saw 40 packets, dropped 0"
		must(cf.Observe(map[string]any{
			"filter": map[string]any{"queue": 3280, "hook": "OUTPUT", "match": []string{"-p", "udp"}, "mode": "accept", "seen": 40, "accepted": 40, "dropped": 0},
			"cases":  []any{mappedObservations(false, false)},
		}))
	}
	add(cf, nil)
	return cs
}

func raObservations(conforming bool) []map[string]any {
	var out []map[string]any
	for _, order := range [][]string{{"A", "B"}, {"B", "A"}} {
		for _, src := range []struct{ addr, prefix, router string }{{"2001:db8:a::10", "2001:db8:a::/64", "A"}, {"2001:db8:b::10", "2001:db8:b::/64", "B"}} {
			went := src.router
			if !conforming {
				went = order[0] // macOS: the first router learned takes everything
			}
			mac := map[string]string{"A": "02:00:00:00:00:0a", "B": "02:00:00:00:00:0b"}
			tableRouter := went
			if !conforming && src.router == "B" && order[0] == "B" {
				tableRouter = "A" // the table names another first hop than the wire shows
			}
			out = append(out, map[string]any{
				"ra_order": order, "source": src.addr, "interface": "lan0", "prefix": src.prefix,
				"expected_routers": []string{src.router}, "sent": 60,
				"wire":         []map[string]any{{"router": went, "link": "lan0", "mac": mac[went], "frames": 60}},
				"table":        map[string]any{"dst": "2001:db8:ff::1/128", "src": src.addr + "/128", "gateway": "fe80::" + map[string]string{"A": "a", "B": "b"}[tableRouter], "interface": "lan0"},
				"table_router": tableRouter, "table_agrees": tableRouter == went,
			})
		}
	}
	return out
}

// mappedObservations has the shape of sockets/mapped's Observation
// (docs/results-schema.md, "sockets").
func mappedObservations(mac, firstLost bool) map[string]any {
	first := map[string]any{"number": 1, "sent": 10, "delivered": 10, "silent_drops": 0, "errnos": 0, "late": 0}
	if firstLost {
		first = map[string]any{"number": 1, "sent": 10, "delivered": 0, "silent_drops": 10, "errnos": 0, "late": 0}
	}
	state := map[string]any{"os": "linux"}
	attribution := map[string]any{"before": state, "after": state, "filter_on_path": false,
		"summary": "no content filter on the path (no NFQUEUE rule, queue counters unchanged)"}
	if mac {
		before := map[string]any{"os": "macos", "sysctls": map[string]string{"net.cfil.active_count": "1", "net.cfil.sock_attached_count": "3"}}
		after := map[string]any{"os": "macos", "sysctls": map[string]string{"net.cfil.active_count": "1", "net.cfil.sock_attached_count": "13"}}
		attribution = map[string]any{"before": before, "after": after, "filter_on_path": true,
			"summary": "a content filter is active (net.cfil.active_count 1) and attached to 10 sockets during the check"}
		if firstLost {
			attribution["reinject_failure"] = "sosend_reinject() failed, errno 22 (EINVAL)"
			attribution["log_lines"] = []string{
				"cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: [86868 netconform-probe] <UDP(17) out so 59faaa5dbbcef55d age 0> lport 65055 fport 65055 laddr 192.0.2.1 faddr 192.0.2.1 hash 201AAC1",
				"cfil_service_inject_queue:4472 CFIL: sosend() failed 22",
			}
		}
	}
	return map[string]any{
		"case": "sockets.mapped-sendto.self", "family": "inet6", "bound": true, "connected": false, "call": "sendto",
		"destination": "self", "sockets": 10, "timeout": 1.0,
		"by_number": []map[string]any{first, {"number": 2, "sent": 10, "delivered": 10, "silent_drops": 0, "errnos": 0, "late": 0}},
		"cfil":      attribution,
	}
}

func churnMeasurement(mac, failing bool) map[string]any {
	const count = 250000
	last := count
	if failing {
		last = 160995
	}
	var samples []map[string]any
	for i := 0; i <= 50; i++ {
		it := i * count / 50
		if it > last {
			it = last
		}
		counters := map[string]int64{}
		if mac {
			leak := int64(0)
			if failing {
				leak = int64(it) / 3
			}
			counters["net.inet.tcp.pcbcount"] = 12 + leak
			counters["proc.maxrss_bytes"] = 9_000_000 + leak*900
		} else {
			counters["sockstat.sockets.used"] = 140 + int64(i%3)
			counters["sockstat.TCP.alloc"] = 18 + int64(i%2)
			counters["proc.rss_bytes"] = 7_800_000 + int64(i)*1000
		}
		samples = append(samples, map[string]any{"iteration": it, "elapsed": float64(it) / 212000, "counters": counters})
		if it == last {
			break
		}
	}
	m := map[string]any{
		"config":     map[string]any{"family": "inet6", "type": "stream", "count": count, "sample_every": 5000, "pause": 1.0, "recover_tries": 5},
		"iterations": last, "failures": 0, "elapsed": float64(last) / 212000, "sampling": 0.01, "rate": 212000.0,
		"samples": samples, "wall": 1.2,
	}
	if failing {
		m["failures"] = 9
		m["first_failure"] = map[string]any{"iteration": 160995, "call": "socket", "errno": "ENOBUFS", "code": 55, "message": "No buffer space available"}
		m["recovery"] = map[string]any{"immediate_retries": 3, "immediate_failures": 3, "pause": 1.0, "tries": 5, "succeeded": 0, "recovered": false, "last_errno": "ENOBUFS"}
	}
	return m
}

func writeEvidence(dir string, files []string) {
	for _, f := range files {
		p := filepath.Join(dir, f)
		must(os.MkdirAll(filepath.Dir(p), 0o755))
		must(os.WriteFile(p, []byte("fixture evidence: "+filepath.Base(f)+" (not a real capture)\n"), 0o644))
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
