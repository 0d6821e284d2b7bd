// Package doctor probes what a netconform run needs on this machine, in the
// order a run needs it, and says for each missing thing exactly how to fix
// it. `netconform doctor` prints its table; a run calls Check before its
// suites so that a check whose need is missing is a `skip` with the doctor's
// reason, never an `error` or a wrong verdict.
//
// Every probe does for real, on a scratch object named with the run id, what
// a lab does (Linux: a network namespace with a veth pair, an AF_PACKET round
// trip, an NFQUEUE rule and queue, a memory cgroup; macOS: a feth pair, a
// /dev/bpf bound to it, IPv6 and one Router Advertisement), and undoes it
// like a lab. What a crash leaves behind carries the run id and is removed by
// `netconform clean-lab`.
//
// The probe sequences (linux.go, darwin.go) carry no build tag and are tested
// on Linux against fake hosts; the real hosts are ops_linux.go and
// ops_darwin.go.
package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// Need names one thing a run needs. A check asks Report.Missing for the
// needs it has and skips with the reason when one is missing.
type Need string

// Needs on both OSes.
const (
	// NeedRoot: the privileges a lab needs (Linux: CAP_NET_ADMIN and
	// CAP_SYS_ADMIN; macOS: uid 0).
	NeedRoot Need = "root"
	// NeedSuites: the compiled suites and ginkgo beside the executable (an
	// unpacked release tarball), or Go and a netconform checkout.
	NeedSuites Need = "suites"
	// NeedIPv6: Linux: IPv6 inside a new namespace; macOS: IPv6 attached to
	// a feth with a link-local address.
	NeedIPv6 Need = "ipv6"
)

// Linux needs.
const (
	NeedNetns    Need = "netns"     // create and delete a named network namespace
	NeedVeth     Need = "veth"      // a veth pair inside it
	NeedAFPacket Need = "af-packet" // raw frames over the veth (the emulated peers)
	NeedIptables Need = "iptables"  // the iptables program
	NeedNFQueue  Need = "nfqueue"   // the NFQUEUE target and nfnetlink_queue (cfil's user-space filter)
	NeedMemcg    Need = "memcg"     // a memory cgroup, v1 or v2 (probe_memory_limit)
)

// macOS needs.
const (
	NeedFeth        Need = "feth"         // create feth interfaces
	NeedFethPeer    Need = "feth-peer"    // peer two of them and bring them up
	NeedBPF         Need = "bpf"          // a /dev/bpf device bound to a feth
	NeedRA          Need = "ra"           // a Router Advertisement on a feth configures an address
	NeedFethDestroy Need = "feth-destroy" // destroy the pair again
	NeedCfilSysctl  Need = "cfil-sysctl"  // sysctl net.cfil and the net.cfil.stats struct
	NeedLogShow     Need = "log-show"     // `log show` of the kernel's lines
	NeedZprint      Need = "zprint"       // `zprint socket` with real sizes
)

// Status is what a probe found.
type Status string

const (
	// StatusOK: the need is met.
	StatusOK Status = "ok"
	// StatusMissing: the need is not met; Remedy says how to meet it.
	StatusMissing Status = "missing"
	// StatusBlocked: not probed because a need it depends on is missing;
	// Detail and Remedy are that need's.
	StatusBlocked Status = "blocked"
	// StatusUnknown: the probe could not decide (an error that names no
	// missing thing, an interruption). A check whose need is unknown runs
	// and decides for itself: the doctor never turns its own trouble into a
	// skip.
	StatusUnknown Status = "unknown"
)

