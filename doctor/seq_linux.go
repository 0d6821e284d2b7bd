package doctor

import (
	"context"
	"errors"
	"os/exec"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/topology"
)

// The Linux probes: what topology's Linux driver, cfil's user-space filter
// and the churn checks' memory cgroups do, on a scratch namespace named
// nc-<run id>-<pid>-0-doctor (the 0 is a sequence number no lab uses), so
// that `netconform clean-lab` removes it if the doctor dies before deleting
// it. Nothing is created in the host's own namespace: the veth pair lives
// inside the scratch namespace.

// linuxOps is what the Linux probes ask of the machine. ops_linux.go is the
// real one; the tests use fakes. Errors keep the errno they came with.
type linuxOps interface {
	// Privileged is topology.CheckPrivileges.
	Privileged() error
	// CreateNetns creates the named namespace (in /run/netns, like a lab's).
	CreateNetns(name string) error
	// DeleteNetns deletes the namespace CreateNetns made.
	DeleteNetns() error
	// AddVeth creates a veth pair a/b inside the namespace and brings it up.
	AddVeth(a, b string) error
	// PacketRoundTrip opens AF_PACKET sockets on both ends inside the
	// namespace and sends one frame from `from` that must arrive on `to`
	// (errFrameLost otherwise).
	PacketRoundTrip(ctx context.Context, from, to string) error
	// IPv6 reports whether the namespace has IPv6 (its /proc/sys/net/ipv6
	// and an AF_INET6 socket).
	IPv6() error
	LookPath(file string) (string, error)
	// NFQueue starts and stops cfil's user-space filter (an iptables
	// NFQUEUE rule and a bound queue) inside the namespace.
	NFQueue(ctx context.Context) error
	// Memcg creates and removes a memory cgroup named for the run, as the
	// churn checks' probe_memory_limit does; it returns the cgroup version.
	Memcg(runID string) (version int, err error)
}

// errFrameLost: the AF_PACKET round trip sent a frame that never arrived.
var errFrameLost = errors.New("the frame sent did not arrive")

// Scratch veth names: they exist only inside the scratch namespace.
const (
	vethA = "ncdoc0"
	vethB = "ncdoc1"
)

// Remedies that several probes give.
const (
	remedyRoot = "run it as root: `sudo netconform doctor`, `sudo make conformance` " +
		"(in a container: --cap-add NET_ADMIN --cap-add SYS_ADMIN, or --privileged)"
	remedyPrivilegedContainer = "run it as root on the host, or in a container started with --privileged " +
		"(the default seccomp and AppArmor profiles forbid unshare(CLONE_NEWNET) and mounts)"
	remedyInstallIptables = "install iptables: `apt-get install iptables` (Debian, Ubuntu), `dnf install iptables-nft` (Fedora), " +
		"`apk add iptables` (Alpine); under sudo, /usr/sbin must be in secure_path"
)

// DoctorNamespace is the scratch namespace's name for a run id and pid.
func DoctorNamespace(runID string, pid int) string {
	return topology.ObjectName(runID, pid, 0, "doctor")
}

// linuxSeq is one run of the Linux probes. Like darwinSeq, each probe is a
// method, so that the sequence reads as the table of probes and their order
// and each probe's meaning of an errno sits with the call that returned it.
type linuxSeq struct {
	ctx    context.Context
	runID  string
	nsName string
	ops    linuxOps
	// created: the scratch namespace exists because of us, so undo deletes it.
	created bool
}

