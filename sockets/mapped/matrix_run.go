package mapped

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/sockets/peer4"
	"github.com/netconform/netconform/topology"
)

// matrixBurst is the most datagrams the matrix has in flight before it
// accounts for them. Every one goes through a user-space filter on Linux,
// and a burst that overruns the filter's netlink socket is dropped by the
// kernel (nfnetlink_queue's user_dropped counter) while the calls have
// returned success: a loss that would be the harness's, not the stack's.
// The filter's socket holds thousands (cfil, queueReadBuffer); with the
// default buffer a few hundred already overran it. A matrix that loses
// datagrams costs one window per matrixBurst datagrams of a number, not one
// per case: two for the default matrix's 1st datagrams.
const matrixBurst = 256

// matrixQueue is the NFQUEUE number of the matrix's own filter (queues are
// per network namespace; the matrix has a lab of its own).
const matrixQueue = 3281

// caseResult is one case of the matrix, judged.
type caseResult struct {
	name    string
	verdict check.Verdict
	reason  string
	// signature is the loss without the call's name, for grouping cases
	// that lost their datagrams the same way.
	signature string
	// refused: some datagram was refused with an errno.
	refused bool
	// unaccounted: some datagram the call accepted did not arrive in time.
	unaccounted bool
	peer        bool
	// call and to place a skipped case in its group.
	call Call
	to   Destination
}

// RunMatrix runs matrix m as one check on one lab: every case on K fresh
// sockets of its own, every case's datagrams through the content filter on
// the path (Linux: the check's own user-space filter, accepting everything;
// macOS: the machine's, when an agent is connected). Every case's sockets
// stay open until the last case is done, so that no two cases share a flow.
// The cases' receive windows overlap: the 1st datagrams of all of them go
// out, then one wait, then the 2nd datagrams; the datagrams that missed
// their windows get one more window, for all cases together, at the end.
func RunMatrix(ctx context.Context, env *harness.Env, m Matrix, p Params) check.Result {
	res := check.Result{ID: IDMatrix, Title: MatrixTitle, Spec: Spec, Labels: []string{"sockets", "mapped-sendto", "cfil"}}
	if p.Sockets < 1 || p.Timeout <= 0 {
		res.Errorf("harness: %d sockets and a %v window cannot test anything", p.Sockets, p.Timeout)
		return res
	}
	lab, peer, err := openDualStack(ctx, env, "dualstack-matrix")
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	defer lab.Close()
	res.Evidence = lab.Evidence
	cfg := cfil.UDPFilter(matrixQueue, cfil.Outbound, cfil.Accept)
	fp, err := putFilterOnPath(ctx, lab, cfg)
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	watch, err := watchFilters(ctx, lab.SUT())
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	cs, err := openCases(m, p, lab, peer, topology.SUTIsHost(env.Driver))
	defer cs.close()
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	x, err := cs.exchange(ctx, lab.SUT(), peer, watch, p.Timeout)
	if err != nil {
		res.Errorf("%v", err)
		return res
	}
	obs, results, stats := observeMatrix(m, p, cs, x, fp, peer)
	res.Verdict, res.Reason = matrixVerdict(results, p.Sockets, fp, stats, &x.attr, obs.PeerARPReplies)
	if err := res.Observe(obs); err != nil {
		res.Errorf("%v", err)
	}
	return res
}

// matrixExchange is what the matrix's datagrams left once every case's
// were sent and accounted for: when they went out, and what the content
// filters did meanwhile.
type matrixExchange struct {
	start, end time.Time
	attr       cfil.Attribution
}

// exchange has the SUT resolve the peer, sends every case's datagrams and
// accounts for them, then concludes the watch on the filters. It is the
// part of RunMatrix where datagrams move: the start and end it returns
// frame only the cases' datagrams, not the peer's resolution. An error is
// the harness's, with the text the check's reason carries.
func (cs *matrixCases) exchange(ctx context.Context, sut topology.SUT, peer *peer4.Host, watch *filterWatch, window time.Duration) (matrixExchange, error) {
	var x matrixExchange
	if err := primePeer(ctx, sut, peer, window); err != nil {
		return x, err
	}
	x.start = time.Now()
	if err := cs.sendAll(ctx, peer, window); err != nil {
		return x, err
	}
	x.end = time.Now()
	attr, err := watch.conclude(ctx)
	if err != nil {
		return x, err
	}
	x.attr = attr
	// Read after the exchange: a peer that failed at any point of it saw
	// a wire that cannot back any case's verdict.
	if err := peer.Err(); err != nil {
		return x, fmt.Errorf("harness: the emulated peer failed, so the wire cannot be trusted: %v", err)
	}
	return x, nil
}

