// Command netconform-probe is netconform's own probe: small measurements that
// must run as a separate process (inside a namespace, under a memory limit, on
// the system under test) and report one JSON document on stdout.
//
// Exit status: 0 when a measurement was printed, whatever it found (a failing
// socket() is data); 2 on a usage error; 1 when it could not report at all.
package main

import (
	"fmt"
	"os"
)

const usage = `usage: netconform-probe <subcommand> [flags]

subcommands:
  churn   loop socket()+close() and report failures and socket accounting
  tcp     loop TCP connections (connect, close-connecting, abort) or abortive
          closes (rst) and report failures and the TCP control-block count
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "churn":
		os.Exit(churnMain(os.Args[2:]))
	case "tcp":
		os.Exit(tcpMain(os.Args[2:]))
	case "-h", "--help", "help":
		fmt.Fprint(os.Stdout, usage)
	default:
		fmt.Fprintf(os.Stderr, "netconform-probe: unknown subcommand %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
}