func linuxSequence(ctx context.Context, runID string, pid int, ops linuxOps, tc toolchain) sequence {
	s := &linuxSeq{ctx: ctx, runID: runID, nsName: DoctorNamespace(runID, pid), ops: ops}
	probes := []probe{
		{need: NeedRoot, what: "root (CAP_NET_ADMIN and CAP_SYS_ADMIN)", run: s.root},
		suitesProbe(tc),
		{need: NeedNetns, what: "network namespaces", after: []Need{NeedRoot}, run: s.netns},
		{need: NeedVeth, what: "veth pairs", after: []Need{NeedNetns}, run: s.veth},
		{need: NeedAFPacket, what: "AF_PACKET raw frames", after: []Need{NeedVeth}, run: s.afPacket},
		{need: NeedIPv6, what: "IPv6 in a namespace", after: []Need{NeedNetns}, run: s.ipv6},
		{need: NeedIptables, what: "iptables", run: s.iptables},
		{need: NeedNFQueue, what: "NFQUEUE target and nfnetlink_queue", after: []Need{NeedNetns, NeedIptables}, run: s.nfqueue},
		{need: NeedMemcg, what: "memory cgroup controller (v1 or v2)", after: []Need{NeedRoot}, run: s.memcg},
	}
	return sequence{probes: probes, undo: s.undo}
}

func (s *linuxSeq) root() result {
	if err := s.ops.Privileged(); err != nil {
		if errors.Is(err, topology.ErrNotPrivileged) {
			return missing(err.Error(), remedyRoot)
		}
		return unknown(err.Error(), "")
	}
	return ok("effective capabilities hold CAP_NET_ADMIN and CAP_SYS_ADMIN")
}

func (s *linuxSeq) netns() result {
	err := s.ops.CreateNetns(s.nsName)
	if err == nil {
		s.created = true
		return ok("created %s (deleted at the end)", s.nsName)
	}
	return classifyNetns(err)
}

func (s *linuxSeq) veth() result {
	if err := s.ops.AddVeth(vethA, vethB); err != nil {
		return classifyVeth(err)
	}
	return ok("%s/%s inside %s", vethA, vethB, s.nsName)
}

func (s *linuxSeq) afPacket() result {
	err := s.ops.PacketRoundTrip(s.ctx, vethB, vethA)
	switch {
	case err == nil:
		return ok("a frame sent on %s arrived on %s", vethB, vethA)
	case isAny(err, unix.EAFNOSUPPORT, unix.EPROTONOSUPPORT, unix.ESOCKTNOSUPPORT):
		return missing("the kernel has no AF_PACKET sockets: "+err.Error(),
			"load it: `sudo modprobe af_packet` (kernel option CONFIG_PACKET)")
	case isAny(err, unix.EPERM, unix.EACCES):
		return missing("AF_PACKET refused: "+err.Error(),
			"it needs CAP_NET_RAW: run it as root (in a container: --cap-add NET_RAW)")
	case errors.Is(err, errFrameLost):
		return unknown(err.Error(), "a veth pair that loses frames makes every lab check an error: report it with `uname -a`")
	}
	return unknown(err.Error(), "")
}

func (s *linuxSeq) ipv6() result {
	err := s.ops.IPv6()
	switch {
	case err == nil:
		return ok("/proc/sys/net/ipv6 and AF_INET6 sockets inside %s", s.nsName)
	case isAny(err, unix.EAFNOSUPPORT, unix.ENOENT):
		return missing("IPv6 is disabled in this kernel: "+err.Error(),
			"remove ipv6.disable=1 from the kernel command line and reboot (or use a kernel with CONFIG_IPV6)")
	}
	return unknown(err.Error(), "")
}

func (s *linuxSeq) iptables() result {
	p, err := s.ops.LookPath("iptables")
	if err != nil {
		return missing("no iptables in PATH: the cfil check's user-space filter is installed with it", remedyInstallIptables)
	}
	return ok("%s", p)
}

func (s *linuxSeq) nfqueue() result {
	err := s.ops.NFQueue(s.ctx)
	if err == nil {
		return ok("an iptables NFQUEUE rule and a bound queue inside %s (cfil's filter, started and stopped)", s.nsName)
	}
	if errors.Is(err, cfil.ErrUnsupported) {
		return missing(err.Error(), nfqueueRemedy(err.Error()))
	}
	return unknown(err.Error(), "")
}

