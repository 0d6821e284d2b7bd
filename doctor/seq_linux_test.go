package doctor

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/sockets/cgroup"
	"github.com/netconform/netconform/topology"
)

// fakeLinux is a Linux machine whose every probe answers what a test says.
type fakeLinux struct {
	privileged, netns, veth, packet, ipv6, nfqueue, memcg, deleteErr error
	iptables                                                         bool
	calls                                                            []string
}

func (f *fakeLinux) call(s string, err error) error { f.calls = append(f.calls, s); return err }

func (f *fakeLinux) Privileged() error             { return f.call("privileged", f.privileged) }
func (f *fakeLinux) CreateNetns(name string) error { return f.call("netns "+name, f.netns) }
func (f *fakeLinux) DeleteNetns() error            { return f.call("delete netns", f.deleteErr) }
func (f *fakeLinux) AddVeth(a, b string) error     { return f.call("veth "+a+" "+b, f.veth) }
func (f *fakeLinux) PacketRoundTrip(_ context.Context, from, to string) error {
	return f.call("packet "+from+" "+to, f.packet)
}
func (f *fakeLinux) IPv6() error { return f.call("ipv6", f.ipv6) }
func (f *fakeLinux) LookPath(file string) (string, error) {
	if f.iptables {
		return "/usr/sbin/" + file, f.call("lookpath "+file, nil)
	}
	return "", f.call("lookpath "+file, exec.ErrNotFound)
}
func (f *fakeLinux) NFQueue(context.Context) error { return f.call("nfqueue", f.nfqueue) }
func (f *fakeLinux) Memcg(runID string) (int, error) {
	return 2, f.call("memcg "+runID, f.memcg)
}

func runLinux(t *testing.T, f *fakeLinux) Report {
	t.Helper()
	seq := linuxSequence(context.Background(), testRunID, 4242, f, okToolchain(t))
	r := Report{RunID: testRunID, Items: runProbes(seq.probes, func() error { return nil })}
	for n, err := range seq.undo() {
		undone(r.Items, n, err, testRunID)
	}
	return r
}

func healthyLinux() *fakeLinux { return &fakeLinux{iptables: true} }

// TestLinuxHealthy: every need met, in the order a run needs them, and the
// scratch namespace named so that clean-lab attributes it to the run.
func TestLinuxHealthy(t *testing.T) {
	f := healthyLinux()
	r := runLinux(t, f)
	var order []Need
	for _, it := range r.Items {
		order = append(order, it.Need)
		if it.Status != StatusOK {
			t.Errorf("%s: %s (%s)", it.Need, it.Status, it.Detail)
		}
	}
	want := []Need{NeedRoot, NeedSuites, NeedNetns, NeedVeth, NeedAFPacket, NeedIPv6, NeedIptables, NeedNFQueue, NeedMemcg}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if r.ExitCode() != ExitOK {
		t.Errorf("exit %d, want 0", r.ExitCode())
	}
	ns := DoctorNamespace(testRunID, 4242)
	if run, pid, ok := topology.ObjectOwner(ns); !ok || run != testRunID || pid != 4242 {
		t.Errorf("namespace %q is not one clean-lab attributes to run %s pid 4242", ns, testRunID)
	}
	if f.calls[len(f.calls)-1] != "delete netns" || !contains(f.calls, "netns "+ns) {
		t.Errorf("calls %v: want the namespace %s created and deleted last", f.calls, ns)
	}
}

