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
	rel := r.Release
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s\n\n", title(r, c))
	p("**Area:** Networking\n\n")

	p("## Description\n\n")
	what := c.Title
	if what == "" {
		what = c.ID
	}
	p("%s: this does not hold on %s.\n\n", what, releaseName(rel))
	p("%s\n\n", c.Reason)
	if c.Spec != "" {
		p("Specification: %s.\n\n", c.Spec)
	}
	switch {
	case lastGood != "":
		p("This is a regression: the same check passed on %s, the last good release netconform saw.\n\n", lastGood)
	default:
		p("Last good release: not known (netconform has no passing run of this check on an earlier release).\n\n")
	}
	if k := c.Known; k != nil && k.Bug != "" {
		p("Already tracked as %s (%s).\n\n", k.Bug, k.Reason)
	}
	p("Found by the netconform conformance check `%s` (run %s).\n\n", c.ID, r.Run.ID)

	p("## Steps to reproduce\n\n")
	if repro != nil {
		p("1. Save the attached `repro.c` on the affected machine.\n")
		p("2. Compile it: `cc -Wall -O2 -o repro repro.c` (Xcode Command Line Tools).\n")
		p("3. Run it: `./repro%s`. It runs in seconds and needs no privileges.\n", prefixSpace(repro.args))
		p("4. It prints what it saw and ends with a RESULT line; it exits 1 when the bug is present, 0 when not. %s\n\n", repro.note)
		p("The attached `rerun.sh` reruns the full netconform check instead (from a netconform checkout, as root).\n\n")
	} else {
		p("1. Clone netconform (https://github.com/netconform/netconform; this run used %s).\n", orNone(r.Run.ToolVersion))
		p("2. From the checkout, run the attached `rerun.sh` as an administrator; it runs `sudo make conformance CHECK='%s'%s`, which builds a virtual lab on this machine and reruns just this check.\n", c.ID, profileArg(r))
		p("3. Read the verdict in the command's output and in `out/%s/report.html`; the lab's packet captures are written beside it.\n\n", rel.ID)
	}

	p("## Expected results\n\n")
	p("The behaviour the specification requires (%s): netconform check `%s` (%s) passes", orDefault(c.Spec, "see the check"), c.ID, strings.TrimSuffix(what, "."))
	if lastGood != "" {
		p(", as it did on %s", lastGood)
	}
	p(".\n\n")
	p("## Actual results\n\n%s\n\n", c.Reason)

	p("## Configuration\n\n")
	p("- OS: %s %s", orNone(rel.Name), rel.Version)
	if rel.Build != "" {
		p(" (%s)", rel.Build)
	}
	p("\n- Kernel: %s\n", orNone(rel.Kernel))
	hw := rel.Arch
	if rel.Hardware != "" {
		hw = rel.Hardware + ", " + rel.Arch
	}
	p("- Hardware: %s\n", orNone(hw))
	p("- Last good release: %s\n", orDefault(lastGood, "unknown"))
	p("- netconform: %s, profile %s, run %s (%s)\n\n", orNone(r.Run.ToolVersion), orNone(r.Run.Profile), r.Run.ID, r.Run.Start.UTC().Format("2006-01-02 15:04 MST"))

	p("## Attachments\n\n")
	p("`%s.tar.gz` holds:\n\n", c.ID)
	for _, f := range attachments(dir, repro) {
		p("- `%s`\n", f)
	}
	return b.String()
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
