package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/runplan"
)

// listCmd prints the checks a run with the same configuration and filters
// would select: id, specification reference, labels and title.
func listCmd(args []string, stdout, stderr io.Writer) int {
	var f runFlags
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	selectionFlags(fs, &f)
	asJSON := fs.Bool("json", false, "print JSON (id, title, spec, suite, labels, alone) instead of a table")
	if err := fs.Parse(args); err != nil {
		return exitNoRun
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "netconform list: unexpected argument %q\n", fs.Arg(0))
		return exitNoRun
	}
	plan, err := runplan.Resolve(f.config, f.Overrides)
	if err != nil {
		fmt.Fprintf(stderr, "netconform list: %v\n", err)
		return exitNoRun
	}
	sel, err := catalog.Select(plan.Selection())
	if err != nil {
		fmt.Fprintf(stderr, "netconform list: %v\n", err)
		return exitNoRun
	}
	if *asJSON {
		type item struct {
			ID     string   `json:"id"`
			Title  string   `json:"title"`
			Spec   string   `json:"spec"`
			Suite  string   `json:"suite"`
			Labels []string `json:"labels"`
			// Alone: the check runs by itself when processes run in
			// parallel (catalog.Entry.Alone).
			Alone bool `json:"alone,omitempty"`
		}
		items := []item{}
		for _, e := range sel {
			items = append(items, item{e.ID, e.Title, e.Spec, e.Suite, e.Labels, e.Alone})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(items); err != nil {
			fmt.Fprintf(stderr, "netconform list: %v\n", err)
			return exitNoRun
		}
		return 0
	}
	// One check per line, the id first (scripts take the first column);
	// the title last, as it is long.
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, e := range sel {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.ID, shortSpec(e.Spec), strings.Join(e.Labels, ","), e.Title)
	}
	tw.Flush()
	fmt.Fprintf(stderr, "%d checks selected (suites %s, label filter %q)\n", len(sel), strings.Join(plan.Suites, ", "), plan.Labels)
	return 0
}

// shortSpec is a specification reference cut for a table column (the
// socket checks' references are paragraphs).
func shortSpec(s string) string {
	if i := strings.Index(s, ":"); i > 0 && i < 60 && len(s) > 60 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