// observeMatrix judges every case and fills the matrix's observations:
// the cases, the filter and what it decided, the content-filter coverage
// and the peer's ARP answers. It returns the filter's stats as well, read
// once after the cases were judged, so that the verdict and the
// observations tell of the same counts.
func observeMatrix(m Matrix, p Params, cs *matrixCases, x matrixExchange, fp filterPath, peer *peer4.Host) (observation.MappedMatrix, []caseResult, cfil.FilterStats) {
	obs := matrixFrame(m, p)
	results := cs.judge(p.Timeout, &obs, x.attr, fp)
	stats := fp.stats()
	rec := fp.record()
	obs.Filter = observation.MatrixFilter{Kind: fp.kind(), Sentence: fp.sentence(stats), Queue: int(rec.Queue), Hook: rec.Hook, Mode: string(rec.Mode),
		Rules: rec.Rules, Seen: stats.Seen, Dropped: stats.Dropped}
	obs.Coverage = string(cfil.CoverageOf(x.attr))
	obs.CFIL, _ = json.Marshal(x.attr)
	obs.PeerARPReplies = peer.ARPReplies()
	obs.Start, obs.End = x.start.Format(time.RFC3339Nano), x.end.Format(time.RFC3339Nano)
	return obs, results, stats
}

// matrixVerdict is the check's verdict (judgeMatrix) with the coverage
// sentence and the idle-filter test it needs, plus a hint when peer cases
// lost datagrams and the peer never answered ARP: then the SUT never asked,
// which explains the loss better than any case's reason.
func matrixVerdict(results []caseResult, sockets int, fp filterPath, stats cfil.FilterStats, attr *cfil.Attribution, arpReplies int) (check.Verdict, string) {
	v, why := judgeMatrix(results, sockets, coverageSentence(fp, stats, attr), fp.own != nil && stats.Seen == 0)
	if v == check.Fail && arpReplies == 0 && lostToPeer(results) {
		why += "; the SUT never sent an ARP request for the peer"
	}
	return v, why
}

// matrixFrame is the matrix's observations before any case ran: its rows,
// calls and destinations in table order.
func matrixFrame(m Matrix, p Params) observation.MappedMatrix {
	obs := observation.MappedMatrix{Matrix: m.Name, Sockets: p.Sockets, Timeout: p.Timeout.Seconds()}
	for _, r := range m.Rows {
		row := observation.MatrixRow{Key: r.Key(), Port: string(r.Port), V6Only: r.V6Only, Label: r.Label()}
		if r.Bind != BindNone {
			row.Bind = r.Bind.Address(sutIPv4.Addr()).String()
		} else {
			row.Port = ""
		}
		obs.Rows = append(obs.Rows, row)
	}
	for _, c := range Calls {
		obs.Calls = append(obs.Calls, string(c))
	}
	for _, d := range Destinations {
		obs.Destinations = append(obs.Destinations, string(d))
	}
	return obs
}

// startedCase is a case whose sockets are open.
type startedCase struct {
	c   MatrixCase
	run *caseRun
}

// matrixCases are the matrix's cases: those that run, with their sockets
// open (every case's stay open until the last is done, so no two cases
// share a port), and those that cannot run here.
type matrixCases struct {
	runs    []*startedCase
	skipped []observation.MatrixCase
	// order is each case's place in the matrix, by name.
	order map[string]int
}

func openCases(m Matrix, p Params, lab *harness.Lab, peer *peer4.Host, sutIsHost bool) (*matrixCases, error) {
	cs := &matrixCases{order: map[string]int{}}
	for i, c := range m.Cases {
		cs.order[c.Name()] = i
		if why := c.unavailable(sutIsHost); why != "" {
			cs.skipped = append(cs.skipped, observation.MatrixCase{Name: c.Name(), Row: c.Row.Key(), Call: string(c.Call), Destination: string(c.To),
				Expect: expectation(c.spec()), Verdict: string(check.Skip), Reason: why})
			continue
		}
		s := &startedCase{c: c, run: newCaseRun(c.spec(), p, lab.SUT(), peer)}
		cs.runs = append(cs.runs, s)
		if err := s.run.open(); err != nil {
			return cs, fmt.Errorf("%s: harness could not set the case up: %v", c.Name(), err)
		}
	}
	return cs, nil
}

