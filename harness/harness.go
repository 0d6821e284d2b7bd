// Package harness gives a check what it needs around the kernel it tests: a
// lab realised with its capture in the check's evidence directory, the run's
// SUT profile applied to it, and table dumps saved as evidence. It is shared by
// the ipv6, sockets and cfil checks and knows nothing of Ginkgo.
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/topology"
)

// Env is one check's environment.
type Env struct {
	Driver topology.Driver
	RunID  string
	// ReleaseDir is OUT/<release-id>: evidence paths are relative to it.
	ReleaseDir  string
	CheckID     string
	ProfileName string
	Profile     config.Profile
	// Params are the run's per-check parameters (ginkgo.yaml params).
	Params config.Params
	// Probe is the netconform-probe binary, for checks that run it in the
	// SUT (socket churn).
	Probe string
	// Repetition numbers this run of the check when the run repeats each
	// check (1, 2, ...); 0 when it runs once. Each repetition keeps its own
	// evidence.
	Repetition int
	// Log receives progress lines (GinkgoWriter in the suites).
	Log io.Writer
	// Setup, when set, runs on every lab after the profile: the
	// self-validation tests inject their faults here (a filter that drops
	// the first datagram, a memory limit...). Register undo work with
	// Lab.OnClose.
	Setup func(ctx context.Context, lab *Lab) error
}

// ProfileError means the SUT profile could not be applied: the run has no
// verdict to give for the check.
type ProfileError struct {
	Profile string
	Command string
	Output  string
	Err     error
}

func (e *ProfileError) Error() string {
	out := strings.TrimSpace(e.Output)
	if len(out) > 400 {
		out = out[:400] + "..."
	}
	return fmt.Sprintf("profile %q: command %q failed (%v): %s", e.Profile, e.Command, e.Err, out)
}

func (e *ProfileError) Unwrap() error { return e.Err }

// Logf writes a progress line.
func (e *Env) Logf(format string, args ...any) {
	if e.Log != nil {
		fmt.Fprintf(e.Log, format+"\n", args...)
	}
}

// EvidencePath returns the absolute path of an evidence file of this check and
// the path to record (relative to the release directory).
func (e *Env) EvidencePath(name string) (abs, rel string, err error) {
	rel = filepath.Join("evidence", e.CheckID, name)
	if e.Repetition > 0 {
		rel = filepath.Join("evidence", e.CheckID, fmt.Sprintf("repetition-%d", e.Repetition), name)
	}
	abs = filepath.Join(e.ReleaseDir, rel)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", "", fmt.Errorf("evidence directory: %w", err)
	}
	return abs, rel, nil
}

// Lab is a realised lab with the evidence it has produced so far.
type Lab struct {
	topology.Instance
	env      *Env
	tag      string
	Evidence []string
	onClose  []func() error
}

// OnClose registers fn to run when the lab closes, before the lab itself is
// removed (last registered, first run).
func (l *Lab) OnClose(fn func() error) { l.onClose = append(l.onClose, fn) }

// Close undoes what was registered with OnClose, then removes the lab.
func (l *Lab) Close() error {
	var errs []error
	for i := len(l.onClose) - 1; i >= 0; i-- {
		errs = append(errs, l.onClose[i]())
	}
	l.onClose = nil
	errs = append(errs, l.Instance.Close())
	return errors.Join(errs...)
}

// Realize builds lab for this check, captures its links into
// evidence/<check>/<tag>.pcapng, and applies the profile. The caller must
// Close the result (also on error paths: it is nil when Realize fails).
func (e *Env) Realize(ctx context.Context, lab topology.Lab, tag string) (*Lab, error) {
	if len(e.Profile.Commands) > 0 && topology.SUTIsHost(e.Driver) && !e.Profile.AllowOnDarwin {
		return nil, &ProfileError{Profile: e.ProfileName, Command: e.Profile.Commands[0],
			Err: errors.New("refused: on macOS the SUT is this machine itself; set allow_on_darwin: true in the profile to run its commands here")}
	}
	abs, rel, err := e.EvidencePath(tag + ".pcapng")
	if err != nil {
		return nil, err
	}
	inst, err := e.Driver.Realize(ctx, lab, topology.Options{RunID: e.RunID, CaptureFile: abs, Log: e.Log})
	if err != nil {
		return nil, fmt.Errorf("build lab %s: %w", lab.Name, err)
	}
	l := &Lab{Instance: inst, env: e, tag: tag, Evidence: []string{rel}}
	env := topology.Facts(e.RunID, inst)
	for _, cmd := range e.Profile.Commands {
		out, err := inst.SUT().Shell(ctx, cmd, env)
		if err != nil {
			inst.Close()
			return nil, &ProfileError{Profile: e.ProfileName, Command: cmd, Output: string(out), Err: err}
		}
		e.Logf("profile %s: %s: ok", e.ProfileName, cmd)
	}
	if e.Setup != nil {
		if err := e.Setup(ctx, l); err != nil {
			l.Close()
			return nil, fmt.Errorf("setup of lab %s: %w", lab.Name, err)
		}
	}
	return l, nil
}

