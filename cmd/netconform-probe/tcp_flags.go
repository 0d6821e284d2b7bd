package main

import (
	"flag"
	"io"
	"os"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// tcpOptions are the tcp subcommand's flags beyond tcpchurn.Config.
type tcpOptions struct {
	tcpchurn.Config
	runFlags
}

func parseTCPFlags(args []string, stderr io.Writer) (tcpOptions, error) {
	var o tcpOptions
	fs := flag.NewFlagSet("tcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Pattern, "pattern", tcpchurn.Connect, "connect, close-connecting, abort or rst")
	fs.StringVar(&o.Family, "family", tcpchurn.Inet6, "inet6, inet or mapped (AF_INET6 with IPV6_V6ONLY off, to ::ffff:a.b.c.d)")
	fs.IntVar(&o.Count, "count", 2000, "connections")
	fs.StringVar(&o.Peer, "peer", "", "address:port to connect to (close-connecting: a peer that drops SYNs; rst: a peer that completes the handshake); empty: a listener on loopback")
	fs.IntVar(&o.ListenPort, "listen-port", 0, "loopback listener port (0: any)")
	fs.IntVar(&o.SampleEvery, "sample-every", 0, "connections between samples of the kernel's accounting (0: count/50)")
	drain := fs.Duration("drain", 15*time.Second, "longest wait after the last close for the control-block count to come back")
	fs.IntVar(&o.Slack, "slack", 0, "control blocks above the start that still end the drain")
	wait := fs.Duration("wait", time.Second, "rst: how long the peers may take to see the RSTs (once for all connections)")
	if err := o.runFlags.parse(fs, args); err != nil {
		return o, err
	}
	o.Drain, o.Wait = check.Duration(*drain), check.Duration(*wait)
	if o.SampleEvery == 0 {
		o.SampleEvery = o.EffectiveSampleEvery()
	}
	return o, o.Validate()
}

func tcpMain(args []string) int {
	o, err := parseTCPFlags(args, os.Stderr)
	if err != nil {
		return usageError("tcp", err)
	}
	return measure("tcp", o.waitStdin, o.progress, func(progress io.Writer) any {
		return runTCP(o.Config, newSampler(), newCBCounter(), progress)
	})
}