func (cs *matrixCases) close() {
	for _, s := range cs.runs {
		s.run.close()
	}
}

// sendAll sends the 1st datagrams of every case and waits once, then the
// 2nd datagrams likewise: the receive windows of all cases overlap, so a
// matrix that loses datagrams costs one window per datagram number, not one
// per case. The datagrams that missed their windows get one more window,
// all together, at the end.
func (cs *matrixCases) sendAll(ctx context.Context, peer *peer4.Host, window time.Duration) error {
	var late []inflight
	for n := 1; n <= DatagramsPerSocket; n++ {
		var batch []inflight
		toPeer := 0
		for _, s := range cs.runs {
			for k, sock := range s.run.socks {
				if sock == nil {
					continue
				}
				m, ok := s.run.send(sock, &s.run.records[k], n)
				if !ok {
					continue
				}
				batch = append(batch, inflight{s.run, m})
				full := len(batch) == matrixBurst
				if s.c.To == Peer {
					// A stack holds only so many datagrams for a neighbour it
					// has not resolved (peerBurst): until the peer has
					// answered the SUT's ARP, no more than that go out
					// unaccounted.
					toPeer++
					full = full || (toPeer%peerBurst == 0 && peer.ARPReplies() == 0)
				}
				if full {
					if err := accountAll(ctx, batch, &late, window); err != nil {
						return fmt.Errorf("%s: harness could not finish the datagrams: %v", s.c.Name(), err)
					}
					batch = nil
				}
			}
		}
		if err := accountAll(ctx, batch, &late, window); err != nil {
			return fmt.Errorf("harness could not finish the datagrams: %v", err)
		}
	}
	if err := settleAll(ctx, late, time.Now().Add(window)); err != nil {
		return fmt.Errorf("harness could not finish the datagrams: %v", err)
	}
	return nil
}

// judge judges every case, puts each in obs.Cases in the matrix's order
// (the skipped ones too) and returns the results the matrix's verdict is
// made of.
func (cs *matrixCases) judge(window time.Duration, obs *observation.MappedMatrix, attr cfil.Attribution, fp filterPath) []caseResult {
	var results []caseResult
	for _, s := range cs.runs {
		sp := s.c.spec()
		cr := judgeCase(sp, window, s.run.records)
		results = append(results, cr)
		oc := observation.MatrixCase{Name: sp.Name, Row: s.c.Row.Key(), Call: string(s.c.Call), Destination: string(s.c.To),
			Expect: expectation(sp), Verdict: string(cr.verdict), Reason: cr.reason,
			Rates: Rates(s.run.records), Sockets: matrixSockets(s.run.records),
			CFILLines: linesOfCase(attr.LogLines, s.run.records)}
		if fp.own != nil {
			oc.FilterSeen = fp.own.SeenFrom(localPorts(s.run.records)...)
		}
		obs.Cases = append(obs.Cases, oc)
	}
	obs.Cases = append(obs.Cases, cs.skipped...)
	sort.SliceStable(obs.Cases, func(i, j int) bool { return cs.order[obs.Cases[i].Name] < cs.order[obs.Cases[j].Name] })
	for _, sc := range cs.skipped {
		results = append(results, caseResult{name: sc.Name, verdict: check.Skip, reason: sc.Reason, call: Call(sc.Call), to: Destination(sc.Destination)})
	}
	return results
}

