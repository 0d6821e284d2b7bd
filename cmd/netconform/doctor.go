package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/netconform/netconform/doctor"
)

// doctorCmd prints what this machine lacks for a run and how to fix each
// thing. Exit status: doctor.ExitOK (0) when every need is met,
// doctor.ExitMissing (1) when something is missing, doctor.ExitNoProbe (2)
// when it could not probe.
func doctorCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON instead of a table")
	runID := fs.String("run-id", "", "name the scratch objects with this run id (8 hex digits; default: a new one)")
	if err := fs.Parse(args); err != nil {
		return doctor.ExitNoProbe
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "netconform doctor: unexpected argument %q\n", fs.Arg(0))
		return doctor.ExitNoProbe
	}
	// Ctrl-C stops the probing; what the doctor made is still undone.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep := doctor.Check(ctx, doctor.Options{RunID: *runID})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "netconform doctor: %v\n", err)
			return doctor.ExitNoProbe
		}
	} else if err := rep.WriteTable(stdout); err != nil {
		fmt.Fprintf(stderr, "netconform doctor: %v\n", err)
		return doctor.ExitNoProbe
	}
	return rep.ExitCode()
}
