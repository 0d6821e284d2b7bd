package cfil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	nfqueue "github.com/florianl/go-nfqueue/v2"
	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/topology"
)

// copyRange is how much of each packet the kernel copies to the filter:
// enough for the IP and transport headers that name the flow.
const copyRange = 128

// StartFilter installs `iptables [-t <Table>] -I <Hook> <Match...> -j NFQUEUE --queue-num
// <Queue>` (and the same with ip6tables when it is installed) inside the
// SUT's namespace and runs the verdict loop on an nfqueue netlink socket
// opened inside it. A missing binary, kernel feature or permission gives an
// error wrapping ErrUnsupported that names it.
//
// Close the filter before the lab (harness: lab.OnClose(f.Close), which runs
// before the namespace is removed); a filter outliving its lab leaves nothing
// behind, but its Close then reports that it could not enter the namespace.
//
// The queue is bound before any rule exists and the rules are removed before
// it is unbound: with no program on the queue, the kernel would drop every
// packet the rule matches, which would look like the filter's doing.
func StartFilter(ctx context.Context, sut topology.SUT, cfg FilterConfig) (*Filter, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tools := []string{"iptables", "ip6tables"}
	if _, err := exec.LookPath("iptables"); err != nil {
		return nil, unsupported("no iptables binary in PATH (%v): install the iptables package", err)
	}
	if _, err := exec.LookPath("ip6tables"); err != nil {
		tools = tools[:1] // IPv4 only; Filter.Rules shows it
	}

	f := &Filter{cfg: cfg, sut: sut, verdicts: newVerdicts(cfg.Mode)}
	q, err := openQueue(sut, cfg.Queue)
	if err != nil {
		return nil, err
	}
	loop := &verdictLoop{q: q, v: f.verdicts, hold: cfg.Hold}
	// The loop's context is not ctx: the filter outlives StartFilter's call
	// and ends with Close.
	loopCtx, cancel := context.WithCancel(context.Background())
	if err := q.RegisterWithErrorFunc(loopCtx, loop.hook, loop.onError); err != nil {
		cancel()
		q.Close()
		return nil, classifyNetlink(sut, cfg.Queue, fmt.Errorf("bind queue %d: %w", cfg.Queue, err))
	}
	stopLoop := func() error {
		loop.closing()
		cancel()
		err := q.Close() // waits for the loop's goroutine
		return errors.Join(err, loop.err())
	}

	var installed []iptablesRule
	removeRules := func() error {
		var errs []error
		// Removal must not depend on the caller's ctx, which may be done.
		rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer rcancel()
		for i := len(installed) - 1; i >= 0; i-- {
			errs = append(errs, installed[i].remove(rctx, sut))
		}
		installed = nil
		return errors.Join(errs...)
	}
	for _, tool := range tools {
		r := iptablesRule{tool: tool, table: cfg.Table, chain: cfg.Hook, spec: cfg.ruleSpec()}
		if err := r.insert(ctx, sut); err != nil {
			return nil, errors.Join(err, removeRules(), stopLoop())
		}
		installed = append(installed, r)
		f.rules = append(f.rules, r.String())
	}
	f.stop = func() error { return errors.Join(removeRules(), stopLoop()) }
	running.add(f)
	return f, nil
}

// openQueue opens the nfqueue netlink socket inside the SUT's namespace,
// where it stays for its whole life.
func openQueue(sut topology.SUT, queue uint16) (*nfqueue.Nfqueue, error) {
	var (
		q       *nfqueue.Nfqueue
		openErr error
	)
	err := sut.Do(func() error {
		q, openErr = nfqueue.Open(&nfqueue.Config{
			NfQueue:      queue,
			MaxPacketLen: copyRange,
			MaxQueueLen:  1024,
			Copymode:     nfqueue.NfQnlCopyPacket,
			WriteTimeout: time.Second,
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cfil: enter the SUT to open queue %d: %w", queue, err)
	}
	if openErr != nil {
		return nil, classifyNetlink(sut, queue, fmt.Errorf("open nfnetlink socket: %w", openErr))
	}
	growReadBuffer(q)
	return q, nil
}

// queueReadBuffer is the netlink socket's receive buffer the filter asks
// for. With the default (net.core.rmem_default, 208 KiB) a burst of a few
// hundred queued packets overruns it and the kernel drops the rest
// (nfnetlink_queue's user_dropped), which would look like the stack losing
// them; 8 MiB holds thousands.
const queueReadBuffer = 8 << 20

// growReadBuffer raises the queue socket's receive buffer, past
// net.core.rmem_max with SO_RCVBUFFORCE (the filter runs with CAP_NET_ADMIN),
// else as far as SO_RCVBUF goes. Best effort: a smaller buffer still works,
// and a lost packet shows in the queue's counters.
func growReadBuffer(q *nfqueue.Nfqueue) {
	if rc, err := q.Con.SyscallConn(); err == nil {
		var serr error
		if cerr := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, queueReadBuffer)
		}); cerr == nil && serr == nil {
			return
		}
	}
	_ = q.Con.SetReadBuffer(queueReadBuffer)
}