// primePeer has the SUT resolve the peer's address before the matrix's
// datagrams go out: a harness socket (AF_INET, not one of a case) sends to
// the peer's discard port until one of its datagrams reaches the wire, three
// tries within one window. A stack holds only a few datagrams for a
// neighbour it has not resolved (xnu: 16), and the matrix sends many at once;
// a loss in that queue is not the loss it looks for (the single peer check,
// sockets.mapped-sendto.peer, keeps the unresolved first datagram). If the
// peer is still unresolved after the tries (the SUT loses those datagrams
// too), the matrix goes on and sends at most 16 to the peer at a time until
// it has answered ARP. An error is the harness's.
func primePeer(ctx context.Context, sut topology.SUT, peer *peer4.Host, window time.Duration) error {
	var s *udpSocket
	var cerr *callError
	if err := sut.Do(func() error {
		s, cerr = rawSocket(spec{Family: "inet"})
		return nil
	}); err != nil {
		return fmt.Errorf("harness could not enter the SUT: %w", err)
	}
	if cerr != nil {
		return fmt.Errorf("harness could not open its own socket to resolve the peer: %v", cerr)
	}
	defer s.close()
	col := newWireCollector(peer)
	to := netip.AddrPortFrom(peerIPv4, peerPort)
	for try := 1; try <= 3; try++ {
		payload := fmt.Sprintf("netconform resolve the peer %d %d", time.Now().UnixNano(), try)
		if _, err := s.send(CallSendto, []byte(payload), to, netip.Addr{}); err != nil {
			return nil // refused: the cases will say so themselves
		}
		if err := awaitAll(ctx, col, []string{payload}, time.Now().Add(window/3)); err != nil {
			return err
		}
		if _, ok := col.seen(payload); ok {
			return nil
		}
	}
	return nil
}

// inflight is a datagram of one of the matrix's cases whose outcome is not
// known yet.
type inflight struct {
	run *caseRun
	m   pending
}

// accountAll waits once for a batch of datagrams of several cases, until
// all have arrived or the last of their windows has ended, then calls each
// delivered if it arrived within its own window; the others go to late.
func accountAll(ctx context.Context, batch []inflight, late *[]inflight, window time.Duration) error {
	if len(batch) == 0 {
		return nil
	}
	last := batch[0].m.sentAt
	for _, f := range batch {
		if f.m.sentAt.After(last) {
			last = f.m.sentAt
		}
	}
	deadline := last.Add(window)
	for _, g := range byRun(batch) {
		var missed []pending
		if err := g.run.accountUntil(ctx, g.ms, &missed, deadline); err != nil {
			return err
		}
		for _, m := range missed {
			*late = append(*late, inflight{g.run, m})
		}
	}
	return nil
}

// settleAll gives the datagrams of every case that missed their windows one
// more window, the same for all.
func settleAll(ctx context.Context, late []inflight, deadline time.Time) error {
	for _, g := range byRun(late) {
		if err := g.run.settleUntil(ctx, g.ms, deadline); err != nil {
			return err
		}
	}
	return nil
}

type runGroup struct {
	run *caseRun
	ms  []pending
}

// byRun groups datagrams by case, in the order the cases first appear.
func byRun(fs []inflight) []runGroup {
	var out []runGroup
	idx := map[*caseRun]int{}
	for _, f := range fs {
		i, ok := idx[f.run]
		if !ok {
			i = len(out)
			idx[f.run] = i
			out = append(out, runGroup{run: f.run})
		}
		out[i].ms = append(out[i].ms, f.m)
	}
	return out
}

// localPorts are the local ports of a case's sockets.
func localPorts(records []SocketRecord) []uint16 {
	var out []uint16
	for _, r := range records {
		if r.Local.IsValid() && r.Local.Port() != 0 {
			out = append(out, r.Local.Port())
		}
	}
	return out
}

// cfilLport finds the local port in a cfil_hash_entry_log line ("... lport
// 65051 fport 65051 laddr ...": content_filter.c, cfil_hash_entry_log).
var cfilLport = regexp.MustCompile(`\blport (\d+)\b`)

// linesOfCase are the kernel's CFIL lines about a case's sockets: those
// naming one of its local ports, each with the unnamed lines that follow it
// ("CFIL: sosend() failed 22" comes right after the flow's line). The
// cases' windows overlap, so the port, not the time, says whose line it is.
func linesOfCase(lines []string, records []SocketRecord) []string {
	ports := map[string]bool{}
	for _, p := range localPorts(records) {
		ports[strconv.Itoa(int(p))] = true
	}
	var out []string
	mine := false
	for _, l := range lines {
		if m := cfilLport.FindStringSubmatch(l); m != nil {
			mine = ports[m[1]]
		}
		if mine {
			out = append(out, l)
		}
	}
	return out
}

// expectation names what a case expects.
func expectation(sp spec) string {
	if sp.expectsRefusal() {
		return "refusal"
	}
	return "delivery"
}