// TestLinuxMissing: each missing thing gives its own remedy, and the needs
// that depend on it are blocked with that same remedy.
func TestLinuxMissing(t *testing.T) {
	nfq := func(msg string) error { return fmt.Errorf("%w: %s", cfil.ErrUnsupported, msg) }
	tests := []struct {
		name    string
		set     func(*fakeLinux)
		need    Need
		status  Status
		remedy  string
		blocked []Need
	}{
		{"not root", func(f *fakeLinux) { f.privileged = topology.ErrNotPrivileged }, NeedRoot, StatusMissing, "sudo netconform doctor",
			[]Need{NeedNetns, NeedVeth, NeedAFPacket, NeedIPv6, NeedNFQueue, NeedMemcg}},
		{"netns refused (container)", func(f *fakeLinux) { f.netns = fmt.Errorf("create namespace: %w", unix.EPERM) }, NeedNetns, StatusMissing, "--privileged",
			[]Need{NeedVeth, NeedAFPacket, NeedIPv6, NeedNFQueue}},
		{"no netns in kernel", func(f *fakeLinux) { f.netns = unix.EINVAL }, NeedNetns, StatusMissing, "CONFIG_NET_NS=y", nil},
		{"read-only /run", func(f *fakeLinux) { f.netns = unix.EROFS }, NeedNetns, StatusMissing, "writable /run", nil},
		{"namespace limit", func(f *fakeLinux) { f.netns = unix.ENOSPC }, NeedNetns, StatusMissing, "user.max_net_namespaces", nil},
		{"no veth driver", func(f *fakeLinux) { f.veth = fmt.Errorf("create veth: %w", unix.EOPNOTSUPP) }, NeedVeth, StatusMissing, "modprobe veth",
			[]Need{NeedAFPacket}},
		{"no AF_PACKET", func(f *fakeLinux) { f.packet = unix.EAFNOSUPPORT }, NeedAFPacket, StatusMissing, "modprobe af_packet", nil},
		{"no CAP_NET_RAW", func(f *fakeLinux) { f.packet = unix.EPERM }, NeedAFPacket, StatusMissing, "NET_RAW", nil},
		{"frame lost", func(f *fakeLinux) { f.packet = errFrameLost }, NeedAFPacket, StatusUnknown, "uname -a", nil},
		{"ipv6.disable=1", func(f *fakeLinux) { f.ipv6 = unix.EAFNOSUPPORT }, NeedIPv6, StatusMissing, "ipv6.disable=1", nil},
		{"no iptables", func(f *fakeLinux) { f.iptables = false }, NeedIptables, StatusMissing, "apt-get install iptables", []Need{NeedNFQueue}},
		{"no xt_NFQUEUE", func(f *fakeLinux) {
			f.nfqueue = nfq("iptables cannot use the NFQUEUE target: the kernel lacks xt_NFQUEUE (CONFIG_NETFILTER_XT_TARGET_NFQUEUE)")
		}, NeedNFQueue, StatusMissing, "modprobe xt_NFQUEUE", nil},
		{"no nfnetlink_queue", func(f *fakeLinux) {
			f.nfqueue = nfq("the kernel has no nfnetlink_queue (CONFIG_NETFILTER_NETLINK_QUEUE, module nfnetlink_queue)")
		}, NeedNFQueue, StatusMissing, "modprobe nfnetlink_queue", nil},
		{"no nfnetlink", func(f *fakeLinux) { f.nfqueue = nfq("the kernel has no netfilter netlink (CONFIG_NETFILTER_NETLINK)") },
			NeedNFQueue, StatusMissing, "modprobe nfnetlink", nil},
		{"no tables", func(f *fakeLinux) {
			f.nfqueue = nfq("iptables: the kernel's packet filter tables are not available (ip_tables/ip6_tables or nf_tables missing)")
		}, NeedNFQueue, StatusMissing, "modprobe ip_tables ip6_tables", nil},
		{"no ip6tables binary at rule time", func(f *fakeLinux) { f.nfqueue = nfq("no ip6tables binary in PATH: install the iptables package") },
			NeedNFQueue, StatusMissing, "apt-get install iptables", nil},
		{"queue held by another program", func(f *fakeLinux) { f.nfqueue = errors.New("cfil: queue 7 is already bound") },
			NeedNFQueue, StatusUnknown, "", nil},
		{"no memory controller", func(f *fakeLinux) { f.memcg = cgroup.ErrNoMemoryController }, NeedMemcg, StatusMissing, "CONFIG_MEMCG", nil},
		{"read-only cgroup fs", func(f *fakeLinux) { f.memcg = fmt.Errorf("creating cgroup: %w", unix.EROFS) }, NeedMemcg, StatusMissing, "--cgroupns=host", nil},
		{"odd memcg error", func(f *fakeLinux) { f.memcg = errors.New("something else") }, NeedMemcg, StatusUnknown, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := healthyLinux()
			tt.set(f)
			r := runLinux(t, f)
			it, ok := r.Item(tt.need)
			if !ok {
				t.Fatalf("no %s row", tt.need)
			}
			if it.Status != tt.status || !strings.Contains(it.Remedy, tt.remedy) {
				t.Errorf("%s: %s, remedy %q; want %s with %q", tt.need, it.Status, it.Remedy, tt.status, tt.remedy)
			}
			reason, miss := r.Missing(tt.need)
			if miss != (tt.status == StatusMissing) {
				t.Errorf("Missing(%s) = %v, want %v", tt.need, miss, tt.status == StatusMissing)
			}
			if miss && (!strings.Contains(reason, tt.remedy) || !strings.Contains(reason, it.What)) {
				t.Errorf("reason %q lacks the remedy or what", reason)
			}
			for _, b := range tt.blocked {
				bi, _ := r.Item(b)
				if bi.Status != StatusBlocked || bi.Remedy != it.Remedy || !strings.Contains(bi.Detail, it.What) {
					t.Errorf("%s: %s %q remedy %q; want blocked by %s with its remedy", b, bi.Status, bi.Detail, bi.Remedy, tt.need)
				}
				if reason, miss := r.Missing(b); !miss || !strings.Contains(reason, tt.remedy) {
					t.Errorf("Missing(%s) = %q, %v: want the root cause's remedy", b, reason, miss)
				}
			}
			want := ExitMissing
			if tt.status == StatusUnknown {
				want = ExitNoProbe
			}
			if r.ExitCode() != want {
				t.Errorf("exit %d, want %d", r.ExitCode(), want)
			}
			created := contains(f.calls, "netns "+DoctorNamespace(testRunID, 4242)) && f.netns == nil
			if deleted := contains(f.calls, "delete netns"); deleted != created {
				t.Errorf("namespace deleted %v, created %v: calls %v", deleted, created, f.calls)
			}
		})
	}
}

// TestLinuxUndoFailure: a namespace the doctor could not delete is no
// longer ok, and the remedy is clean-lab.
func TestLinuxUndoFailure(t *testing.T) {
	f := healthyLinux()
	f.deleteErr = errors.New("device or resource busy")
	r := runLinux(t, f)
	it, _ := r.Item(NeedNetns)
	if it.Status != StatusUnknown || !strings.Contains(it.Remedy, "netconform clean-lab") || !strings.Contains(it.Detail, "device or resource busy") {
		t.Errorf("netns after a failed delete: %+v", it)
	}
	if r.ExitCode() != ExitNoProbe {
		t.Errorf("exit %d, want %d", r.ExitCode(), ExitNoProbe)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
