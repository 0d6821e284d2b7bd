package topology

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"

	"github.com/mdlayher/packet"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

func init() { newOSDriver = func() (Driver, error) { return linuxDriver{}, nil } }

// linuxDriver builds a lab from two network namespaces: the SUT's, where the
// real kernel under test owns one veth end per link, and the wire's, holding
// the far ends where the emulated peers do raw Ethernet I/O. Nothing is ever
// created in the host's namespace: each veth is created inside the SUT
// namespace with its peer placed directly in the wire namespace.
type linuxDriver struct{}

type linuxLab struct {
	lab      Lab
	names    []string // named namespaces, removed on Close
	sutNS    netns.NsHandle
	wireNS   netns.NsHandle
	sutH     *netlink.Handle
	wireH    *netlink.Handle
	ports    map[string]*Port
	capture  *Capture
	sutIndex map[string]int // link name -> SUT ifindex
}

func (linuxDriver) Realize(ctx context.Context, lab Lab, opts Options) (inst Instance, err error) {
	if err := lab.Validate(); err != nil {
		return nil, err
	}
	if !ValidRunID(opts.RunID) {
		return nil, fmt.Errorf("run id %q is not 8 hex digits", opts.RunID)
	}
	if err := CheckPrivileges(); err != nil {
		return nil, err
	}
	l := &linuxLab{lab: lab, sutNS: -1, wireNS: -1, ports: map[string]*Port{}, sutIndex: map[string]int{}}
	defer func() {
		if err != nil {
			err = errors.Join(err, l.Close())
			inst = nil
		}
	}()
	if err := l.openNamespaces(opts.RunID); err != nil {
		return nil, err
	}
	if opts.CaptureFile != "" {
		if l.capture, err = NewCapture(opts.CaptureFile); err != nil {
			return nil, err
		}
	}
	if err := l.build(ctx); err != nil {
		return nil, err
	}
	if err := l.awaitCarrier(ctx); err != nil {
		return nil, err
	}
	if err := l.awaitLinkLocal(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// openNamespaces creates the lab's two named namespaces, the SUT's (with
// its sysctls set and loopback up) and the wire's, named after the run so
// that nothing collides with another run or the host, and opens a netlink
// handle in each. A namespace is recorded in l as soon as it exists, even
// when a later step fails, so that Close removes it.
func (l *linuxLab) openNamespaces(runID string) (err error) {
	seq, pid := nextSeq(), os.Getpid()
	sutName, wireName := ObjectName(runID, pid, seq, "sut"), ObjectName(runID, pid, seq, "wire")

	if l.sutNS, err = newNamedNamespace(sutName, func() error {
		if err := applySysctls(sutSysctls); err != nil {
			return err
		}
		lo, err := netlink.LinkByName("lo")
		if err != nil {
			return err
		}
		return netlink.LinkSetUp(lo)
	}); l.sutNS.IsOpen() {
		l.names = append(l.names, sutName)
	}
	if err != nil {
		return err
	}
	if l.wireNS, err = newNamedNamespace(wireName, func() error { return applySysctls(wireSysctls) }); l.wireNS.IsOpen() {
		l.names = append(l.names, wireName)
	}
	if err != nil {
		return err
	}
	if l.sutH, err = netlink.NewHandleAt(l.sutNS); err != nil {
		return fmt.Errorf("netlink in %s: %w", sutName, err)
	}
	if l.wireH, err = netlink.NewHandleAt(l.wireNS); err != nil {
		return fmt.Errorf("netlink in %s: %w", wireName, err)
	}
	return nil
}

// build adds the lab's links in declaration order, stopping between links
// when ctx is done, then the SUT's routes, which leave through the links'
// SUT interfaces and so need them to exist first.
func (l *linuxLab) build(ctx context.Context) error {
	for i, link := range l.lab.Links {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.addLink(i, link); err != nil {
			return err
		}
	}
	for _, r := range l.lab.Routes {
		idx := l.sutIndex[r.Link]
		if err := inNamespace(l.sutNS, func() error { return addRoute(r, idx) }); err != nil {
			return err
		}
	}
	return nil
}

// awaitCarrier waits, on the kernel's link events, until the wire end of
// every link is operationally up. A veth set up is NO-CARRIER for some tens
// of milliseconds; a frame a peer sends meanwhile (the first Router
// Advertisement) is dropped without a word, and the SUT learns the prefix
// only from its next Router Solicitation, seconds later.
func (l *linuxLab) awaitCarrier(ctx context.Context) error {
	updates, done := make(chan netlink.LinkUpdate, 64), make(chan struct{})
	defer close(done)
	var subErr error
	if err := netlink.LinkSubscribeWithOptions(updates, done, netlink.LinkSubscribeOptions{Namespace: &l.wireNS, ListExisting: true,
		ErrorCallback: func(err error) { subErr = err }}); err != nil {
		return fmt.Errorf("watch the lab's links: %w", err)
	}
	waiting := map[string]bool{}
	for i := range l.lab.Links {
		waiting[fmt.Sprintf("w%d", i)] = true
	}
	timeout := time.NewTimer(3 * time.Second)
	defer timeout.Stop()
	for len(waiting) > 0 {
		select {
		case u, ok := <-updates:
			if !ok {
				return fmt.Errorf("watch the lab's links: %v", subErr)
			}
			if a := u.Attrs(); a != nil && a.OperState == netlink.OperUp {
				delete(waiting, a.Name)
			}
		case <-timeout.C:
			return fmt.Errorf("the lab's wire ends %v have no carrier after 3s", slices.Sorted(maps.Keys(waiting)))
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (l *linuxLab) addLink(i int, link Link) error {
	wireIf := fmt.Sprintf("w%d", i)
	veth := &netlink.Veth{
		LinkAttrs:     netlink.LinkAttrs{Name: link.SUTIf, HardwareAddr: link.SUTMAC, MTU: 1500},
		PeerName:      wireIf,
		PeerNamespace: netlink.NsFd(l.wireNS),
	}
	if err := l.sutH.LinkAdd(veth); err != nil {
		return fmt.Errorf("create veth %s/%s: %w", link.SUTIf, wireIf, err)
	}
	sutLink, err := l.sutH.LinkByName(link.SUTIf)
	if err != nil {
		return err
	}
	l.sutIndex[link.Name] = sutLink.Attrs().Index
	wireLink, err := l.wireH.LinkByName(wireIf)
	if err != nil {
		return err
	}
	if err := l.wireH.LinkSetUp(wireLink); err != nil {
		return err
	}
	if link.SUTIPv4.IsValid() {
		ipn := &net.IPNet{IP: link.SUTIPv4.Addr().AsSlice(), Mask: net.CIDRMask(link.SUTIPv4.Bits(), 32)}
		if err := l.sutH.AddrAdd(sutLink, &netlink.Addr{IPNet: ipn}); err != nil {
			return fmt.Errorf("add %s to %s: %w", link.SUTIPv4, link.SUTIf, err)
		}
	}
	// The port is open before the SUT's interface comes up, so the capture
	// holds the SUT's very first frames (router solicitations included).
	var conn *packet.Conn
	if err := inNamespace(l.wireNS, func() error {
		ifi, err := net.InterfaceByName(wireIf)
		if err != nil {
			return err
		}
		conn, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil)
		return err
	}); err != nil {
		return fmt.Errorf("raw socket on %s: %w", wireIf, err)
	}
	port, err := NewPort(link.Name, packetConn{conn}, l.capture)
	if err != nil {
		conn.Close()
		return err
	}
	l.ports[link.Name] = port
	if err := l.sutH.LinkSetUp(sutLink); err != nil {
		return err
	}
	return nil
}

// awaitLinkLocal waits, on the kernel's address events, until every SUT
// interface has a usable link-local address.
func (l *linuxLab) awaitLinkLocal(ctx context.Context) error {
	w, err := WatchAddresses(l.SUT())
	if err != nil {
		return err
	}
	defer w.Close()
	return awaitLinkLocal(ctx, l.SUT(), w, l.lab, 3*time.Second)
}

func (l *linuxLab) Lab() *Lab              { return &l.lab }
func (l *linuxLab) SUT() SUT               { return (*linuxSUT)(l) }
func (l *linuxLab) Port(link string) *Port { return l.ports[link] }

// Close removes everything; it is safe to call on a half-built lab.
func (l *linuxLab) Close() error {
	var errs []error
	for _, p := range l.ports {
		errs = append(errs, p.Close())
	}
	if l.capture != nil {
		errs = append(errs, l.capture.Close())
	}
	for _, h := range []*netlink.Handle{l.sutH, l.wireH} {
		if h != nil {
			h.Close()
		}
	}
	for _, ns := range []netns.NsHandle{l.sutNS, l.wireNS} {
		if ns.IsOpen() {
			errs = append(errs, ns.Close())
		}
	}
	// Unmounting the named namespaces drops their last reference: the kernel
	// then destroys them and every veth inside.
	for _, name := range l.names {
		if err := netns.DeleteNamed(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove namespace %s: %w", name, err))
		}
	}
	l.names = nil
	return errors.Join(errs...)
}

// packetConn adapts an AF_PACKET socket to RawConn.
type packetConn struct{ c *packet.Conn }

func (p packetConn) ReadFrame(b []byte) (int, error) {
	n, _, err := p.c.ReadFrom(b)
	return n, err
}

func (p packetConn) WriteFrame(frame []byte) error {
	if len(frame) < 14 {
		return fmt.Errorf("frame of %d bytes has no Ethernet header", len(frame))
	}
	_, err := p.c.WriteTo(frame, &packet.Addr{HardwareAddr: net.HardwareAddr(frame[0:6])})
	return err
}

func (p packetConn) Close() error { return p.c.Close() }

// linuxSUT is the SUT view of a linuxLab.
type linuxSUT linuxLab

func (s *linuxSUT) Do(fn func() error) error { return inNamespace(s.sutNS, fn) }

func (s *linuxSUT) Interface(link string) string {
	if l, ok := s.lab.Link(link); ok {
		return l.SUTIf
	}
	return ""
}

// Start starts cmd in the SUT namespace. The forking thread stays alive until
// the child exits, because Pdeathsig is tied to that thread: the child is
// killed if netconform dies, and not a moment earlier.
func (s *linuxSUT) Start(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	started := make(chan error, 1)
	go func() {
		_ = inNamespace(s.sutNS, func() error {
			if err := cmd.Start(); err != nil {
				started <- err
				return err
			}
			started <- nil
			var info unix.Siginfo
			// Wait without reaping: the caller's cmd.Wait collects the status.
			for {
				err := unix.Waitid(unix.P_PID, cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
				if err != unix.EINTR {
					return nil
				}
			}
		})
	}()
	return <-started
}

func (s *linuxSUT) Shell(ctx context.Context, script string, env []string) ([]byte, error) {
	var out []byte
	err := s.Do(func() error {
		cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
		cmd.Env = env
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		var err error
		out, err = cmd.CombinedOutput()
		return err
	})
	return out, err
}

func (s *linuxSUT) Addresses(link string) ([]Address, error) {
	idx, ok := s.sutIndex[link]
	if !ok {
		return nil, fmt.Errorf("no link %q in lab %s", link, s.lab.Name)
	}
	nl, err := s.sutH.LinkByIndex(idx)
	if err != nil {
		return nil, err
	}
	var addrs []netlink.Addr
	for attempt := 0; attempt < 5; attempt++ {
		addrs, err = s.sutH.AddrList(nl, netlink.FAMILY_ALL)
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("addresses of %s: %w", s.Interface(link), err)
	}
	out := make([]Address, 0, len(addrs))
	for _, a := range addrs {
		ip, ok := netip.AddrFromSlice(a.IP)
		if !ok {
			continue
		}
		ones, _ := a.Mask.Size()
		out = append(out, Address{
			Prefix:     netip.PrefixFrom(ip.Unmap(), ones),
			Tentative:  a.Flags&unix.IFA_F_TENTATIVE != 0,
			Deprecated: a.Flags&unix.IFA_F_DEPRECATED != 0,
			Autoconf:   a.Flags&unix.IFA_F_PERMANENT == 0 && ip.Is6() && !ip.IsLinkLocalUnicast(),
			// IFA_CACHEINFO's remaining lifetimes; all ones is forever.
			ValidLft:     lft(uint32(a.ValidLft)),
			PreferredLft: lft(uint32(a.PreferedLft)),
		})
	}
	return out, nil
}

func (s *linuxSUT) ifname(idx int) string {
	if l, err := s.sutH.LinkByIndex(idx); err == nil {
		return l.Attrs().Name
	}
	return fmt.Sprintf("if%d", idx)
}

func (s *linuxSUT) Routes() ([]RouteEntry, error) {
	var out []RouteEntry
	err := s.Do(func() error {
		var err error
		out, err = dumpRoutes(s.ifname)
		return err
	})
	return out, err
}

func (s *linuxSUT) RouteGet(dst, src netip.Addr) (RouteEntry, error) {
	opts := &netlink.RouteGetOptions{}
	if src.IsValid() && !src.IsUnspecified() {
		opts.SrcAddr = src.AsSlice()
	}
	e := RouteEntry{Dst: netip.PrefixFrom(dst, dst.BitLen())}
	if src.IsValid() && !src.IsUnspecified() {
		e.Src = netip.PrefixFrom(src, src.BitLen())
	}
	routes, err := s.sutH.RouteGetWithOptions(dst.AsSlice(), opts)
	if err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) && (errno == unix.ENETUNREACH || errno == unix.EHOSTUNREACH) {
			e.Error = errno.Error()
			return e, nil
		}
		return e, fmt.Errorf("route get %s from %s: %w", dst, src, err)
	}
	if len(routes) == 0 {
		e.Error = "no route"
		return e, nil
	}
	r := routes[0]
	e.Gateway, _ = netip.AddrFromSlice(r.Gw)
	e.PrefSrc, _ = netip.AddrFromSlice(r.Src)
	e.Interface = s.ifname(r.LinkIndex)
	return e, nil
}

var neighStates = map[int]string{
	netlink.NUD_INCOMPLETE: "INCOMPLETE", netlink.NUD_REACHABLE: "REACHABLE", netlink.NUD_STALE: "STALE",
	netlink.NUD_DELAY: "DELAY", netlink.NUD_PROBE: "PROBE", netlink.NUD_FAILED: "FAILED",
	netlink.NUD_NOARP: "NOARP", netlink.NUD_PERMANENT: "PERMANENT",
}

func (s *linuxSUT) Neighbors() ([]Neighbor, error) {
	ns, err := s.sutH.NeighList(0, netlink.FAMILY_ALL)
	if err != nil {
		return nil, fmt.Errorf("neighbours: %w", err)
	}
	var out []Neighbor
	for _, n := range ns {
		ip, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		st := neighStates[n.State]
		if st == "" {
			st = fmt.Sprintf("0x%x", n.State)
		}
		out = append(out, Neighbor{Addr: ip.Unmap(), MAC: n.HardwareAddr.String(), Interface: s.ifname(n.LinkIndex), State: st, Router: n.Flags&netlink.NTF_ROUTER != 0})
	}
	return out, nil
}

// Namespace is the name of the SUT's namespace under /run/netns, so profile
// commands and people can `ip netns exec` into it.
func (s *linuxSUT) Namespace() string {
	if len(s.names) > 0 {
		return s.names[0]
	}
	return ""
}
