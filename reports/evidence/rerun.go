package evidence

import (
	"fmt"
	"strings"

	"github.com/netconform/netconform/reports"
)

// rerunScript is the exact netconform command that reruns just this check
// under the run's profile: `make conformance` from a netconform checkout, or
// the release tarball's ./netconform (which needs no Go) when it is run from
// an unpacked tarball (distlayout: <root>/netconform, ginkgo, suites/).
func rerunScript(r *reports.Results, c reports.CheckResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n# Reruns netconform check %s alone, under profile %s, as run %s did on %s.\n",
		oneLine(c.ID), oneLine(orNone(r.Run.Profile)), oneLine(r.Run.ID), oneLine(r.Release.ID))
	b.WriteString("# Run it from a netconform checkout (git clone https://github.com/netconform/netconform), or, without Go,\n")
	fmt.Fprintf(&b, "# from an unpacked release tarball (netconform-%s-<os>-<arch>.tar.gz, made by `make dist`);\n", oneLine(orUnknown(r.Run.ToolVersion)))
	b.WriteString("# or set NETCONFORM_ROOT to either directory. Root is needed for the labs.\n")
	b.WriteString("# The same by labels: sudo make conformance LABELS=" + shellQuote(labelFilter(c.Labels)) + profileArg(r) + "\n")
	b.WriteString("set -eu\n")
	b.WriteString("cd \"${NETCONFORM_ROOT:-.}\"\n")
	b.WriteString("if [ -f Makefile ] && [ -f go.mod ] && grep -q '^module github.com/netconform/netconform$' go.mod; then\n")
	b.WriteString("\texec sudo make conformance CHECK=" + shellQuote(c.ID) + profileArg(r) + "\n")
	b.WriteString("fi\n")
	b.WriteString("if [ -x ./netconform ] && [ -x ./ginkgo ] && [ -d ./suites ]; then\n")
	b.WriteString("\texec sudo ./netconform run --check " + shellQuote(c.ID) + profileFlag(r) + "\n")
	b.WriteString("fi\n")
	b.WriteString("echo \"rerun.sh: $(pwd) is neither a netconform checkout nor an unpacked netconform tarball: run it from one, or set NETCONFORM_ROOT\" >&2\n")
	b.WriteString("exit 2\n")
	return b.String()
}

func profileFlag(r *reports.Results) string {
	if r.Run.Profile == "" {
		return ""
	}
	return " --profile " + shellQuote(r.Run.Profile)
}

func orUnknown(s string) string {
	if s == "" {
		return "<version>"
	}
	return s
}

func profileArg(r *reports.Results) string {
	if r.Run.Profile == "" {
		return ""
	}
	return " PROFILE=" + shellQuote(r.Run.Profile)
}

// labelFilter is a Ginkgo label filter selecting checks with all labels.
func labelFilter(labels []string) string { return strings.Join(labels, " && ") }

// shellQuote quotes s for sh: single quotes, with ' written as '\”.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// oneLine keeps text from the results file from starting a new (executable)
// line in a comment.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func orNone(s string) string {
	if s == "" {
		return "(default)"
	}
	return s
}
