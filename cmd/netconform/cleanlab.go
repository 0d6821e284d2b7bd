package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/netconform/netconform/topology"
)

func cleanLabCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("clean-lab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "also remove namespaces of runs still alive")
	if err := fs.Parse(args); err != nil {
		return exitNoRun
	}
	removed, err := topology.Cleanup(*all)
	for _, l := range removed {
		fmt.Fprintf(stdout, "removed %s (run %s, pid %d)\n", l.Name, l.RunID, l.PID)
	}
	// Memory cgroups of churn probes: a run killed outright leaves them, empty.
	groups, gerr := cleanupStaleCgroups()
	for _, g := range groups {
		fmt.Fprintf(stdout, "removed cgroup %s\n", g)
	}
	if err = errors.Join(err, gerr); err != nil {
		fmt.Fprintf(stderr, "netconform clean-lab: %v\n", err)
		return exitNoRun
	}
	if len(removed)+len(groups) == 0 {
		fmt.Fprintln(stdout, "no lab leftovers")
	}
	return 0
}
