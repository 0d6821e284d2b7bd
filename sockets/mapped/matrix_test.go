package mapped

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
)

// TestMatrices: the default matrix has every bind row and every call once
// (own address; peer for the unbound socket) plus the seed's row to the
// peer and to loopback; the full one every valid destination in every cell
// and the IPV6_V6ONLY rows. Every value of every dimension is covered and
// no case is impossible or named twice.
func TestMatrices(t *testing.T) {
	for _, tt := range []struct {
		name   string
		cases  int
		v6only bool
	}{{"default", 54, false}, {"full", 168, true}} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMatrix(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Cases) != tt.cases {
				t.Errorf("%d cases, want %d", len(m.Cases), tt.cases)
			}
			names := map[string]bool{}
			binds, ports, calls, dests := map[BindKind]bool{}, map[PortKind]bool{}, map[Call]bool{}, map[Destination]bool{}
			cells := map[string]int{}
			v6only := false
			for _, c := range m.Cases {
				if err := c.spec().valid(); err != nil {
					t.Errorf("impossible case in the matrix: %v", err)
				}
				if names[c.Name()] {
					t.Errorf("case %q twice", c.Name())
				}
				names[c.Name()] = true
				binds[c.Row.Bind], ports[c.Row.Port], calls[c.Call], dests[c.To] = true, true, true, true
				cells[c.Row.Key()+" "+string(c.Call)]++
				v6only = v6only || c.Row.V6Only
			}
			if len(binds) != 4 || len(ports) != 2 || len(calls) != len(Calls) || len(dests) != 3 || v6only != tt.v6only {
				t.Errorf("binds %v ports %v calls %v destinations %v v6only %v", binds, ports, calls, dests, v6only)
			}
			// Every cell of the table (row x call) holds a case.
			for _, r := range m.Rows {
				for _, c := range Calls {
					if cells[r.Key()+" "+string(c)] == 0 {
						t.Errorf("cell %s x %s is empty", r.Key(), c)
					}
				}
			}
		})
	}
	if _, err := NewMatrix("all"); err == nil || !strings.Contains(err.Error(), "default or full") {
		t.Errorf("unknown matrix: %v", err)
	}
}

func TestRowNames(t *testing.T) {
	for _, tt := range []struct {
		row        Row
		key, label string
	}{
		{Row{Bind: BindMapped, Port: PortZero}, "mapped/0", "bound to ::ffff:192.0.2.1, port 0, IPV6_V6ONLY off"},
		{Row{Bind: BindMappedAny, Port: PortFixed}, "mapped-any/fixed", "bound to ::ffff:0.0.0.0, a fixed port, IPV6_V6ONLY off"},
		{Row{Bind: BindAny, Port: PortZero, V6Only: true}, "any/0+v6only", "bound to ::, port 0, IPV6_V6ONLY on (mapped destinations must be refused)"},
		{Row{Bind: BindNone, Port: PortZero}, "unbound", "not bound, IPV6_V6ONLY off"},
	} {
		if k, l := tt.row.Key(), tt.row.Label(); k != tt.key || l != tt.label {
			t.Errorf("%+v: %q %q, want %q %q", tt.row, k, l, tt.key, tt.label)
		}
	}
	c := MatrixCase{Row: Row{Bind: BindMapped, Port: PortZero}, Call: CallSendmsgPktinfo6, To: Loopback}
	if c.Name() != "mapped/0 sendmsg+IPV6_PKTINFO loopback" || c.Call.Syscall() != "sendmsg" || c.Call.Connects() {
		t.Errorf("%q %q", c.Name(), c.Call.Syscall())
	}
}

func TestJudgeRefusal(t *testing.T) {
	for _, tt := range []struct {
		name string
		recs []SocketRecord
		want check.Verdict
		has  string
	}{
		{"refused", sockets(10, Errno, Errno), check.Pass, "every datagram refused with an errno, as IPV6_V6ONLY requires (sendto EINVAL ×20)"},
		{"sent anyway", sockets(10, Delivered, Delivered), check.Fail, "IPV6_V6ONLY is on, yet 20 of 20 datagrams to a mapped address arrived"},
		{"neither", sockets(10, SilentDrop, Errno), check.Fail, "10 of 20 datagrams neither refused nor delivered: sendto said success"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, r := judgeRefusal("sendto", Rates(tt.recs))
			if v != tt.want || !strings.Contains(r, tt.has) {
				t.Errorf("%s %q, want %s with %q", v, r, tt.want, tt.has)
			}
		})
	}
}