// kind is the filter's kind for the observation.
func (fp filterPath) kind() string {
	switch {
	case fp.own != nil:
		return "user-space"
	case fp.agents > 0:
		return "system"
	}
	return "none"
}

// statsDelta is what a filter decided between two snapshots of its stats.
func statsDelta(before, after cfil.FilterStats) cfil.FilterStats {
	d := cfil.FilterStats{Seen: after.Seen - before.Seen, Accepted: after.Accepted - before.Accepted, Dropped: after.Dropped - before.Dropped}
	if len(after.DroppedFlows) >= len(before.DroppedFlows) {
		d.DroppedFlows = after.DroppedFlows[len(before.DroppedFlows):]
	}
	return d
}

// coverageSentence says what content filter the cases went through, or
// that none did: a pass without one says nothing about the reported loss.
func coverageSentence(fp filterPath, stats cfil.FilterStats, attr *cfil.Attribution) string {
	if fp.own != nil {
		return "every case went through a " + fp.sentence(stats) + otherFilters(fp.cfg.Queue, attr)
	}
	switch cfil.CoverageOf(*attr) {
	case cfil.OnPath:
		s := "content filter: " + attr.Summary
		if fp.agents > 0 {
			s = "every case went " + fp.sentence(stats) + "; " + s
		}
		return s
	case cfil.NoFilter:
		if fp.none != "" {
			return fp.none
		}
		return cfil.NoFilterNote + " (" + attr.Summary + ")"
	}
	return "whether a content filter was on the path is not known: " + attr.Summary
}

// otherFilters names the other queueing filters that were on the SUT
// during the matrix (a fault the self-validation injected, say) with what
// they did, netconform's own with their counts, others as cfil saw them: a
// loss beside the check's own filter is theirs to explain.
func otherFilters(own uint16, attr *cfil.Attribution) string {
	var out []string
	for _, a := range attr.After.Filters {
		if a.Queue == own {
			continue
		}
		d := a.FilterStats
		for _, b := range attr.Before.Filters {
			if b.Queue == a.Queue && b.Hook == a.Hook && b.Table == a.Table && b.Mode == a.Mode {
				d = statsDelta(b.FilterStats, a.FilterStats)
			}
		}
		hook := a.Hook
		if a.Table != "" {
			hook = a.Table + " " + hook
		}
		out = append(out, fmt.Sprintf("; another user-space filter on the path (NFQUEUE %d on %s, %s) saw %d packets and dropped %d", a.Queue, hook, a.Mode, d.Seen, d.Dropped))
	}
	// Queues no filter of this process holds: cfil's own sentences.
	for _, part := range strings.Split(attr.Summary, "; ") {
		if strings.Contains(part, "no program holds the queue") || strings.Contains(part, "outside this process") {
			out = append(out, "; "+part)
		}
	}
	return strings.Join(out, "")
}

// lostToPeer: a peer case lost a datagram the call had accepted.
func lostToPeer(rs []caseResult) bool {
	for _, r := range rs {
		if r.peer && r.verdict == check.Fail && r.unaccounted {
			return true
		}
	}
	return false
}

// judgeCase judges one case: delivery expected (Judge), or, with
// IPV6_V6ONLY on, a refusal of every datagram.
func judgeCase(sp spec, timeout time.Duration, records []SocketRecord) caseResult {
	cr := caseResult{name: sp.Name, peer: sp.To == Peer}
	rates := Rates(records)
	for _, r := range rates {
		cr.refused = cr.refused || r.Errnos > 0
		cr.unaccounted = cr.unaccounted || r.SilentDrops+r.Late > 0
	}
	if sp.expectsRefusal() {
		cr.verdict, cr.reason = judgeRefusal(sp.Call.Syscall(), rates)
		cr.signature = cr.reason
		return cr
	}
	cr.verdict, cr.reason = Judge(sp.Call.Syscall(), timeout, records)
	cr.signature = signature(timeout, rates)
	return cr
}

