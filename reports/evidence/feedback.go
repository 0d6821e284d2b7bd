package evidence

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netconform/netconform/reports"
)

// feedback writes feedback.md: what a Feedback Assistant report asks for, in
// its order (title, area, description, steps, expected, actual,
// configuration), in words an OS engineer reads without knowing netconform.
func feedback(dir string, r *reports.Results, c reports.CheckResult, lastGood string, repro *reproducer) string {
	f := &feedbackDoc{r: r, c: c, lastGood: lastGood, what: c.Title}
	if f.what == "" {
		f.what = c.ID
	}
	f.p("# %s\n\n", title(r, c))
	f.p("**Area:** Networking\n\n")
	f.description()
	f.steps(repro)
	f.expected()
	f.p("## Actual results\n\n%s\n\n", c.Reason)
	f.configuration()
	f.p("## Attachments\n\n")
	f.p("`%s.tar.gz` holds:\n\n", c.ID)
	for _, file := range attachments(dir, repro) {
		f.p("- `%s`\n", file)
	}
	return f.b.String()
}

// feedbackDoc is feedback.md being written, one section per method.
type feedbackDoc struct {
	b        strings.Builder
	r        *reports.Results
	c        reports.CheckResult
	lastGood string
	what     string // the check's title, or its id
}

func (f *feedbackDoc) p(format string, args ...any) { fmt.Fprintf(&f.b, format, args...) }

// description: what does not hold where, the reason, the specification,
// whether it is a regression and already tracked, and which check found it.
func (f *feedbackDoc) description() {
	c := f.c
	f.p("## Description\n\n")
	f.p("%s: this does not hold on %s.\n\n", f.what, releaseName(f.r.Release))
	f.p("%s\n\n", c.Reason)
	if c.Spec != "" {
		f.p("Specification: %s.\n\n", c.Spec)
	}
	switch {
	case f.lastGood != "":
		f.p("This is a regression: the same check passed on %s, the last good release netconform saw.\n\n", f.lastGood)
	default:
		f.p("Last good release: not known (netconform has no passing run of this check on an earlier release).\n\n")
	}
	if k := c.Known; k != nil && k.Bug != "" {
		f.p("Already tracked as %s (%s).\n\n", k.Bug, k.Reason)
	}
	f.p("Found by the netconform conformance check `%s` (run %s).\n\n", c.ID, f.r.Run.ID)
}

// steps: the standalone reproducer when the check has one, else the rerun
// of the netconform check.
func (f *feedbackDoc) steps(repro *reproducer) {
	f.p("## Steps to reproduce\n\n")
	if repro != nil {
		f.p("1. Save the attached `repro.c` on the affected machine.\n")
		f.p("2. Compile it: `cc -Wall -O2 -o repro repro.c` (Xcode Command Line Tools).\n")
		f.p("3. Run it: `./repro%s`. It runs in seconds and needs no privileges.\n", prefixSpace(repro.args))
		f.p("4. It prints what it saw and ends with a RESULT line; it exits 1 when the bug is present, 0 when not. %s\n\n", repro.note)
		f.p("The attached `rerun.sh` reruns the full netconform check instead (from a netconform checkout, as root).\n\n")
		return
	}
	f.p("1. Clone netconform (https://github.com/netconform/netconform; this run used %s).\n", orNone(f.r.Run.ToolVersion))
	f.p("2. From the checkout, run the attached `rerun.sh` as an administrator; it runs `sudo make conformance CHECK='%s'%s`, which builds a virtual lab on this machine and reruns just this check.\n", f.c.ID, profileArg(f.r))
	f.p("3. Read the verdict in the command's output and in `out/%s/report.html`; the lab's packet captures are written beside it.\n\n", f.r.Release.ID)
}

func (f *feedbackDoc) expected() {
	c := f.c
	f.p("## Expected results\n\n")
	f.p("The behaviour the specification requires (%s): netconform check `%s` (%s) passes", orDefault(c.Spec, "see the check"), c.ID, strings.TrimSuffix(f.what, "."))
	if f.lastGood != "" {
		f.p(", as it did on %s", f.lastGood)
	}
	f.p(".\n\n")
}

// configuration: the release identity and the run; nothing else of the
// machine.
func (f *feedbackDoc) configuration() {
	rel, run := f.r.Release, f.r.Run
	f.p("## Configuration\n\n")
	f.p("- OS: %s %s", orNone(rel.Name), rel.Version)
	if rel.Build != "" {
		f.p(" (%s)", rel.Build)
	}
	f.p("\n- Kernel: %s\n", orNone(rel.Kernel))
	hw := rel.Arch
	if rel.Hardware != "" {
		hw = rel.Hardware + ", " + rel.Arch
	}
	f.p("- Hardware: %s\n", orNone(hw))
	f.p("- Last good release: %s\n", orDefault(f.lastGood, "unknown"))
	f.p("- netconform: %s, profile %s, run %s (%s)\n\n", orNone(run.ToolVersion), orNone(run.Profile), run.ID, run.Start.UTC().Format("2006-01-02 15:04 MST"))
}

// title is the one-line title: the release, then what fails.
func title(r *reports.Results, c reports.CheckResult) string {
	what := c.Title
	if what == "" {
		what = c.ID
	}
	t := oneLine(fmt.Sprintf("%s: %s (fails netconform check %s)", releaseName(r.Release), strings.TrimSuffix(what, "."), c.ID))
	if len(t) > 200 {
		t = t[:197] + "..."
	}
	return t
}

func releaseName(rel reports.Release) string {
	s := strings.TrimSpace(orDefault(rel.Name, rel.OS) + " " + rel.Version)
	if rel.Build != "" {
		s += " (" + rel.Build + ")"
	}
	return s
}

// attachments lists what the bundle directory will hold: the files the
// check already wrote there plus what Bundle writes.
func attachments(dir string, repro *reproducer) []string {
	seen := map[string]bool{FeedbackFile: true, ResultFile: true, RerunFile: true}
	if repro != nil {
		seen[ReproFile] = true
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && filepath.Ext(p) != ".tmp" {
			if rel, err := filepath.Rel(dir, p); err == nil {
				seen[filepath.ToSlash(rel)] = true
			}
		}
		return nil
	})
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func prefixSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