// TestSignatureIsCallNeutral: cases that lost their datagrams the same way
// with different calls group together.
func TestSignatureIsCallNeutral(t *testing.T) {
	a := sockets(10, Errno, Delivered)
	b := sockets(10, Errno, Delivered)
	for i := range b {
		b[i].Datagrams[0].Call = "sendmsg"
	}
	sa, sb := signature(time.Second, Rates(a)), signature(time.Second, Rates(b))
	if sa != sb || sa != "1st datagram lost 10/10 (10 failed with an errno: EINVAL ×10); 2nd datagram delivered 10/10" {
		t.Errorf("%q vs %q", sa, sb)
	}
}

func TestJudgeMatrix(t *testing.T) {
	pass := func(n string) caseResult {
		return caseResult{name: n, verdict: check.Pass, reason: "every datagram delivered"}
	}
	lost := func(n, sig string) caseResult {
		return caseResult{name: n, verdict: check.Fail, reason: "x", signature: sig, unaccounted: true}
	}
	skip := caseResult{name: "mapped/0 connect+sendmsg_x self", verdict: check.Skip, reason: "macOS only", call: CallConnectSendmsgX, to: Self}
	const cov = "every case went through a user-space filter (NFQUEUE 3281 on OUTPUT, accept), which saw 0 packets and dropped 0"
	for _, tt := range []struct {
		name string
		rs   []caseResult
		idle bool
		want check.Verdict
		has  []string
	}{
		{"all pass", []caseResult{pass("a"), pass("b"), skip}, false, check.Pass,
			[]string{"all 2 cases that ran passed", "case mapped/0 connect+sendmsg_x self skipped (macOS only)", "; " + cov}},
		{"some lost", []caseResult{pass("a"), lost("b", "1st lost"), lost("c", "2nd lost"), lost("d", "1st lost")}, false, check.Fail,
			[]string{"3 of 4 cases that ran lost datagrams: 1st lost in 2 cases: b, d | 2nd lost in 1 case: c | the other 1 passed"}},
		{"all lost alike", []caseResult{lost("a", "1st lost"), lost("b", "1st lost")}, false, check.Fail,
			[]string{"all 2 cases that ran lost datagrams: 1st lost in all 2 cases; " + cov}},
		{"filter idle", []caseResult{pass("a")}, true, check.Error, []string{"not on the datagrams' path"}},
		{"filter idle but refused", []caseResult{{name: "a", verdict: check.Fail, signature: "EPERM", refused: true}}, true, check.Fail, []string{"all 1 cases"}},
		{"nothing ran", []caseResult{skip}, false, check.Error, []string{"no case of the matrix can run here"}},
		{"a case erred", []caseResult{pass("a"), {name: "b", verdict: check.Error, reason: "no datagram"}}, false, check.Error, []string{"case b: no datagram"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, r := judgeMatrix(tt.rs, 10, cov, tt.idle)
			if v != tt.want {
				t.Errorf("verdict %s, want %s: %s", v, tt.want, r)
			}
			for _, h := range tt.has {
				if !strings.Contains(r, h) {
					t.Errorf("reason %q lacks %q", r, h)
				}
			}
		})
	}
}

// TestPassSaysWhatItCovered: a first-datagram reason says whether a
// content filter was on the path, and a pass without one says that it
// says nothing about the reported loss; evidence that could not be read
// claims neither.
func TestPassSaysWhatItCovered(t *testing.T) {
	darwin := func(active string) cfil.State {
		return cfil.State{OS: "darwin", Sysctls: map[string]string{"net.cfil.active_count": active, "net.cfil.sock_attached_count": "0"}}
	}
	for _, tt := range []struct {
		name string
		a    cfil.Attribution
		has  string
	}{
		{"mac without a filter", cfil.Attribution{Before: darwin("0"), After: darwin("0"), Summary: "no content filter on the path (active_count 0, no socket attached, 0 CFIL log lines)"},
			"; " + cfil.NoFilterNote},
		{"mac with one", cfil.Attribution{Before: darwin("1"), After: darwin("1"), FilterOnPath: true, ReinjectFailure: "sosend_reinject() failed, errno 22 (EINVAL)",
			Summary: "the content filter failed to re-send data it held (sosend_reinject() failed, errno 22 (EINVAL), udp ...)"}, "; content filter: the content filter failed to re-send"},
		{"mac, sysctl unreadable", cfil.Attribution{Before: cfil.State{OS: "darwin", Errors: []string{"sysctl net.cfil: exit 1"}}, After: darwin("0"), Summary: "evidence incomplete"},
			"; whether a content filter was on the path is not known"},
		{"linux without a filter", cfil.Attribution{Before: cfil.State{OS: "linux"}, After: cfil.State{OS: "linux"}}, "; " + cfil.NoFilterNote},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := withFilterNote("every datagram delivered", &tt.a)
			if !strings.Contains(r, tt.has) {
				t.Errorf("%q lacks %q", r, tt.has)
			}
			if strings.Count(r, "sosend_reinject() failed") > 1 {
				t.Errorf("reinject failure named twice: %q", r)
			}
		})
	}
}

