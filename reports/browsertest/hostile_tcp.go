package browsertest

import (
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/sockets/churn"
	"github.com/netconform/netconform/sockets/churncheck"
	"github.com/netconform/netconform/sockets/tcpchurn"
)

// The TCP churn and RST views, with the payload in every text field of
// their observations (the checks' own types).
func init() {
	hostileViews[observation.ViewTCPChurn] = hostileView{verdict: check.Fail, obs: func(p string) any {
		return churncheck.TCPObservations{Measurement: hostileTCPMeasurement(p), PeerErrors: p}
	}}
	hostileViews[observation.ViewTCPRST] = hostileView{verdict: check.Fail, obs: func(p string) any {
		m := hostileTCPMeasurement(p)
		m.RST = &tcpchurn.RSTCount{Connections: 10, Reset: 7, Other: 1, OtherWhat: p}
		return churncheck.RSTObservations{Paths: []tcpchurn.Path{{Name: p, Measurement: m}}, PeerErrors: p}
	}}
}

func hostileTCPMeasurement(p string) tcpchurn.Measurement {
	return tcpchurn.Measurement{Config: tcpchurn.Config{Pattern: p, Family: p, Count: 10, Peer: p}, OS: p, Arch: p, Kernel: p,
		Iterations: 10, Failures: 1, FirstFailure: &churn.Failure{Iteration: 10, Call: "connect" + p, Errno: "ENOBUFS" + p, Message: p},
		Unexpected: p, Stderr: p, Signal: p,
		ControlBlocks: &tcpchurn.ControlBlocks{Source: p, TimeWait: p, Errors: []string{p}, Left: 3, PerThousand: 300}}
}