func (s *linuxSeq) memcg() result {
	v, err := s.ops.Memcg(s.runID)
	switch {
	case err == nil:
		return ok("cgroup v%d: created and removed %s%s-doctor", v, cgroup.Prefix, s.runID)
	case errors.Is(err, cgroup.ErrNoMemoryController):
		return missing(err.Error(),
			"enable the memory controller: a kernel with CONFIG_MEMCG, not booted with cgroup_disable=memory "+
				"(some boards need cgroup_enable=memory); cgroup v2: `memory` in /sys/fs/cgroup/cgroup.controllers; "+
				"v1: mounted at /sys/fs/cgroup/memory; in a container: --privileged --cgroupns=host")
	case isAny(err, unix.EROFS, unix.EACCES, unix.EPERM):
		return missing("cannot create a memory cgroup: "+err.Error(),
			"/sys/fs/cgroup is read-only or not ours (a container): run it on the host or with --privileged --cgroupns=host")
	}
	return unknown(err.Error(), "")
}

// undo deletes the scratch namespace only if netns created it: when
// CreateNetns failed there is nothing of ours to delete.
func (s *linuxSeq) undo() map[Need]error {
	if !s.created {
		return nil
	}
	return map[Need]error{NeedNetns: s.ops.DeleteNetns()}
}

// classifyNetns says what a failure to create a namespace means.
func classifyNetns(err error) result {
	switch {
	case isAny(err, unix.EPERM, unix.EACCES):
		return missing("the kernel refused a new network namespace: "+err.Error(), remedyPrivilegedContainer)
	case isAny(err, unix.EINVAL, unix.ENOSYS, unix.EOPNOTSUPP):
		return missing("the kernel has no network namespaces: "+err.Error(), "use a kernel with CONFIG_NET_NS=y")
	case errors.Is(err, unix.EROFS):
		return missing("/run/netns cannot be written: "+err.Error(), "mount a writable /run (a tmpfs) or run it on the host")
	case errors.Is(err, unix.ENOSPC):
		return missing("the namespace limit is reached: "+err.Error(),
			"raise user.max_net_namespaces (`sysctl user.max_net_namespaces`) or remove namespaces: `sudo netconform clean-lab`")
	}
	return unknown(err.Error(), "")
}

// classifyVeth says what a failure to create the veth pair means: the
// kernel answers EOPNOTSUPP for a link kind it has no driver for
// (rtnl_newlink, net/core/rtnetlink.c).
func classifyVeth(err error) result {
	switch {
	case errors.Is(err, unix.EOPNOTSUPP):
		return missing("the kernel has no veth driver: "+err.Error(),
			"load it: `sudo modprobe veth` (kernel option CONFIG_VETH)")
	case isAny(err, unix.EPERM, unix.EACCES):
		return missing("creating a veth pair was refused: "+err.Error(), remedyPrivilegedContainer)
	}
	return unknown(err.Error(), "")
}

// nfqueueRemedy picks the fix for what cfil's filter said is missing (its
// ErrUnsupported messages name the module or the program).
func nfqueueRemedy(msg string) string {
	switch {
	case strings.Contains(msg, "binary in PATH"):
		return remedyInstallIptables
	case strings.Contains(msg, "xt_NFQUEUE"):
		return "load the NFQUEUE target: `sudo modprobe xt_NFQUEUE` (kernel option CONFIG_NETFILTER_XT_TARGET_NFQUEUE); " +
			"iptables-nft also needs `sudo modprobe nft_compat`"
	case strings.Contains(msg, "nfnetlink_queue"):
		return "load the queue: `sudo modprobe nfnetlink_queue` (kernel option CONFIG_NETFILTER_NETLINK_QUEUE)"
	case strings.Contains(msg, "netfilter netlink"):
		return "load netfilter's netlink: `sudo modprobe nfnetlink` (kernel option CONFIG_NETFILTER_NETLINK)"
	case strings.Contains(msg, "packet filter tables"):
		return "load the tables: `sudo modprobe ip_tables ip6_tables` (legacy iptables) or `sudo modprobe nf_tables nft_compat` (iptables-nft)"
	case strings.Contains(msg, "permission denied"):
		return remedyRoot
	}
	return "the cfil check will be skipped with this reason; the detail names what the kernel or iptables lacks"
}

// lookPath is exec.LookPath, for the real ops.
func lookPath(file string) (string, error) { return exec.LookPath(file) }
