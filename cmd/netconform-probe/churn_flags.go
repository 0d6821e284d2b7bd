package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/churn"
)

// churnOptions are the churn subcommand's flags beyond churn.Config.
type churnOptions struct {
	churn.Config
	// waitStdin: read one line from stdin before the first socket, so a parent
	// can move the probe into a memory cgroup before it allocates anything.
	waitStdin bool
	// progress: write each sample to stderr as it is taken (see
	// churn.ProgressPrefix), for a parent that may see the probe killed.
	progress bool
}

func parseChurnFlags(args []string, stderr io.Writer) (churnOptions, error) {
	var o churnOptions
	fs := flag.NewFlagSet("churn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Family, "family", "inet6", "address family: inet6 or inet")
	fs.StringVar(&o.Type, "type", "stream", "socket type: stream or dgram")
	fs.IntVar(&o.Count, "count", 250000, "socket()+close() cycles")
	fs.IntVar(&o.SampleEvery, "sample-every", 0, "cycles between samples of the kernel's accounting (0: count/25)")
	pause := fs.Duration("pause", time.Duration(churn.DefaultPause), "wait after the first failure before the recovery tries")
	fs.IntVar(&o.RecoverTries, "recover-tries", churn.DefaultRecoverTries, "sockets tried after the pause")
	fs.BoolVar(&o.waitStdin, "wait-stdin", false, "wait for a line on stdin before starting")
	fs.BoolVar(&o.progress, "progress", false, "write each sample to stderr as a progress line")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	o.Pause = check.Duration(*pause)
	if o.SampleEvery == 0 {
		o.SampleEvery = o.EffectiveSampleEvery()
	}
	return o, o.Validate()
}

func churnMain(args []string) int {
	o, err := parseChurnFlags(args, os.Stderr)
	if err != nil {
		if err != flag.ErrHelp {
			fmt.Fprintf(os.Stderr, "netconform-probe churn: %v\n", err)
		}
		return 2
	}
	if o.waitStdin {
		if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
			fmt.Fprintf(os.Stderr, "netconform-probe churn: no start line on stdin: %v\n", err)
			return 1
		}
	}
	var progress io.Writer
	if o.progress {
		progress = os.Stderr
	}
	m := runChurn(o.Config, newSampler(), progress)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(m); err != nil {
		fmt.Fprintf(os.Stderr, "netconform-probe churn: writing measurement: %v\n", err)
		return 1
	}
	return 0
}
