package evidence

import (
	"fmt"
	"strings"

	"github.com/netconform/netconform/reports"
)

// rerunScript is the exact netconform command that reruns just this check
// under the run's profile, from a netconform checkout.
func rerunScript(r *reports.Results, c reports.CheckResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n# Reruns netconform check %s alone, under profile %s, as run %s did on %s.\n",
		oneLine(c.ID), oneLine(orNone(r.Run.Profile)), oneLine(r.Run.ID), oneLine(r.Release.ID))
	b.WriteString("# Run it from a netconform checkout (git clone https://github.com/netconform/netconform); root is needed for the labs.\n")
	b.WriteString("# The same by labels: sudo make conformance LABELS=" + shellQuote(labelFilter(c.Labels)) + profileArg(r) + "\n")
	b.WriteString("set -eu\n")
	b.WriteString("exec sudo make conformance CHECK=" + shellQuote(c.ID) + profileArg(r) + "\n")
	return b.String()
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