// TestSystemFilterPassNeedsAttachedSockets: on macOS the machine's filter
// proves something only when it took the check's sockets.
func TestSystemFilterPassNeedsAttachedSockets(t *testing.T) {
	fp := filterPath{agents: 1}
	if v, r := judgeSystemFiltered(fp, false, []check.Verdict{check.Pass, check.Pass}, []string{"self: ok"}); v != check.Skip || !strings.HasPrefix(r, cfil.NoFilterNote) {
		t.Errorf("not attached: %s %q", v, r)
	}
	if v, _ := judgeSystemFiltered(fp, true, []check.Verdict{check.Pass, check.Pass}, nil); v != check.Pass {
		t.Errorf("attached: %s", v)
	}
	if v, _ := judgeSystemFiltered(fp, false, []check.Verdict{check.Fail, check.Pass}, nil); v != check.Fail {
		t.Errorf("a loss is a fail, filter or not: %s", v)
	}
}

// TestUnavailableCases: sendmsg_x runs only where xnu's system call exists,
// and the loopback destination only where the SUT's loopback is the lab's.
func TestUnavailableCases(t *testing.T) {
	row := Row{Bind: BindMapped, Port: PortZero}
	x := MatrixCase{Row: row, Call: CallConnectSendmsgX, To: Self}
	if got := x.unavailable(false); (got == "") != sendmsgXAvailable {
		t.Errorf("sendmsg_x: %q with sendmsgXAvailable %v", got, sendmsgXAvailable)
	}
	lo := MatrixCase{Row: row, Call: CallSendto, To: Loopback}
	if lo.unavailable(false) != "" || !strings.Contains(lo.unavailable(true), "lo0 its own") {
		t.Errorf("loopback: lab %q, host %q", lo.unavailable(false), lo.unavailable(true))
	}
}

// TestLinesOfCase: a kernel CFIL line belongs to the case whose socket's
// local port it names, with the unnamed lines after it; the cases' windows
// overlap, so time cannot say.
func TestLinesOfCase(t *testing.T) {
	lines := []string{
		"2026-05-04 10:14:33.100000-0700 cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: [86868 a.out] <UDP(17) out so 59fa 1 1 age 0> lport 65051 fport 65051 laddr 192.0.2.1 faddr 192.0.2.1 hash 201AAC1",
		"2026-05-04 10:14:33.100001-0700 cfil_service_inject_queue:4472 CFIL: sosend() failed 22",
		"2026-05-04 10:14:33.200000-0700 cfil_hash_entry_log:6088 <CFIL: Error: sosend_reinject() failed>: [86868 a.out] <UDP(17) out so 59fb 2 2 age 0> lport 40000 fport 9 laddr 192.0.2.1 faddr 192.0.2.2 hash 1",
		"2026-05-04 10:14:33.200001-0700 cfil_service_inject_queue:4472 CFIL: sosend() failed 22",
	}
	rec := []SocketRecord{{Index: 1, Local: netip.MustParseAddrPort("[::ffff:192.0.2.1]:65051")}, {Index: 2, Local: netip.MustParseAddrPort("[::ffff:192.0.2.1]:1234")}}
	got := linesOfCase(lines, rec)
	if len(got) != 2 || got[0] != lines[0] || got[1] != lines[1] {
		t.Errorf("got %q", got)
	}
	if got := linesOfCase(lines, nil); len(got) != 0 {
		t.Errorf("a case without sockets got %q", got)
	}
}

// TestCoverageSentence: the matrix's reason ends with what content filter
// its cases went through, or that none did.
func TestCoverageSentence(t *testing.T) {
	mac := func(active string) cfil.State {
		return cfil.State{OS: "darwin", Sysctls: map[string]string{"net.cfil.active_count": active}}
	}
	none := filterPath{none: cfil.NoFilterNote + " (net.cfil.active_count 0: no content filter agent is connected on this machine)"}
	for _, tt := range []struct {
		name string
		fp   filterPath
		a    cfil.Attribution
		want string
	}{
		{"mac without a filter", none, cfil.Attribution{Before: mac("0"), After: mac("0")}, cfil.NoFilterNote + " (net.cfil.active_count 0"},
		{"mac with the machine's filter", filterPath{agents: 1}, cfil.Attribution{Before: mac("1"), After: mac("1"), FilterOnPath: true, Summary: "a content filter is on the path"},
			"every case went through the machine's own content filter (net.cfil.active_count 1); content filter: a content filter is on the path"},
		{"mac, evidence unreadable", none, cfil.Attribution{Before: cfil.State{OS: "darwin"}, After: mac("0"), Summary: "x"}, "whether a content filter was on the path is not known: x"},
	} {
		if got := coverageSentence(tt.fp, cfil.FilterStats{}, &tt.a); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q, want it to start with %q", tt.name, got, tt.want)
		}
	}
}