// judgeRefusal: with IPV6_V6ONLY on, a mapped destination is out of the
// socket's reach (RFC 3493 §5.3): every datagram must be refused with an
// errno, at bind, connect or the send. One that arrives broke the option;
// one the call accepted that never arrived was neither refused nor sent.
func judgeRefusal(call string, rates []NumberRate) (check.Verdict, string) {
	if len(rates) == 0 {
		return check.Error, "cannot decide: no datagram was attempted"
	}
	var sent, arrived, silent, refused int
	names := map[string]int{}
	for _, r := range rates {
		sent += r.Sent
		arrived += r.Delivered + r.Late
		silent += r.SilentDrops
		refused += r.Errnos
		for n, c := range r.ErrnoNames {
			names[n] += c
		}
	}
	var parts []string
	if arrived > 0 {
		parts = append(parts, fmt.Sprintf("IPV6_V6ONLY is on, yet %d of %d datagrams to a mapped address arrived (RFC 3493 §5.3: the socket is restricted to IPv6)", arrived, sent))
	}
	if silent > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d datagrams neither refused nor delivered: %s said success but nothing arrived", silent, sent, call))
	}
	if len(parts) > 0 {
		return check.Fail, strings.Join(parts, "; ")
	}
	return check.Pass, fmt.Sprintf("every datagram refused with an errno, as IPV6_V6ONLY requires (%s)", tally(names))
}

// signature is a case's loss by datagram number without the call's name:
// cases that lost their datagrams the same way group under it.
func signature(timeout time.Duration, rates []NumberRate) string {
	var parts []string
	for _, r := range rates {
		if r.Lost() == 0 {
			parts = append(parts, fmt.Sprintf("%s datagram delivered %d/%d", Ordinal(r.Number), r.Delivered, r.Sent))
			continue
		}
		// The errno without its call: cases of several calls group here.
		errnos := map[string]int{}
		for n, c := range r.ErrnoNames {
			_, e, _ := strings.Cut(n, " ")
			errnos[e] += c
		}
		parts = append(parts, fmt.Sprintf("%s datagram lost %d/%d (%s)", Ordinal(r.Number), r.Lost(), r.Sent, how("the call", timeout, r, errnos)))
	}
	return strings.Join(parts, "; ")
}

