package main

// End-to-end self-validation: the real command, the real suites, the shipped
// ginkgo.yaml. These are the proofs that each check can fail and can pass,
// that expectations and exit statuses mean what the README says, and that a
// run leaves nothing behind however it ends.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/reports"
	"github.com/netconform/netconform/topology"
)

var ncBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "netconform-bin-")
	if err != nil {
		panic(err)
	}
	os.Chmod(dir, 0o755) // the no-root test runs the binary as nobody
	ncBinary = filepath.Join(dir, "netconform")
	out, err := exec.Command(goBinary(), "build", "-o", ncBinary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build netconform: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needRoot(t *testing.T) {
	t.Helper()
	if err := topology.CheckPrivileges(); err != nil {
		t.Skipf("self-validation needs root: %v", err)
	}
}

const repoRoot = "../.."

type ncRun struct {
	code   int
	output string
	dir    string // the release directory
}

// runNC runs `netconform run` from the checkout with the given config file
// (relative to the checkout or absolute) and output directory.
func runNC(t *testing.T, configFile string, args ...string) ncRun {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command(ncBinary, append([]string{"run", "--config", configFile, "--out", out}, args...)...)
	cmd.Dir = repoRoot
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := ncRun{code: code, output: buf.String()}
	if matches, _ := filepath.Glob(filepath.Join(out, "*", "results.json")); len(matches) == 1 {
		r.dir = filepath.Dir(matches[0])
	}
	return r
}

func (r ncRun) results(t *testing.T) *reports.Results {
	t.Helper()
	if r.dir == "" {
		t.Fatalf("no results.json written; output:\n%s", r.output)
	}
	res, err := reports.Read(filepath.Join(r.dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func verdicts(res *reports.Results) map[string]check.Verdict {
	v := map[string]check.Verdict{}
	for _, c := range res.Checks {
		v[c.ID] = c.Verdict
	}
	return v
}

// writeConfig writes the shipped ginkgo.yaml with extra YAML appended (later
// keys of the same name are not allowed, so callers append new sections only)
// or with a replacement for the known_failures line.
func writeConfig(t *testing.T, knownFailures, extraProfiles string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "ginkgo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if knownFailures != "" {
		s = strings.Replace(s, "known_failures: []", "known_failures:\n"+knownFailures, 1)
	}
	if extraProfiles != "" {
		s = strings.Replace(s, "profiles:\n", "profiles:\n"+extraProfiles, 1)
	}
	p := filepath.Join(t.TempDir(), "ginkgo.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The checks the tests expect, by label, from the registry: a new check
// joins them without a test to edit.
var rfc8028Checks = registered("rfc8028")

// registered lists the ids of the registered checks a label filter selects.
func registered(labels string) []string {
	sel, err := catalog.Select(catalog.Selection{Suites: config.Suites, Labels: labels})
	if err != nil {
		panic(err)
	}
	var ids []string
	for _, e := range sel {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestSelfValidationIPv6: stock Linux violates RFC 8028 on every check; the
// shipped source-routing profile makes it conform on every check.
func TestSelfValidationIPv6(t *testing.T) {
	needRoot(t)
	for _, tc := range []struct {
		profile  string
		want     check.Verdict
		wantExit int
	}{
		{"stock", check.Fail, exitUnexpected},
		{"source-routing", check.Pass, exitAsExpected},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			r := runNC(t, "ginkgo.yaml", "--profile", tc.profile, "--labels", "rfc8028")
			if r.code != tc.wantExit {
				t.Errorf("exit %d, want %d; output:\n%s", r.code, tc.wantExit, r.output)
			}
			res := r.results(t)
			got := verdicts(res)
			for _, id := range rfc8028Checks {
				if got[id] != tc.want {
					t.Errorf("%s: %s, want %s", id, got[id], tc.want)
				}
			}
			if res.Run.Profile != tc.profile || res.Release.OS != "linux" || !strings.HasPrefix(res.Run.ConfigDigest, "sha256:") {
				t.Errorf("run/release metadata wrong: %+v %+v", res.Run, res.Release)
			}
			for _, c := range res.Checks {
				if len(c.Evidence) == 0 {
					t.Errorf("%s has no evidence", c.ID)
				}
				for _, e := range c.Evidence {
					if _, err := os.Stat(filepath.Join(r.dir, e)); err != nil {
						t.Errorf("%s: evidence %s missing: %v", c.ID, e, err)
					}
				}
			}
		})
	}
}

// TestKnownFailures: a listed failure keeps the run green; the same entry
// turns it red once the check passes.
func TestKnownFailures(t *testing.T) {
	needRoot(t)
	entry := `  - check: ipv6.rfc8028.same-link
    os: linux
    versions: ["*"]
    reason: stock Linux sends every source to the router it learned first
    bug: https://example.invalid/bug/1
`
	cfg := writeConfig(t, entry, "")
	r := runNC(t, cfg, "--check", "ipv6.rfc8028.same-link", "--profile", "stock")
	if r.code != exitAsExpected {
		t.Errorf("known failure: exit %d, want 0; output:\n%s", r.code, r.output)
	}
	c := r.results(t).Checks
	if len(c) != 1 || c[0].Expected != check.Fail || c[0].Known == nil || c[0].Known.Bug != "https://example.invalid/bug/1" {
		t.Errorf("results do not carry the known failure: %+v", c)
	}
	r = runNC(t, cfg, "--check", "ipv6.rfc8028.same-link", "--profile", "source-routing")
	if r.code != exitUnexpected || !strings.Contains(r.output, "now passes") {
		t.Errorf("known failure that passes: exit %d, want 1 with 'now passes'; output:\n%s", r.code, r.output)
	}
}

// TestBadInputIsExitTwo: a run that cannot take place says why and gives 2,
// before any lab or verdict.
func TestBadInputIsExitTwo(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	for _, tc := range []struct {
		name, config string
		args         []string
		want         string
	}{
		{"missing file", filepath.Join(dir, "nope.yaml"), nil, "no such file"},
		{"malformed", write("bad.yaml", "version: 1\nprocs: [\n"), nil, "yaml"},
		{"unknown key", write("typo.yaml", "version: 1\nparams:\n  ipv6:\n    datagram: 3\n"), nil, "field datagram not found"},
		{"wrong version", write("v2.yaml", "version: 2\n"), nil, "version is 2"},
		{"unknown profile", "ginkgo.yaml", []string{"--profile", "nope"}, `profile "nope" is not defined`},
		{"known failure without bug", write("nobug.yaml", "version: 1\nknown_failures:\n  - {check: x, os: linux, versions: ['*'], reason: r}\n"), nil, "bug is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runNC(t, tc.config, tc.args...)
			if r.code != exitNoRun || !strings.Contains(r.output, tc.want) {
				t.Errorf("exit %d, want 2 with %q; output:\n%s", r.code, tc.want, r.output)
			}
			if r.dir != "" {
				t.Errorf("results written for a run that could not take place")
			}
		})
	}
}

// TestFailingProfileCommand: the check gives error, naming the command,
// instead of a verdict on the stack.
func TestFailingProfileCommand(t *testing.T) {
	needRoot(t)
	cfg := writeConfig(t, "", "  broken:\n    commands: [\"echo from-the-profile; exit 3\"]\n")
	r := runNC(t, cfg, "--check", "ipv6.rfc8028.same-link", "--profile", "broken")
	if r.code != exitUnexpected {
		t.Errorf("exit %d, want 1; output:\n%s", r.code, r.output)
	}
	c := r.results(t).Checks
	if len(c) != 1 || c[0].Verdict != check.Error || !strings.Contains(c[0].Reason, `command "echo from-the-profile; exit 3" failed`) || !strings.Contains(c[0].Reason, "from-the-profile") {
		t.Errorf("want an error naming the command and its output, got %+v", c)
	}
}

// TestWithoutRoot: the command says it needs root and gives 2.
func TestWithoutRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		r := runNC(t, "ginkgo.yaml")
		if r.code != exitNoRun || !strings.Contains(r.output, "needs root") {
			t.Fatalf("exit %d, want 2 with 'needs root'; output:\n%s", r.code, r.output)
		}
		return
	}
	cmd := exec.Command(ncBinary, "run", "--config", "ginkgo.yaml", "--out", "/nonexistent-unused")
	cmd.Dir = repoRoot
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != exitNoRun || !strings.Contains(string(out), "needs root (CAP_NET_ADMIN") {
		t.Fatalf("as nobody: %v, want exit 2 saying it needs root; output:\n%s", err, out)
	}
}

// hostNetwork snapshots the host's links, addresses, routes and rules.
func hostNetwork(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{{"-o", "link"}, {"-o", "addr"}, {"route"}, {"-6", "route"}, {"rule"}, {"-6", "rule"}} {
		out, err := exec.Command("ip", args...).CombinedOutput()
		if err != nil {
			t.Skipf("ip %v: %v (iproute2 needed to compare the host's network)", args, err)
		}
		b.Write(out)
	}
	return b.String()
}

// startHeld starts a run whose profile holds the lab open until killed, and
// returns once the lab exists, with the run id.
func startHeld(t *testing.T) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "lab-built")
	cfg := writeConfig(t, "", fmt.Sprintf("  hold:\n    commands: [\"touch %s; sleep 60\"]\n", marker))
	cmd := exec.Command(ncBinary, "run", "--config", cfg, "--out", t.TempDir(), "--check", "ipv6.rfc8028.same-link", "--profile", "hold")
	cmd.Dir = repoRoot
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw, _ := os.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	var buf bytes.Buffer
	runID := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`: run ([0-9a-f]{8}) on `)
		for sc.Scan() {
			buf.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				runID <- m[1]
			}
		}
	}()
	var id string
	select {
	case id = <-runID:
	case <-time.After(120 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Fatal("run did not start")
	}
	deadline := time.Now().Add(120 * time.Second) // includes compiling the suite
	for {
		if _, err := os.Stat(marker); err == nil {
			return cmd, id, &buf
		}
		if time.Now().After(deadline) {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("lab never built; output:\n%s", buf.String())
		}
		time.Sleep(50 * time.Millisecond) // polling a file another process creates: no event to await
	}
}