// SaveTables writes the SUT's addresses, routes and neighbours, as the kernel
// reports them now, to evidence/<check>/<tag>-<moment>-tables.txt.
func (l *Lab) SaveTables(moment string) error {
	abs, rel, err := l.env.EvidencePath(l.tag + "-" + moment + "-tables.txt")
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# lab %s, %s: the SUT's tables as its kernel reports them\n", l.Lab().Name, moment)
	for _, section := range []func(*strings.Builder) error{l.writeAddresses, l.writeRoutes, l.writeNeighbors} {
		if err := section(&b); err != nil {
			return err
		}
	}
	l.writeToolOutputs(&b)
	l.writeDriverLog(&b)
	if err := os.WriteFile(abs, []byte(b.String()), 0o644); err != nil {
		return err
	}
	l.Evidence = append(l.Evidence, rel)
	return nil
}

func (l *Lab) writeAddresses(b *strings.Builder) error {
	sut := l.SUT()
	for _, link := range l.Lab().Links {
		addrs, err := sut.Addresses(link.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\n## addresses on %s\n", sut.Interface(link.Name))
		for _, a := range addrs {
			flags := ""
			if a.Tentative {
				flags += " tentative"
			}
			if a.Deprecated {
				flags += " deprecated"
			}
			if a.Autoconf {
				flags += " autoconf"
			}
			flags += lifetimeText(" valid_lft", a.ValidLft) + lifetimeText(" preferred_lft", a.PreferredLft)
			fmt.Fprintf(b, "%s%s\n", a.Prefix, flags)
		}
	}
	return nil
}

func (l *Lab) writeRoutes(b *strings.Builder) error {
	routes, err := l.SUT().Routes()
	if err != nil {
		return err
	}
	b.WriteString("\n## IPv6 routes (main table)\n")
	for _, r := range routes {
		b.WriteString(r.String() + "\n")
	}
	return nil
}

func (l *Lab) writeNeighbors(b *strings.Builder) error {
	neigh, err := l.SUT().Neighbors()
	if err != nil {
		return err
	}
	b.WriteString("\n## neighbours\n")
	for _, n := range neigh {
		router := ""
		if n.Router {
			router = " router"
		}
		fmt.Fprintf(b, "%s dev %s lladdr %s%s %s\n", n.Addr, n.Interface, n.MAC, router, n.State)
	}
	return nil
}

// writeToolOutputs adds, where the OS's own tools say it differently
// (macOS: netstat, ndp), their text, as a person would read it.
func (l *Lab) writeToolOutputs(b *strings.Builder) {
	tools, ok := l.SUT().(interface {
		ToolOutputs(context.Context) map[string]string
	})
	if !ok {
		return
	}
	outputs := tools.ToolOutputs(context.Background())
	names := make([]string, 0, len(outputs))
	for n := range outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(b, "\n## %s (lab interfaces only)\n%s", n, outputs[n])
	}
}

// writeDriverLog adds what the driver worked around while building the lab
// (macOS: a feth name still detaching, IPv6 attached by someone else first).
func (l *Lab) writeDriverLog(b *strings.Builder) {
	if dl, ok := l.Instance.(interface{ DriverLog() []string }); ok {
		if lines := dl.DriverLog(); len(lines) > 0 {
			b.WriteString("\n## driver log\n" + strings.Join(lines, "\n") + "\n")
		}
	}
}

// lifetimeText renders a remaining address lifetime as `ip addr` does
// ("valid_lft 7199sec", "forever"); nothing when the driver could not read it.
func lifetimeText(name string, v *uint32) string {
	switch {
	case v == nil:
		return ""
	case *v == topology.ForeverLft:
		return name + " forever"
	}
	return fmt.Sprintf("%s %dsec", name, *v)
}

// ShellFault is an Env.Setup made of shell commands run in the SUT's
// network context, one after the other, as a profile's would be (a route or
// a packet filter the SUT must then live with). A failing command fails the
// setup, naming it and its output. What the commands create goes with the
// lab's namespace.
func ShellFault(cmds ...string) func(context.Context, *Lab) error {
	return func(ctx context.Context, lab *Lab) error {
		for _, c := range cmds {
			if out, err := lab.SUT().Shell(ctx, c, nil); err != nil {
				return fmt.Errorf("fault %q: %v: %s", c, err, strings.TrimSpace(string(out)))
			}
		}
		return nil
	}
}