// tally prints counts by name: "EINVAL ×3, EPERM ×1".
func tally(m map[string]int) string {
	var names []string
	for n, c := range m {
		names = append(names, fmt.Sprintf("%s ×%d", n, c))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// judgeMatrix gives the check's verdict over its cases. Fail when a case
// failed, naming the cases that lost datagrams grouped by how they lost
// them; error when a case could not be decided, or when the check's own
// filter was never given a packet while no call was refused (the filter was
// not on the path: nothing was tested through it); pass otherwise. The
// coverage sentence ends every reason: a pass says what it covered.
func judgeMatrix(rs []caseResult, sockets int, coverage string, ownFilterIdle bool) (check.Verdict, string) {
	t, undecided := tallyCases(rs)
	if undecided != nil {
		return check.Error, fmt.Sprintf("cannot decide: case %s: %s", undecided.name, undecided.reason)
	}
	skipped := t.skippedClause()
	if t.ran == 0 {
		return check.Error, "cannot decide: no case of the matrix can run here" + skipped
	}
	if ownFilterIdle && !t.refused {
		return check.Error, "cannot decide: the " + strings.TrimPrefix(coverage, "every case went through a ") + ": it was not on the datagrams' path, so nothing was tested through it"
	}
	if len(t.failed) == 0 {
		s := fmt.Sprintf("all %d cases that ran passed: every datagram delivered (%d fresh sockets per case, %d datagrams each)", t.ran, sockets, DatagramsPerSocket)
		if t.refusal > 0 {
			s += fmt.Sprintf(", or refused with an errno in the %d IPV6_V6ONLY cases", t.refusal)
		}
		return check.Pass, s + skipped + "; " + coverage
	}
	return check.Fail, lossSentence(t.failed, t.ran) + skipped + "; " + coverage
}

// caseTally is the matrix's cases counted for its verdict.
type caseTally struct {
	// ran counts the cases that ran (not skipped); refusal those of them
	// that passed by having every datagram refused (IPV6_V6ONLY).
	ran, refusal int
	failed       []caseResult
	// skips are the distinct skip reasons in the order they first came,
	// skipWhy the cases skipped for each: one clause per reason, not per
	// case, keeps the reason readable.
	skips   []string
	skipWhy map[string][]caseResult
	// refused: some call of a case that ran was refused with an errno.
	refused bool
}

// tallyCases counts the cases for judgeMatrix. It stops at the first case
// that could not be decided and returns it: one undecided case leaves the
// whole matrix undecided, whatever the others did.
func tallyCases(rs []caseResult) (caseTally, *caseResult) {
	t := caseTally{skipWhy: map[string][]caseResult{}}
	for i, r := range rs {
		switch r.verdict {
		case check.Skip:
			if len(t.skipWhy[r.reason]) == 0 {
				t.skips = append(t.skips, r.reason)
			}
			t.skipWhy[r.reason] = append(t.skipWhy[r.reason], r)
			continue
		case check.Error:
			return t, &rs[i]
		case check.Fail:
			t.failed = append(t.failed, r)
		}
		t.ran++
		t.refused = t.refused || r.refused
		if strings.HasPrefix(r.reason, "every datagram refused") {
			t.refusal++
		}
	}
	return t, nil
}

// skippedClause names the skipped cases, one group per reason, for the end
// of every reason (empty when none was skipped): a verdict over fewer cases
// than the matrix holds says which ones it left out.
func (t caseTally) skippedClause() string {
	if len(t.skips) == 0 {
		return ""
	}
	var ps []string
	for _, why := range t.skips {
		ps = append(ps, fmt.Sprintf("%s skipped (%s)", which(t.skipWhy[why]), why))
	}
	return "; " + strings.Join(ps, "; ")
}

// lossSentence says which of the ran cases lost datagrams and how: the
// failed cases grouped by signature, in the order they ran, so that many
// cases that lost the same way read as one finding rather than a list.
func lossSentence(failed []caseResult, ran int) string {
	var sigs []string
	by := map[string][]string{}
	for _, r := range failed {
		if len(by[r.signature]) == 0 {
			sigs = append(sigs, r.signature)
		}
		by[r.signature] = append(by[r.signature], r.name)
	}
	head := fmt.Sprintf("%d of %d cases that ran lost datagrams", len(failed), ran)
	if len(failed) == ran {
		head = fmt.Sprintf("all %d cases that ran lost datagrams", ran)
	}
	var groups []string
	for _, sig := range sigs {
		names := by[sig]
		switch {
		case len(names) == ran:
			groups = append(groups, fmt.Sprintf("%s in all %d cases", sig, ran))
		default:
			groups = append(groups, fmt.Sprintf("%s in %d %s: %s", sig, len(names), plural(len(names), "case", "cases"), strings.Join(names, ", ")))
		}
	}
	s := head + ": " + strings.Join(groups, " | ")
	if n := ran - len(failed); n > 0 {
		s += fmt.Sprintf(" | the other %d passed", n)
	}
	return s
}

// which names a group of cases briefly: "the 9 connect+sendmsg_x cases",
// "the 6 cases to loopback", or their names.
func which(rs []caseResult) string {
	sameCall, sameTo := true, true
	for _, r := range rs {
		sameCall = sameCall && r.call == rs[0].call
		sameTo = sameTo && r.to == rs[0].to
	}
	switch {
	case len(rs) == 1:
		return "case " + rs[0].name
	case sameCall && rs[0].call != "":
		return fmt.Sprintf("the %d %s cases", len(rs), rs[0].call)
	case sameTo && rs[0].to != "":
		return fmt.Sprintf("the %d cases to %s", len(rs), rs[0].to)
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.name
	}
	return fmt.Sprintf("%d cases (%s)", len(rs), strings.Join(names, ", "))
}

// matrixSockets is the case's records as the observation holds them.
func matrixSockets(records []SocketRecord) []observation.MatrixSocket {
	out := make([]observation.MatrixSocket, 0, len(records))
	for _, s := range records {
		ms := observation.MatrixSocket{Index: s.Index}
		if s.Local.IsValid() {
			ms.Local = s.Local.String()
		}
		if s.To.IsValid() {
			ms.To = s.To.String()
		}
		for _, d := range s.Datagrams {
			md := observation.MatrixDatagram{Number: d.Number, Call: d.Call, Return: d.Return, Errno: d.Errno, Outcome: string(d.Outcome),
				Latency: time.Duration(d.Latency).Seconds(), OvertakenBy: d.OvertakenBy}
			if d.Source.IsValid() {
				md.Source = d.Source.String()
			}
			ms.Datagrams = append(ms.Datagrams, md)
		}
		out = append(out, ms)
	}
	return out
}
