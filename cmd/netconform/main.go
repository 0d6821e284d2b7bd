// Command netconform runs the conformance suites against this machine's
// kernel and turns their results into reports. `make conformance` and
// `make clean-lab` call it; see README.md.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set by the Makefile (-ldflags "-X main.version=...").
var version = "devel"

// Exit statuses of `netconform run`.
const (
	exitAsExpected = 0 // every verdict as ginkgo.yaml expects
	exitUnexpected = 1 // a check failed or erred unexpectedly, or a known failure passed
	exitNoRun      = 2 // the run could not take place (bad config, no privileges...)
)

const usage = `usage: netconform <command> [flags]

commands:
  run        run the conformance suites on this machine (needs root)
  list       print the checks a run with the same flags would select
  report     merge results.json files of many releases into regression.html/.json
  clean-lab  remove lab namespaces left by earlier runs (needs root)
  doctor     check what a run needs on this machine, and say how to fix what is missing
  version    print the version

'netconform <command> -h' lists a command's flags.
`

func main() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) }

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitNoRun
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "list":
		return listCmd(args[1:], stdout, stderr)
	case "report":
		return reportCmd(args[1:], stdout, stderr)
	case "clean-lab":
		return cleanLabCmd(args[1:], stdout, stderr)
	case "doctor":
		return doctorCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "netconform: unknown command %q\n%s", args[0], usage)
	return exitNoRun
}
