// Command gen writes the report fixtures in reports/testdata: invented results
// of several macOS and Linux releases, shaped like real runs (the observation
// shapes of docs/results-schema.md and sockets/churn) and plainly marked as
// fixtures (run ids f1x7…, tool_version "fixture", FB numbers FB0000000x).
// The older releases are results schema 1, as an older netconform wrote
// them; the newer ones schema 2, one of them with repeat 10 (a flaky check,
// a check that never ran), and Linux 6.18.44 under two profiles.
//
//	go run ./reports/testdata/gen   (from the repository root)
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/reports"
)

type release struct {
	dir, version, build, kernel, hw, os, name string
	machine                                   int // a second run of the same release on another machine
	schema                                    int // results schema version to write
	repeat                                    int // run.repeat (schema 2)
	profile                                   string
}

var releases = []release{
	{"fixture-macos-14.7", "14.7", "23H124", "Darwin 23.6.0 xnu-10063.141.1~2/RELEASE_ARM64_T6000", "Mac14,3", "macos", "macOS", 0, 1, 1, "stock"},
	{"fixture-macos-15.5", "15.5", "24F74", "Darwin 24.5.0 xnu-11417.121.6~2/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0, 1, 1, "stock"},
	{"fixture-macos-15.6.1", "15.6.1", "24G90", "Darwin 24.6.0 xnu-11417.140.69~1/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0, 1, 1, "stock"},
	{"fixture-macos-15.7.5", "15.7.5", "24G517", "Darwin 24.6.0 xnu-11417.140.69.705.2~1/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0, 1, 1, "stock"},
	{"fixture-macos-26.0", "26.0", "25A354", "Darwin 25.0.0 xnu-12377.1.9~3/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0, 2, 1, "stock"},
	{"fixture-macos-26.0-mini", "26.0", "25A354", "Darwin 25.0.0 xnu-12377.1.9~3/RELEASE_ARM64_T8132", "Mac16,10", "macos", "macOS", 1, 2, 1, "stock"},
	{"fixture-macos-26.5", "26.5", "25F71", "Darwin 25.5.0 xnu-12377.121.6~1/RELEASE_ARM64_T8103", "Mac14,3", "macos", "macOS", 0, 2, 10, "stock"},
	{"fixture-linux-6.9.12", "6.9.12", "debian-12", "Linux 6.9.12 #1 SMP PREEMPT_DYNAMIC fixture", "", "linux", "Debian GNU/Linux 12 (bookworm)", 0, 1, 1, "stock"},
	{"fixture-linux-6.18.44", "6.18.44", "debian-12", "Linux 6.18.44 #1 SMP PREEMPT_DYNAMIC fixture", "", "linux", "Debian GNU/Linux 12 (bookworm)", 0, 2, 1, "stock"},
	{"fixture-linux-6.18.44-source-routing", "6.18.44", "debian-12", "Linux 6.18.44 #1 SMP PREEMPT_DYNAMIC fixture", "", "linux", "Debian GNU/Linux 12 (bookworm)", 0, 2, 1, "source-routing"},
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
				ToolVersion: "fixture", Profile: rel.profile, ConfigDigest: "sha256:f1x7000000000000000000000000000000000000000000000000000000000000"},
			Release: reports.Release{ID: reports.ReleaseID(rel.os, rel.version, rel.build), OS: rel.os, Name: rel.name,
				Version: rel.version, Build: rel.build, Kernel: rel.kernel, Arch: arch, Hardware: rel.hw},
		}
		r.Checks = checksFor(rel, dir)
		if rel.schema == 1 {
			writeV1(dir, r)
			continue
		}
		r.Run.Repeat, r.Run.Selected = rel.repeat, len(r.Checks)
		for i := range r.Checks {
			c := &r.Checks[i]
			if c.Repetitions == nil {
				// Every repetition agreed (or the check never ran: each
				// missing repetition is an error, as netconform run
				// records it).
				t := reports.Tally{}
				for range rel.repeat {
					t.Add(c.Verdict)
				}
				c.Repetitions = &t
			}
		}
		if err := reports.Write(dir, r); err != nil {
			log.Fatal(err)
		}
	}
}

// writeV1 writes r as results schema version 1, as a netconform before
// repeats wrote it: none of the version 2 fields.
func writeV1(dir string, r *reports.Results) {
	r.Schema, r.SchemaVersion = reports.Schema, 1
	b, err := json.MarshalIndent(r, "", "  ")
	must(err)
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644))
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
	// Stock Linux fails the three RFC 8028 checks too (one RA-learned
	// default route decides); the source-routing profile makes it conform.
	rfc8028Fails := mac || rel.profile == "stock"
	var linuxKnown *reports.KnownFailure
	if !mac && rfc8028Fails {
		linuxKnown = &reports.KnownFailure{Reason: "stock Linux routes by destination only; profile source-routing conforms", Bug: "https://bugs.example/netconform-fixture-1"}
	}
	var cs []reports.CheckResult
	add := func(c check.Result, known *reports.KnownFailure) *reports.CheckResult {
		cr := reports.CheckResult{Result: c, Expected: check.Pass}
		if known != nil {
			cr.Expected, cr.Known = check.Fail, known
		}
		if c.Verdict == check.Skip {
			cr.Expected = check.Skip
		}
		cs = append(cs, cr)
		return &cs[len(cs)-1]
	}
	// RFC 8028 same-link: macOS keeps one default route (the seed), Linux conforms.
	sl := check.Result{ID: "ipv6.rfc8028.same-link", Title: "One link, two routers: each source leaves via a router that advertised its prefix",
		Spec: "RFC 8028 §3", Labels: []string{"ipv6", "rfc8028", "lab"}, Duration: check.Duration(61 * time.Millisecond)}
	sl.Evidence = []string{"evidence/ipv6.rfc8028.same-link/samelink-ab.pcapng", "evidence/ipv6.rfc8028.same-link/routes-ab.txt", "evidence/ipv6.rfc8028.same-link/samelink-ba.pcapng"}
	writeEvidence(dir, sl.Evidence[:2]) // samelink-ba.pcapng is left missing on purpose
	var slKnown *reports.KnownFailure
	if rfc8028Fails {
		sl.Verdict = check.Fail
		sl.Reason = "traffic from 2001:db8:b::10 left via router A, which did not advertise 2001:db8:b::/64 (120 of 120 frames)"
		slKnown = &reports.KnownFailure{Reason: "one default route per interface (seed rfc8028-multihomed-ipv6)", Bug: "FB00000001"}
		if !mac {
			slKnown = linuxKnown
		}
		must(sl.Observe(raObservations(false)))
	} else {
		sl.Verdict, sl.Reason = check.Pass, "every source left via a router that advertised its prefix"
		must(sl.Observe(raObservations(true)))
	}
	add(sl, slKnown)

	// RFC 8028 multi-interface: the same story on two interfaces.
	mi := check.Result{ID: "ipv6.rfc8028.multi-interface", Title: "Two interfaces, one router each: each interface's address leaves through that interface to its router",
		Spec: "RFC 8028 §3", Labels: []string{"ipv6", "rfc8028"}, Duration: check.Duration(74 * time.Millisecond)}
	var miKnown *reports.KnownFailure
	if rfc8028Fails {
		mi.Verdict = check.Fail
		mi.Reason = "traffic left via a router that did not advertise its source prefix: RA order A,B, source 2001:db8:b::10: 60 of 60 datagrams from 2001:db8:b::10 (in 2001:db8:b::/64, advertised by router B) went to router A on lan0 (60 frames)"
		miKnown = &reports.KnownFailure{Reason: "one default route per interface (seed rfc8028-multihomed-ipv6)", Bug: "FB00000001"}
		if !mac {
			miKnown = linuxKnown
		}
	} else {
		mi.Verdict, mi.Reason = check.Pass, "every source left via a router that advertised its prefix"
	}
	must(mi.Observe(multiObservations(!rfc8028Fails)))
	add(mi, miKnown)

	// RFC 6724 rule 5.5: fails on 14.7, fixed from 15.5 (a fix in the matrix); error once.
	r55 := check.Result{ID: "ipv6.rfc6724.rule5-5", Title: "Source address selection prefers a source advertised by the chosen next hop",
		Spec: "RFC 6724 §5 rule 5.5; RFC 8028 §3", Labels: []string{"ipv6", "rfc6724", "lab"}, Duration: check.Duration(48 * time.Millisecond)}
	var r55Known *reports.KnownFailure
	switch {
	case rel.version == "14.7" || !mac && rfc8028Fails:
		r55.Verdict, r55.Reason = check.Fail, "for 2001:db8:b::1 the kernel chose source 2001:db8:a::10 whose routers (A) are not the next hop (B)"
		r55Known = linuxKnown
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
	add(r55, r55Known)

	// mapped-sendto: the seed, first datagram lost from 15.6.1 on, with the
	// content filter's reinject failure in the kernel log; the other cases
	// and the AF_INET controls deliver everywhere.
	for _, sc := range socketCases {
		r := check.Result{ID: sc.id, Title: sc.title,
			Spec:   "POSIX sendto(2)/send(2) on UDP; RFC 4291 §2.5.5.2 and RFC 3493 §3.7 (IPv4-mapped addresses on an AF_INET6 socket with IPV6_V6ONLY off)",
			Labels: []string{"sockets", "mapped-sendto"}, Duration: check.Duration(2100 * time.Millisecond)}
		lost := sc.id == "sockets.mapped-sendto.self" && mac && !before(rel, "15.6.1")
		// peer flips on macOS: lost once in 15.6.1, and in 3 of 26.5's 10
		// repetitions (flaky across releases and within one)
		peerLost := sc.id == "sockets.mapped-sendto.peer" && mac && (rel.version == "15.6.1" || rel.version == "26.5")
		var known *reports.KnownFailure
		switch {
		case lost:
			r.Verdict, r.Reason = check.Fail, "1st datagram lost 10/10 (10 silent drops: sendto said success but nothing arrived); 2nd datagram delivered 10/10; content filter: sosend_reinject() failed, errno 22 (EINVAL)"
			if rel.version == "26.5" {
				known = &reports.KnownFailure{Reason: "CFIL drops the first datagram (seed ipv4-mapped-sendto)", Bug: "FB00000002"}
			}
		case peerLost:
			r.Verdict, r.Reason = check.Fail, "1st datagram lost 10/10 (10 silent drops: sendto said success but nothing reached the wire); 2nd datagram delivered 10/10"
		default:
			r.Verdict, r.Reason = check.Pass, "every datagram delivered: 1st datagram delivered 10/10, 2nd datagram delivered 10/10"
		}
		must(r.Observe(socketObservation(sc, mac, lost || peerLost, lost, nil)))
		cr := add(r, known)
		if peerLost && rel.repeat > 1 {
			cr.Repetitions = &reports.Tally{Runs: rel.repeat, Fail: 3, Pass: rel.repeat - 3}
			cr.Flaky = true
			cr.Reason = "repetitions disagree (fail 3 of 10, pass 7 of 10); a failing repetition: " + cr.Reason
		}
	}

	// churn stream6: ENOBUFS from 26.0 on; the second 26.0 machine passes
	// (the environment-dependent case the matrix must show).
	ch := churnCheck("inet6", "stream")
	failing := mac && !before(rel, "26.0") && rel.machine == 0
	if failing {
		ch.Verdict, ch.Reason = check.Fail, "socket() failed with ENOBUFS (No buffer space available) at iteration 160995 of 250000; it did not recover after a 1s pause"
	} else {
		ch.Verdict, ch.Reason = check.Pass, "created and closed 250000 AF_INET6 SOCK_STREAM sockets at 212000 cycles/s; no failure"
	}
	must(ch.Observe(churnMeasurement(mac, "inet6", "stream", failing)))
	add(ch, nil)

	// churn dgram6: passes where it ran; not run on 14.7 (missing, not pass),
	// an error on 15.6.1.
	if rel.version != "14.7" {
		cd := churnCheck("inet6", "dgram")
		if rel.version == "15.6.1" {
			cd.Verdict, cd.Reason = check.Error, "harness could not measure: probe exited 2: fixture"
		} else {
			cd.Verdict, cd.Reason = check.Pass, "created and closed 250000 AF_INET6 SOCK_DGRAM sockets at 212000 cycles/s; no failure"
			must(cd.Observe(churnMeasurement(mac, "inet6", "dgram", false)))
		}
		add(cd, nil)
	}
	// churn stream4, the AF_INET control: passes where it ran. In 26.5 the
	// run's timeout stopped the sockets suite before it: selected, never
	// ran (an error with the reason, not a verdict on the stack).
	c4 := churnCheck("inet", "stream")
	if rel.version == "26.5" {
		c4.Verdict, c4.Reason = check.Error, "its suite (sockets) was stopped by the run's timeout (10m0s) before this check ran"
		add(c4, nil).NotRun = true
	} else {
		c4.Verdict, c4.Reason = check.Pass, "created and closed 250000 AF_INET SOCK_STREAM sockets at 212000 cycles/s; no failure"
		must(c4.Observe(churnMeasurement(mac, "inet", "stream", false)))
		add(c4, nil)
	}

	// The user-space filter check: netconform's own NFQUEUE filter exists on
	// Linux only, so macOS skips it with the reason.
	cf := check.Result{ID: "cfil.userspace-filter.first-datagram", Title: "Dual-stack UDP sendto() through a user-space filter that accepts everything: the first datagram still arrives",
		Spec: "A content filter that accepts every packet is transparent", Labels: []string{"sockets", "cfil"}}
	if mac {
		cf.Verdict, cf.Reason = check.Skip, "cfil: content filter not supported here: netconform's user-space filter needs Linux NFQUEUE"
	} else {
		cf.Verdict, cf.Reason = check.Pass, "self (sockets.mapped-sendto.self): every datagram delivered; user-space filter (NFQUEUE 3280 on OUTPUT, accept) saw 40 packets, dropped 0"
		filter := map[string]any{"queue": 3280, "hook": "OUTPUT", "match": []string{"-p", "udp"}, "mode": "accept",
			"rules": []string{"iptables -A OUTPUT -p udp -j NFQUEUE --queue-num 3280", "ip6tables -A OUTPUT -p udp -j NFQUEUE --queue-num 3280"},
			"seen":  40, "accepted": 40, "dropped": 0}
		must(cf.Observe(map[string]any{
			"filter": filter,
			"cases":  []any{socketObservation(socketCases[0], false, false, false, filter), socketObservation(socketCases[1], false, false, false, filter)},
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

// socketCase is one first-datagram check of sockets/mapped.
type socketCase struct {
	id, title, family, call, destination string
	bound, connected                     bool
}

var socketCases = []socketCase{
	{"sockets.mapped-sendto.self", "Dual-stack UDP socket bound to ::ffff:<own IPv4>: the first datagram sendto() its own address arrives", "inet6", "sendto", "self", true, false},
	{"sockets.mapped-sendto.peer", "Dual-stack UDP socket bound to ::ffff:<own IPv4>: the first datagram sendto() ::ffff:<peer> reaches the wire", "inet6", "sendto", "peer", true, false},
	{"sockets.mapped-sendto.unbound", "Unbound dual-stack UDP socket: the first datagram sendto() ::ffff:<peer> reaches the wire", "inet6", "sendto", "peer", false, false},
	{"sockets.mapped-sendto.connected", "Dual-stack UDP socket bound to ::ffff:<own IPv4> and connected to ::ffff:<peer>: the first datagram send() reaches the wire", "inet6", "send", "peer", true, true},
	{"sockets.inet4-sendto.self", "Control: AF_INET UDP socket bound to its IPv4 address: the first datagram sendto() its own address arrives", "inet", "sendto", "self", true, false},
	{"sockets.inet4-sendto.peer", "Control: AF_INET UDP socket bound to its IPv4 address: the first datagram sendto() the peer reaches the wire", "inet", "sendto", "peer", true, false},
}

// socketObservation has the shape of sockets/mapped's Observation
// (docs/results-schema.md, "sockets"), copied from a real Linux run: 10
// fresh sockets of two datagrams each. firstLost tells the macOS 15.6.1+
// story: every first datagram silently dropped; cfilFailed adds the content
// filter's reinject failure in the kernel log. filter is the user-space filter of
// cfil.userspace-filter.first-datagram, when the case ran through it.
func socketObservation(sc socketCase, mac, firstLost, cfilFailed bool, filter map[string]any) map[string]any {
	const k = 10
	own, peer := "192.0.2.1", "192.0.2.2:9"
	if mac {
		own = "192.168.64.2" // a Mac's LAN address; the peer is the lab's emulated host
	}
	var records []map[string]any
	for i := 1; i <= k; i++ {
		port := 50000 + i*137
		local := fmt.Sprintf("[::ffff:%s]:%d", own, port)
		if sc.family == "inet" {
			local = fmt.Sprintf("%s:%d", own, port)
		} else if !sc.bound {
			local = fmt.Sprintf("[::]:%d", port)
		}
		to := peer
		if sc.destination == "self" {
			to = local
		}
		var dgs []map[string]any
		for n := 1; n <= 2; n++ {
			payload := fmt.Sprintf("netconform %s f1x7cafe socket %d datagram %d", sc.id, i, n)
			d := map[string]any{"number": n, "payload": payload, "call": sc.call, "return": len(payload), "outcome": "delivered",
				"latency": 0.00004 + float64(i%4)*0.00002, "source": strings.Replace(local, "[::]", "[::ffff:"+own+"]", 1)}
			if firstLost && n == 1 {
				d["outcome"], d["source"] = "silent drop", ""
				delete(d, "latency")
			}
			dgs = append(dgs, d)
		}
		records = append(records, map[string]any{"index": i, "local": local, "to": to, "datagrams": dgs})
	}
	first := map[string]any{"number": 1, "sent": k, "delivered": k, "silent_drops": 0, "errnos": 0, "late": 0}
	if firstLost {
		first = map[string]any{"number": 1, "sent": k, "delivered": 0, "silent_drops": k, "errnos": 0, "late": 0}
	}
	arp := 1
	if sc.destination == "self" {
		arp = 0
	}
	return map[string]any{
		"case": sc.id, "family": sc.family, "bound": sc.bound, "connected": sc.connected, "call": sc.call,
		"destination": sc.destination, "sockets": k, "timeout": 1,
		"by_number":      []map[string]any{first, {"number": 2, "sent": k, "delivered": k, "silent_drops": 0, "errnos": 0, "late": 0}},
		"socket_records": records, "peer_arp_replies": arp,
		"cfil": attribution(mac, cfilFailed, filter, own),
	}
}

// attribution has the shape of cfil.Attribution: macOS with the net.cfil
// sysctls and stats counters (a content filter is always active on these
// Macs: a network extension), Linux with the queueing rules, queues and
// netconform's own filter when the check put one on the path.
func attribution(mac, reinjectFailed bool, filter map[string]any, own string) map[string]any {
	if mac {
		stats := func(attached, outFail, passed int64) map[string]int64 {
			return map[string]int64{"ctl_connect_ok": 4, "ctl_send_ok": 1210 + attached*3, "sock_attached": attached, "sock_detached": attached - 3,
				"data_out_ok": 880 + passed, "inject_q_out_enqueued": 40 + passed, "inject_q_out_passed": 40 + passed - outFail, "inject_q_out_fail": outFail,
				"inject_q_nobufs": 0, "flush_out_close": 2}
		}
		sysctls := func(attached string) map[string]string {
			return map[string]string{"net.cfil.active_count": "1", "net.cfil.sock_attached_count": attached, "net.cfil.log": "0",
				"net.cfil.debug": "0", "net.cfil.close_wait_timeout": "1000", "net.cfil.behavior_flags": "0"}
		}
		before := map[string]any{"os": "darwin", "sysctls": sysctls("3"), "stats": stats(3, 0, 0)}
		a := map[string]any{"before": before, "filter_on_path": true}
		if !reinjectFailed {
			a["after"] = map[string]any{"os": "darwin", "sysctls": sysctls("13"), "stats": stats(13, 0, 20)}
			a["log_lines"] = []string{"2026-11-20 10:14:32.901122+0000 cfil_sock_attach:2688 CFIL: sock_attach so 4e1d0b7c2a9f3310 attached"}
			a["summary"] = "a content filter is on the path (active_count 1, sockets attached +10, 1 CFIL log lines), no re-inject failure logged"
			return a
		}
		a["after"] = map[string]any{"os": "darwin", "sysctls": sysctls("13"), "stats": stats(13, 10, 20)}
		a["reinject_failure"] = "sosend_reinject() failed, errno 22 (EINVAL)"
		a["log_lines"] = []string{
			"2026-11-20 10:14:32.901122+0000 cfil_sock_attach:2688 CFIL: sock_attach so 59faaa5dbbcef55d attached",
			"2026-11-20 10:14:33.123456+0000 cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: [86868 netconform-probe] <UDP(17) out so 59faaa5dbbcef55d 127846646561221313 127846646561221313 age 0> lport 50137 fport 50137 laddr " + own + " faddr " + own + " hash 201AAC1",
			"2026-11-20 10:14:33.123470+0000 cfil_service_inject_queue:4472 CFIL: sosend() failed 22",
		}
		a["summary"] = "the content filter failed to re-send data it held (sosend_reinject() failed, errno 22 (EINVAL), udp " + own + ":50137 -> " + own + ":50137; 10 failure(s) logged, inject_q_out_fail +10): data sendto() reported as sent was lost"
		return a
	}
	if filter == nil {
		return map[string]any{"before": map[string]any{"os": "linux"}, "after": map[string]any{"os": "linux"}, "filter_on_path": false,
			"summary": "no content filter on the path (no NFQUEUE rule, queue counters unchanged)"}
	}
	state := func(pkts, bytes int) map[string]any {
		return map[string]any{"os": "linux",
			"rules": []string{fmt.Sprintf("iptables filter: [%d:%d] -A OUTPUT -p udp -j NFQUEUE --queue-num 3280", pkts, bytes),
				"ip6tables filter: [0:0] -A OUTPUT -p udp -j NFQUEUE --queue-num 3280",
				fmt.Sprintf("nft table ip filter chain OUTPUT: meta l4proto udp counter packets %d bytes %d queue num 3280", pkts, bytes),
				"nft table ip6 filter chain OUTPUT: meta l4proto udp counter packets 0 bytes 0 queue num 3280"},
			"queues":  []map[string]any{{"queue": 3280, "portid": 3563427843, "queue_total": 0, "copy_mode": 2, "copy_range": 128, "queue_dropped": 0, "user_dropped": 0, "id_sequence": pkts}},
			"filters": []map[string]any{{"queue": 3280, "hook": "OUTPUT", "mode": "accept", "seen": pkts, "accepted": pkts, "dropped": 0}},
		}
	}
	return map[string]any{"before": state(0, 0), "after": state(20, 1882), "filter_on_path": true,
		"summary": "a user-space filter (NFQUEUE 3280, OUTPUT, accept) saw 20 packets and dropped 0"}
}

func churnCheck(family, typ string) check.Result {
	v, f, t := "6", "AF_INET6", "SOCK_STREAM"
	if family == "inet" {
		v, f = "4", "AF_INET"
	}
	if typ == "dgram" {
		t = "SOCK_DGRAM"
	}
	return check.Result{ID: "sockets.churn." + typ + v, Title: f + " " + t + " socket()+close() churn",
		Spec:   "socket(2)/close(2): closing a socket releases what creating it took, so create+close in a loop must succeed indefinitely (seed: macOS 26 socket(AF_INET6, SOCK_STREAM) fails with ENOBUFS near iteration 160,000)",
		Labels: []string{"sockets", "churn"}, Duration: check.Duration(1200 * time.Millisecond)}
}

// churnMeasurement has the shape of sockets/churn's Measurement with the
// counters each OS samples (measurement.go): on macOS the pcbcounts and the
// peak RSS, on Linux sockstat, slabinfo, the memory cgroup and VmRSS (names
// copied from a real Linux run, most of them flat as they are there). The
// failing 26.x story: pcbcount grows with every cycle until socket() says
// ENOBUFS at 160995 and does not recover after the pause.
func churnMeasurement(mac bool, family, typ string, failing bool) map[string]any {
	const count, every = 250000, 5000
	last := count
	if failing {
		last = 160994
	}
	osName, arch, kernel := "linux", "amd64", "6.18.44"
	if mac {
		osName, arch, kernel = "darwin", "arm64", "25.0.0"
	}
	var samples []map[string]any
	for i := 0; ; i++ {
		it := min(i*every, last)
		c := map[string]int64{}
		if mac {
			leak := int64(0)
			if failing {
				leak = int64(it) / 2
			}
			c["net.inet.tcp.pcbcount"] = 41 + leak + int64(i%2)
			c["net.inet.udp.pcbcount"] = 77
			c["proc.maxrss_bytes"] = 9_437_184 + leak*64
		} else {
			c["sockstat.sockets.used"] = 5 - int64(min(i, 2))
			c["sockstat.TCP.alloc"], c["sockstat.TCP.inuse"], c["sockstat.TCP.tw"], c["sockstat.UDP.inuse"] = 1, 0, 0, 0
			c["sockstat6.TCP6.inuse"], c["sockstat6.UDP6.inuse"] = 0, 0
			c["slab.TCPv6.active_objs"], c["slab.TCP.active_objs"], c["slab.UDPv6.active_objs"], c["slab.UDP.active_objs"] = 26, 26, 44, 60
			c["slab.sock_inode_cache.active_objs"] = 240 + int64((i*733)%3600)
			c["memcg.usage_bytes"] = 71_390_000 + int64((i*977)%40)*100_000
			c["proc.rss_bytes"] = 2_813_000 + int64(i)*28_000
		}
		samples = append(samples, map[string]any{"iteration": it, "elapsed": float64(it) / 212000, "counters": c})
		if it == last {
			break
		}
	}
	m := map[string]any{
		"config": map[string]any{"family": family, "type": typ, "count": count, "sample_every": every, "pause": 1.0, "recover_tries": 5},
		"os":     osName, "arch": arch, "kernel": kernel,
		"iterations": last, "failures": 0, "elapsed": float64(last) / 212000, "sampling": 0.04, "rate": 212000.0,
		"samples": samples, "wall": float64(last)/212000 + 0.05,
	}
	if failing {
		m["failures"] = 9
		m["first_failure"] = map[string]any{"iteration": 160995, "call": "socket", "errno": "ENOBUFS", "code": 55, "message": "No buffer space available"}
		m["recovery"] = map[string]any{"immediate_retries": 3, "immediate_failures": 3, "pause": 1.0, "tries": 5, "succeeded": 0, "recovered": false, "last_errno": "ENOBUFS"}
		m["wall"] = float64(last)/212000 + 1.05
	}
	return m
}

// multiObservations: one interface per router (lan0 to A, lan1 to B); on
// macOS the first router learned takes both sources.
func multiObservations(conforming bool) []map[string]any {
	var out []map[string]any
	link := map[string]string{"A": "lan0", "B": "lan1"}
	mac := map[string]string{"A": "02:00:00:00:00:0a", "B": "02:00:00:00:00:0b"}
	for _, order := range [][]string{{"A", "B"}, {"B", "A"}} {
		for _, src := range []struct{ addr, prefix, router string }{{"2001:db8:a::10", "2001:db8:a::/64", "A"}, {"2001:db8:b::10", "2001:db8:b::/64", "B"}} {
			went := src.router
			if !conforming {
				went = order[0]
			}
			out = append(out, map[string]any{
				"ra_order": order, "source": src.addr, "interface": link[src.router], "prefix": src.prefix,
				"expected_routers": []string{src.router}, "sent": 60,
				"wire":         []map[string]any{{"router": went, "link": link[went], "mac": mac[went], "frames": 60}},
				"table":        map[string]any{"dst": "2001:db8:ff::1/128", "src": src.addr + "/128", "gateway": "fe80::" + strings.ToLower(went), "interface": link[went]},
				"table_router": went, "table_agrees": true,
			})
		}
	}
	return out
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