// classifyNetlink says whether a netlink failure means the machine lacks
// nfnetlink_queue or the permission to use it.
func classifyNetlink(sut topology.SUT, queue uint16, err error) error {
	// The kernel also answers EPERM when another socket holds the queue
	// (nfqnl_recv_config): that is a clash, not a missing permission.
	if holder, ok := queueHolder(sut, queue); ok && errors.Is(err, unix.EPERM) {
		return fmt.Errorf("cfil: queue %d is already bound by another program in the SUT namespace (netlink port %d): %w", queue, holder, err)
	}
	switch {
	case errors.Is(err, unix.EPERM), errors.Is(err, unix.EACCES):
		return unsupported("nfnetlink_queue: permission denied for queue %d (needs CAP_NET_ADMIN in the SUT namespace): %v", queue, err)
	case errors.Is(err, unix.EPROTONOSUPPORT), errors.Is(err, unix.EAFNOSUPPORT):
		return unsupported("the kernel has no netfilter netlink (CONFIG_NETFILTER_NETLINK): %v", err)
	case errors.Is(err, unix.EBUSY):
		return fmt.Errorf("cfil: queue %d is already bound by another program in the SUT namespace: %w", queue, err)
	}
	// The kernel answers EINVAL or EOPNOTSUPP for a netfilter subsystem it
	// does not have: decide by the subsystem's /proc file.
	var present bool
	if sut.Do(func() error {
		_, statErr := os.Stat(queueProcFile)
		present = statErr == nil
		return nil
	}) == nil && !present {
		return unsupported("the kernel has no nfnetlink_queue (CONFIG_NETFILTER_NETLINK_QUEUE, module nfnetlink_queue): %v", err)
	}
	return fmt.Errorf("cfil: queue %d: %w", queue, err)
}

// queueHolder is the netlink port bound to queue in the SUT, if any.
func queueHolder(sut topology.SUT, queue uint16) (uint32, bool) {
	var text []byte
	if sut.Do(func() error {
		text, _ = os.ReadFile(queueProcFile)
		return nil
	}) != nil {
		return 0, false
	}
	rows, _ := parseQueues(string(text))
	if q := findQueue(rows, queue); q != nil {
		return q.PortID, true
	}
	return 0, false
}

// verdictLoop gives the kernel a verdict for every queued packet.
type verdictLoop struct {
	q *nfqueue.Nfqueue
	v *verdicts
	// hold is how long HoldFirstPerFlow holds a new flow.
	hold time.Duration
	// inOrder is held while a released flow's packets get their verdicts,
	// so that a packet of that flow arriving meanwhile cannot pass them.
	inOrder sync.Mutex

	mu      sync.Mutex
	lastErr error
	stopped bool // Close has begun: read errors from now on are its doing
}

func (l *verdictLoop) closing() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}

func (l *verdictLoop) hook(a nfqueue.Attribute) int {
	if a.PacketID == nil {
		return 0
	}
	var pkt []byte
	if a.Payload != nil {
		pkt = *a.Payload
	}
	if port, ok := sourcePort(pkt); ok {
		l.v.sawFrom(port)
	}
	if l.v.mode == HoldFirstPerFlow {
		l.holdPacket(flowOf(pkt), *a.PacketID)
		return 0
	}
	verdict := nfqueue.NfAccept
	if !l.v.decide(flowOf(pkt)) {
		verdict = nfqueue.NfDrop
	}
	if err := l.q.SetVerdict(*a.PacketID, verdict); err != nil {
		l.record(fmt.Errorf("verdict for packet %d: %w", *a.PacketID, err))
	}
	return 0
}

// holdPacket gives packet id of flow its verdict under HoldFirstPerFlow: a
// new flow is held for l.hold, its later packets queue behind the first, and
// all are accepted in order when the hold ends; after that, at once. Held
// packets still queued when the filter closes are the kernel's to drop, as
// for any queue whose program went away.
func (l *verdictLoop) holdPacket(flow string, id uint32) {
	switch l.v.hold(flow, id) {
	case holdStarted:
		time.AfterFunc(l.hold, func() {
			l.inOrder.Lock()
			defer l.inOrder.Unlock()
			for _, held := range l.v.release(flow) {
				l.accept(held)
			}
		})
	case holdPassed:
		// Released, perhaps this very moment: after the held ones.
		l.inOrder.Lock()
		defer l.inOrder.Unlock()
		l.accept(id)
	}
}

func (l *verdictLoop) accept(id uint32) {
	if err := l.q.SetVerdict(id, nfqueue.NfAccept); err != nil {
		l.record(fmt.Errorf("verdict for packet %d: %w", id, err))
	}
}

// onError keeps the loop reading through transient trouble (a receive
// timeout, or ENOBUFS when a burst overran the socket buffer: those packets
// stay queued and are dropped by the kernel, which its counters show).
func (l *verdictLoop) onError(err error) int {
	var opErr interface{ Timeout() bool }
	if errors.Is(err, unix.ENOBUFS) || (errors.As(err, &opErr) && opErr.Timeout()) {
		return 0
	}
	l.record(err)
	return 1
}

func (l *verdictLoop) record(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lastErr == nil && !l.stopped {
		l.lastErr = err
	}
}

// err is the first error the loop met before Close began.
func (l *verdictLoop) err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lastErr == nil {
		return nil
	}
	return fmt.Errorf("cfil: verdict loop: %w", l.lastErr)
}
