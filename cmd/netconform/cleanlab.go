package main

import (
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
	if err != nil {
		fmt.Fprintf(stderr, "netconform clean-lab: %v\n", err)
		return exitNoRun
	}
	if len(removed) == 0 {
		fmt.Fprintln(stdout, "no lab leftovers")
	}
	return 0
}
