package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"time"

	"github.com/mdlayher/packet"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/topology"
)

// realLinuxOps probes this machine the way the Linux driver, cfil's filter
// and the churn checks' cgroups do it (they are called here, not copied,
// where they are exported).
type realLinuxOps struct {
	name string
	ns   netns.NsHandle
}

func (o *realLinuxOps) Privileged() error { return topology.CheckPrivileges() }

func (o *realLinuxOps) CreateNetns(name string) error {
	ns, err := topology.NewScratchNamespace(name)
	if ns.IsOpen() || err == nil {
		// Created, even if set-up failed: it must be deleted.
		o.name, o.ns = name, ns
	}
	return err
}

func (o *realLinuxOps) DeleteNetns() error {
	var errs []error
	if o.ns.IsOpen() {
		errs = append(errs, o.ns.Close())
	}
	if o.name != "" {
		if err := netns.DeleteNamed(o.name); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove namespace %s: %w", o.name, err))
		}
	}
	o.name = ""
	return errors.Join(errs...)
}

// AddVeth creates the pair inside the namespace the way a lab does (one
// netlink handle opened in it), and brings both ends up.
func (o *realLinuxOps) AddVeth(a, b string) error {
	h, err := netlink.NewHandleAt(o.ns)
	if err != nil {
		return fmt.Errorf("netlink in %s: %w", o.name, err)
	}
	defer h.Close()
	if err := h.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: a, MTU: 1500}, PeerName: b}); err != nil {
		return fmt.Errorf("create veth %s/%s: %w", a, b, err)
	}
	for _, n := range []string{a, b} {
		l, err := h.LinkByName(n)
		if err != nil {
			return err
		}
		if err := h.LinkSetUp(l); err != nil {
			return fmt.Errorf("set %s up: %w", n, err)
		}
	}
	return nil
}

// doctorEtherType is IEEE 802's "local experimental" EtherType: the frame
// stays on the scratch veth and nothing parses it.
const doctorEtherType = 0x88b5

// PacketRoundTrip: the emulated peers of a lab are AF_PACKET sockets on veth
// ends; one frame from `from` must reach a socket on `to`.
func (o *realLinuxOps) PacketRoundTrip(ctx context.Context, from, to string) error {
	tx, rx, src, err := o.openPacketPair(from, to)
	defer func() {
		for _, c := range []*packet.Conn{tx, rx} {
			if c != nil {
				c.Close()
			}
		}
	}()
	if err != nil {
		return err
	}
	payload := fmt.Appendf(nil, "netconform doctor %d", os.Getpid())
	if _, err := tx.WriteTo(doctorFrame(src, payload), &packet.Addr{HardwareAddr: ethernetBroadcast}); err != nil {
		return fmt.Errorf("send on %s: %w", from, err)
	}
	return awaitPayload(ctx, rx, payload, from, to)
}

// openPacketPair opens the AF_PACKET sockets inside the scratch namespace,
// where the veth ends live. The caller closes what it returns, even with an
// error: the first socket may be open when the second fails.
func (o *realLinuxOps) openPacketPair(from, to string) (tx, rx *packet.Conn, src net.HardwareAddr, err error) {
	err = topology.InNamespace(o.ns, func() error {
		fi, err := net.InterfaceByName(from)
		if err != nil {
			return err
		}
		ti, err := net.InterfaceByName(to)
		if err != nil {
			return err
		}
		src = fi.HardwareAddr
		if rx, err = packet.Listen(ti, packet.Raw, doctorEtherType, nil); err != nil {
			return fmt.Errorf("AF_PACKET socket on %s: %w", to, err)
		}
		if tx, err = packet.Listen(fi, packet.Raw, doctorEtherType, nil); err != nil {
			return fmt.Errorf("AF_PACKET socket on %s: %w", from, err)
		}
		return nil
	})
	return tx, rx, src, err
}