// Item is one row of the report.
type Item struct {
	Need   Need   `json:"need"`
	What   string `json:"what"`
	Status Status `json:"status"`
	// Detail is what the probe saw (names, versions, the error).
	Detail string `json:"detail,omitempty"`
	// Remedy is the exact fix when the status is not ok.
	Remedy string `json:"remedy,omitempty"`
	// After are the needs this one is probed after and depends on.
	After    []Need        `json:"after,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// Reason is the item as one line, for a check's skip reason.
func (it Item) Reason() string {
	s := it.What + ": " + string(it.Status)
	if it.Detail != "" {
		s += ": " + it.Detail
	}
	if it.Remedy != "" {
		s += "; fix: " + it.Remedy
	}
	return s
}

// Report is the doctor's result.
type Report struct {
	OS    string `json:"os"`
	Arch  string `json:"arch"`
	RunID string `json:"run_id"`
	// Error is set when the doctor could not probe at all (an OS without
	// a lab driver, a malformed run id); Items is then empty.
	Error   string        `json:"error,omitempty"`
	Start   time.Time     `json:"start"`
	Elapsed time.Duration `json:"elapsed_ns"`
	Items   []Item        `json:"items"`
}

// Item returns the row of need n.
func (r Report) Item(n Need) (Item, bool) {
	for _, it := range r.Items {
		if it.Need == n {
			return it, true
		}
	}
	return Item{}, false
}

// Missing reports whether any of needs is missing (or blocked by a missing
// need), with the first one's reason, ready to be a skip reason. A need that
// is ok, unknown, or not probed on this OS is not missing: the check then
// runs and decides itself.
func (r Report) Missing(needs ...Need) (reason string, missing bool) {
	for _, n := range needs {
		it, ok := r.Item(n)
		if ok && (it.Status == StatusMissing || it.Status == StatusBlocked) {
			return "netconform doctor: " + it.Reason(), true
		}
	}
	return "", false
}

// Exit statuses of `netconform doctor`.
const (
	ExitOK      = 0 // every need is met
	ExitMissing = 1 // something is missing; the table says how to fix it
	ExitNoProbe = 2 // the doctor could not probe (some or all)
)

// ExitCode is `netconform doctor`'s exit status for the report: missing
// wins over unknown, because it is what the user can act on.
func (r Report) ExitCode() int {
	if r.Error != "" {
		return ExitNoProbe
	}
	code := ExitOK
	for _, it := range r.Items {
		switch it.Status {
		case StatusMissing, StatusBlocked:
			return ExitMissing
		case StatusUnknown:
			code = ExitNoProbe
		}
	}
	return code
}

// WriteTable prints the report for a person: one row per need in the order
// a run needs them, then the remedy under every row that is not ok.
func (r Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "netconform doctor: %s/%s, run %s, %.2f s\n", r.OS, r.Arch, r.RunID, r.Elapsed.Seconds())
	if r.Error != "" {
		fmt.Fprintf(&b, "could not probe: %s\n", r.Error)
		_, err := io.WriteString(w, b.String())
		return err
	}
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tWHAT\tSTATUS\tDETAIL")
	for i, it := range r.Items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i+1, it.What, it.Status, oneLine(it.Detail))
		if it.Status != StatusOK && it.Remedy != "" {
			fmt.Fprintf(tw, "\t\t\tfix: %s\n", oneLine(it.Remedy))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch r.ExitCode() {
	case ExitOK:
		b.WriteString("every need is met\n")
	case ExitMissing:
		b.WriteString("something is missing: the checks that need it will be skipped with the reason above\n")
	default:
		b.WriteString("some needs could not be probed: the checks that need them will run and decide themselves\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// EnvReport names the environment variable through which `netconform run`
// hands the report file to the suites (see WriteFile and FromEnv).
const EnvReport = "NETCONFORM_DOCTOR"

// WriteFile saves the report as JSON.
func (r Report) WriteFile(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadFile reads a report WriteFile saved.
func ReadFile(path string) (Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Report{}, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return Report{}, fmt.Errorf("doctor report %s: %w", path, err)
	}
	for _, it := range r.Items {
		switch it.Status {
		case StatusOK, StatusMissing, StatusBlocked, StatusUnknown:
		default:
			return Report{}, fmt.Errorf("doctor report %s: %s has status %q", path, it.Need, it.Status)
		}
	}
	return r, nil
}

// FromEnv reads the report named by EnvReport. ok is false when the variable
// is unset (a suite run by hand: no doctor ran); a set variable whose file
// cannot be read is an error, never a silent "nothing missing".
func FromEnv() (r Report, ok bool, err error) {
	path := os.Getenv(EnvReport)
	if path == "" {
		return Report{}, false, nil
	}
	r, err = ReadFile(path)
	if err != nil {
		return Report{}, false, err
	}
	return r, true, nil
}

// result is what one probe returns.
type result struct {
	status         Status
	detail, remedy string
}

func ok(format string, args ...any) result {
	return result{status: StatusOK, detail: fmt.Sprintf(format, args...)}
}

func missing(detail, remedy string) result {
	return result{status: StatusMissing, detail: detail, remedy: remedy}
}

func unknown(detail, remedy string) result {
	return result{status: StatusUnknown, detail: detail, remedy: remedy}
}

// probe is one row: what it checks, the needs it is probed after, and how.
type probe struct {
	need  Need
	what  string
	after []Need
	run   func() result
}

// runProbes runs the probes in order. A probe whose earlier need is missing
// or blocked is blocked with that need's reason; one whose earlier need is
// unknown is unknown. Once stop says so (the run was interrupted), the rest
// are unknown.
func runProbes(probes []probe, stop func() error) []Item {
	items := make([]Item, 0, len(probes))
	byNeed := map[Need]int{}
	for _, p := range probes {
		it := Item{Need: p.need, What: p.what, After: p.after}
		start := time.Now()
		var blocker *Item
		for _, a := range p.after {
			i, ok := byNeed[a]
			if !ok {
				panic(fmt.Sprintf("doctor: %s is probed after %s, which comes later or not at all", p.need, a))
			}
			// A missing need explains more than an unknown one: prefer it.
			if dep := &items[i]; dep.Status != StatusOK && (blocker == nil || blocker.Status == StatusUnknown) {
				blocker = dep
			}
		}
		var res result
		switch {
		case stop() != nil:
			res = unknown("not probed: "+stop().Error(), "")
		case blocker != nil && blocker.Status == StatusUnknown:
			res = unknown("not probed: "+blocker.What+" could not be probed", "")
		case blocker != nil && blocker.Status == StatusBlocked:
			res = result{status: StatusBlocked, detail: blocker.Detail, remedy: blocker.Remedy} // the same root cause
		case blocker != nil:
			res = result{status: StatusBlocked, detail: "not probed: needs " + blocker.What + ", which is missing: " + blocker.Detail, remedy: blocker.Remedy}
		default:
			res = p.run()
		}
		it.Status, it.Detail, it.Remedy = res.status, res.detail, res.remedy
		it.Duration = time.Since(start)
		byNeed[p.need] = len(items)
		items = append(items, it)
	}
	return items
}

// undone records a failure to undo what a probe made: the row can no longer
// be ok, and clean-lab is the way to remove what is left.
func undone(items []Item, n Need, err error, runID string) {
	if err == nil {
		return
	}
	for i := range items {
		if items[i].Need != n {
			continue
		}
		if items[i].Status == StatusOK {
			items[i].Status = StatusUnknown
		}
		items[i].Detail = strings.TrimSpace(items[i].Detail + "; undoing it failed: " + err.Error())
		items[i].Remedy = fmt.Sprintf("run `sudo netconform clean-lab`: it removes what the doctor left (run %s)", runID)
		return
	}
}

// isAny reports whether err is any of targets.
func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