func labObjects(t *testing.T, runID string) []string {
	t.Helper()
	l, err := topology.Leftovers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range l {
		if o.RunID == runID {
			names = append(names, o.Name)
		}
	}
	return names
}

// TestInterruptLeavesNothing: Ctrl-C in the middle of a check removes the
// lab, and the host's network is as it was.
func TestInterruptLeavesNothing(t *testing.T) {
	needRoot(t)
	before := hostNetwork(t)
	cmd, id, out := startHeld(t)
	if len(labObjects(t, id)) == 0 {
		t.Fatal("no lab namespace seen while the run holds its lab")
	}
	interrupt(t, cmd, out)
	if left := labObjects(t, id); len(left) > 0 {
		t.Errorf("namespaces left after Ctrl-C: %v", left)
	}
	if after := hostNetwork(t); after != before {
		t.Errorf("host network changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if cmd.ProcessState.ExitCode() == 0 {
		t.Errorf("an interrupted run exited 0")
	}
}

// TestSIGKILLThenCleanLab: a run killed outright leaves its namespaces, and
// clean-lab finds and removes them.
func TestSIGKILLThenCleanLab(t *testing.T) {
	needRoot(t)
	before := hostNetwork(t)
	cmd, id, _ := startHeld(t)
	// Ginkgo runs the suite binary in a process group of its own: kill the
	// whole tree, as a crash or the OOM killer would, not just our group.
	killed := descendants(cmd.Process.Pid)
	for _, pid := range killed {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	// A SIGKILLed process takes a moment to exit; until it has, its lab is
	// rightly a live run's. Wait for the whole tree to be gone (or zombies).
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range killed {
		for processAliveTest(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("process %d still alive 10s after SIGKILL", pid)
			}
			time.Sleep(10 * time.Millisecond) // exit of another process: no event to await here
		}
	}
	if len(labObjects(t, id)) == 0 {
		t.Fatal("SIGKILL left no namespace: nothing to prove clean-lab on")
	}
	out, err := exec.Command(ncBinary, "clean-lab").CombinedOutput()
	if err != nil {
		t.Fatalf("clean-lab: %v\n%s", err, out)
	}
	if left := labObjects(t, id); len(left) > 0 {
		t.Errorf("clean-lab left %v; it said:\n%s", left, out)
	}
	if after := hostNetwork(t); after != before {
		t.Errorf("host network changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// descendants lists every process below pid, read from /proc.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut after ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		var child, ppid int
		var state string
		if _, err := fmt.Sscan(e.Name(), &child); i < 0 || err != nil {
			continue
		}
		if _, err := fmt.Sscan(s[i+1:], &state, &ppid); err != nil {
			continue
		}
		children[ppid] = append(children[ppid], child)
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

var (
	socketsChecks = registered("sockets")
	churnChecks   = registered("churn")
)

// TestSelfValidationSockets: the shipped config passes every sockets check
// on stock Linux, into the same results.json as the other suites; a profile
// with a tight probe memory limit makes every churn check fail, saying why.
func TestSelfValidationSockets(t *testing.T) {
	needRoot(t)
	t.Run("stock", func(t *testing.T) {
		r := runNC(t, "ginkgo.yaml", "--profile", "stock", "--labels", "sockets")
		if r.code != exitAsExpected {
			t.Errorf("exit %d, want 0; output:\n%s", r.code, r.output)
		}
		res := r.results(t)
		got := verdicts(res)
		for _, id := range socketsChecks {
			if got[id] != check.Pass {
				t.Errorf("%s: %q, want pass", id, got[id])
			}
		}
		for _, c := range res.Checks {
			if len(c.Observations) == 0 || len(c.Evidence) == 0 {
				t.Errorf("%s: no observations or evidence", c.ID)
			}
		}
	})
	t.Run("probe-memory-limit", func(t *testing.T) {
		cfg := writeConfig(t, "", "  tight-memory:\n    description: churn probes in a 2 MiB memory cgroup\n    probe_memory_limit: 2MiB\n")
		r := runNC(t, cfg, "--profile", "tight-memory", "--labels", "churn")
		if r.code != exitUnexpected {
			t.Errorf("exit %d, want 1; output:\n%s", r.code, r.output)
		}
		why := regexp.MustCompile(`ENOBUFS|ENOMEM|ENFILE|killed by SIGKILL`)
		for _, c := range r.results(t).Checks {
			if c.Verdict != check.Fail || !why.MatchString(c.Reason) || !strings.Contains(c.Reason, "2.0 MiB") {
				t.Errorf("%s: %s (%s), want fail naming the errno or the kill under 2.0 MiB", c.ID, c.Verdict, c.Reason)
			}
		}
		if got, want := len(r.results(t).Checks), len(churnChecks); got != want {
			t.Errorf("%d checks ran, want the %d churn checks", got, want)
		}
	})
}

// TestInterruptDuringChurnLeavesNothing: Ctrl-C while a churn probe runs in
// its memory cgroup inside the lab removes the probe, the cgroup and the
// lab, and the host's network is as it was.
func TestInterruptDuringChurnLeavesNothing(t *testing.T) {
	needRoot(t)
	before := hostNetwork(t)
	cfg := writeConfig(t, "", "  roomy:\n    probe_memory_limit: 256MiB\n")
	b, _ := os.ReadFile(cfg)
	// A churn that would run for minutes and may take as long as it likes.
	long := strings.Replace(strings.Replace(string(b), "churn_count: 250000", "churn_count: 100000000", 1), "churn_timeout: 1m", "churn_timeout: 10m", 1)
	if long == string(b) {
		t.Fatal("could not lengthen the churn in the test config")
	}
	os.WriteFile(cfg, []byte(long), 0o644)
	cmd := exec.Command(ncBinary, "run", "--config", cfg, "--out", t.TempDir(), "--check", "sockets.churn.stream6", "--profile", "roomy")
	cmd.Dir = repoRoot
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	var id string
	var probes []int
	deadline := time.Now().Add(180 * time.Second) // includes compiling the suite and the probe
	for {
		if m := regexp.MustCompile(`: run ([0-9a-f]{8}) on `).FindStringSubmatch(out.String()); m != nil && id == "" {
			id = m[1]
		}
		if id != "" {
			if probes = probesOfRun(id); len(probes) > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no churn probe ever ran in a cgroup of the run; output:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond) // another process's state: no event to await
	}
	if len(runCgroups(t, id)) == 0 || len(labObjects(t, id)) == 0 {
		t.Fatal("the probe runs but its cgroup or lab namespace is not there")
	}
	interrupt(t, cmd, &out)
	for _, pid := range probes {
		if processAliveTest(pid) {
			t.Errorf("probe %d still runs after Ctrl-C", pid)
		}
	}
	if left := runCgroups(t, id); len(left) > 0 {
		t.Errorf("cgroups left after Ctrl-C: %v", left)
	}
	if left := labObjects(t, id); len(left) > 0 {
		t.Errorf("namespaces left after Ctrl-C: %v", left)
	}
	if after := hostNetwork(t); after != before {
		t.Errorf("host network changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if cmd.ProcessState.ExitCode() == 0 {
		t.Errorf("an interrupted run exited 0")
	}
}

// syncBuffer is a bytes.Buffer safe to read while a child writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// probesOfRun lists the live processes in a memory cgroup of run id.
func probesOfRun(id string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cgroup"))
		if err == nil && strings.Contains(string(b), "/netconform-"+id+"-") && processAliveTest(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// runCgroups lists the cgroup directories of run id anywhere under
// /sys/fs/cgroup (v1 and v2).
func runCgroups(t *testing.T, id string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir("/sys/fs/cgroup", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), "netconform-"+id+"-") {
			found = append(found, path)
			return fs.SkipDir
		}
		return nil
	})
	return found
}

// processAliveTest: running and not a zombie.
func processAliveTest(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}

// TestSelfValidationMappedSendtoFault: a profile that drops the first UDP
// packet of every flow on the SUT's input path (hashlimit with a burst of
// one per 4-tuple: the first datagram of each fresh socket, whatever the
// order the sockets send in) makes the reported case fail through the real
// command with the seed's words, and the content-filter attribution does not
// blame a filter that was not there.
func TestSelfValidationMappedSendtoFault(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("iptables needed to inject the fault")
	}
	cfg := writeConfig(t, "", "  drop-first-input:\n    commands: [\"iptables -I INPUT -p udp -m hashlimit --hashlimit-name ncfirst --hashlimit-mode srcip,srcport,dstip,dstport --hashlimit-upto 1/hour --hashlimit-burst 1 -j DROP\"]\n")
	b, _ := os.ReadFile(cfg)
	// Every lost datagram costs a window: keep them short.
	os.WriteFile(cfg, []byte(strings.Replace(string(b), "receive_timeout: 1s", "receive_timeout: 300ms", 1)), 0o644)
	r := runNC(t, cfg, "--check", "sockets.mapped-sendto.self", "--profile", "drop-first-input")
	if r.code != exitUnexpected {
		t.Errorf("exit %d, want 1; output:\n%s", r.code, r.output)
	}
	c := r.results(t).Checks
	if len(c) != 1 || c[0].Verdict != check.Fail {
		t.Fatalf("want one failing check, got %+v", c)
	}
	for _, want := range []string{"1st datagram lost 10/10", "sendto said success but nothing arrived", "2nd datagram delivered 10/10"} {
		if !strings.Contains(c[0].Reason, want) {
			t.Errorf("reason lacks %q: %s", want, c[0].Reason)
		}
	}
	var obs struct {
		CFIL struct {
			FilterOnPath bool `json:"filter_on_path"`
		} `json:"cfil"`
	}
	if err := json.Unmarshal(c[0].Observations, &obs); err != nil || obs.CFIL.FilterOnPath {
		t.Errorf("cfil attribution blames a content filter for a plain iptables drop (%v): %s", err, c[0].Observations)
	}
}

// interrupt sends the run's process group what a terminal's Ctrl-C sends and
// waits for the run to end; a run that does not stop is killed and fails the
// test.
func interrupt(t *testing.T, cmd *exec.Cmd, out fmt.Stringer) {
	t.Helper()
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Fatalf("run did not stop after Ctrl-C; output:\n%s", out.String())
	}
}