// doctorFrame is a broadcast Ethernet frame from src carrying payload
// under doctorEtherType.
func doctorFrame(src net.HardwareAddr, payload []byte) []byte {
	frame := append(append(append([]byte{}, ethernetBroadcast...), src...), byte(doctorEtherType>>8), byte(doctorEtherType&0xff))
	frame = append(frame, payload...)
	for len(frame) < 60 {
		frame = append(frame, 0) // the Ethernet minimum, as a NIC pads
	}
	return frame
}

// awaitPayload reads rx until a frame carrying payload arrives: errFrameLost
// after a second, or at ctx's deadline if sooner, since a doctor must not
// hang on a link that loses frames.
func awaitPayload(ctx context.Context, rx *packet.Conn, payload []byte, from, to string) error {
	deadline := time.Now().Add(time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := rx.SetReadDeadline(deadline); err != nil {
		return err
	}
	buf := make([]byte, 2048)
	for {
		n, _, err := rx.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return fmt.Errorf("%w: from %s to %s within 1s", errFrameLost, from, to)
			}
			return fmt.Errorf("receive on %s: %w", to, err)
		}
		if n >= 14 && bytes.Contains(buf[14:n], payload) {
			return nil
		}
	}
}

var ethernetBroadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// IPv6: /proc/sys/net resolves against the namespace of the thread that
// opens it; a kernel booted with ipv6.disable=1 has no /proc/sys/net/ipv6 and
// refuses AF_INET6 sockets with EAFNOSUPPORT.
func (o *realLinuxOps) IPv6() error {
	return topology.InNamespace(o.ns, func() error {
		if _, err := os.Stat("/proc/sys/net/ipv6/conf/all"); err != nil {
			return err
		}
		fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("socket(AF_INET6): %w", err)
		}
		return unix.Close(fd)
	})
}

func (o *realLinuxOps) LookPath(file string) (string, error) { return lookPath(file) }

// doctorQueue is the NFQUEUE number: queues are per namespace
// (nfnl_queue_net), so the scratch namespace's cannot clash with a lab's.
const doctorQueue = 7

// NFQueue starts cfil's own filter in the scratch namespace, accepting
// everything, and stops it: the very code the cfil check runs, so its
// verdict on this machine is the check's.
func (o *realLinuxOps) NFQueue(ctx context.Context) error {
	f, err := cfil.StartFilter(ctx, scratchSUT{o}, cfil.FilterConfig{
		Queue: doctorQueue, Hook: "OUTPUT", Match: []string{"-p", "udp"}, Mode: cfil.Accept})
	if err != nil {
		return err
	}
	return f.Close()
}

// Memcg creates netconform-<run>-doctor with a limit, exactly as a churn
// check's probe_memory_limit does, and removes it.
func (o *realLinuxOps) Memcg(runID string) (int, error) {
	g, err := cgroup.New(runID, "doctor", cgroup.Options{MemoryLimit: 64 << 20})
	if err != nil {
		return 0, err
	}
	return g.Version, g.Remove()
}

// scratchSUT is the scratch namespace as cfil's filter sees a SUT. The
// filter enters it with Do only; the rest answer that the doctor's
// namespace is no lab.
type scratchSUT struct{ o *realLinuxOps }

var errNoLab = errors.New("the doctor's scratch namespace is not a lab")

func (s scratchSUT) Do(fn func() error) error { return topology.InNamespace(s.o.ns, fn) }
func (s scratchSUT) Start(*exec.Cmd) error    { return errNoLab }
func (s scratchSUT) Shell(context.Context, string, []string) ([]byte, error) {
	return nil, errNoLab
}
func (s scratchSUT) Interface(string) string                      { return "" }
func (s scratchSUT) Addresses(string) ([]topology.Address, error) { return nil, errNoLab }
func (s scratchSUT) Routes() ([]topology.RouteEntry, error)       { return nil, errNoLab }
func (s scratchSUT) RouteGet(netip.Addr, netip.Addr) (topology.RouteEntry, error) {
	return topology.RouteEntry{}, errNoLab
}
func (s scratchSUT) Neighbors() ([]topology.Neighbor, error) { return nil, errNoLab }
