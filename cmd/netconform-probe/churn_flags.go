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
	runFlags
}

// runFlags are the flags every measuring subcommand has.
type runFlags struct {
	// waitStdin: read one line from stdin before the first socket, so a parent
	// can move the probe into a memory cgroup before it allocates anything.
	waitStdin bool
	// progress: write each sample to stderr as it is taken (see
	// churn.ProgressPrefix), for a parent that may see the probe killed.
	progress bool
}

// parse registers the run flags on fs, then parses args, which must all be
// flags.
func (r *runFlags) parse(fs *flag.FlagSet, args []string) error {
	fs.BoolVar(&r.waitStdin, "wait-stdin", false, "wait for a line on stdin before starting")
	fs.BoolVar(&r.progress, "progress", false, "write each sample to stderr as a progress line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	return nil
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
	if err := o.runFlags.parse(fs, args); err != nil {
		return o, err
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
		return usageError("churn", err)
	}
	return measure("churn", o.waitStdin, o.progress, func(progress io.Writer) any {
		return runChurn(o.Config, newSampler(), progress)
	})
}

// usageError reports a flag error of a subcommand (nothing for -h, which
// printed the usage) and gives the usage exit status.
func usageError(cmd string, err error) int {
	if err != flag.ErrHelp {
		fmt.Fprintf(os.Stderr, "netconform-probe %s: %v\n", cmd, err)
	}
	return 2
}

// measure is what every measuring subcommand does around its loop: wait
// for the start line when asked (a parent moves the probe into a memory
// cgroup first), hand the loop stderr for progress lines when asked, and
// write the measurement to stdout as JSON.
func measure(cmd string, waitStdin, progress bool, run func(progress io.Writer) any) int {
	if waitStdin {
		if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
			fmt.Fprintf(os.Stderr, "netconform-probe %s: no start line on stdin: %v\n", cmd, err)
			return 1
		}
	}
	var w io.Writer
	if progress {
		w = os.Stderr
	}
	m := run(w)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(m); err != nil {
		fmt.Fprintf(os.Stderr, "netconform-probe %s: writing measurement: %v\n", cmd, err)
		return 1
	}
	return 0
}
