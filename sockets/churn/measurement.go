package churn

import (
	"fmt"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
)

// Config is what one churn loop does. The probe echoes it in its Measurement so
// a report never has to guess the parameters of a run. The shapes of the
// measurement live in package observation, which the reports read too;
// Validate and EffectiveSampleEvery are there with them.
type Config = observation.ChurnConfig

// DefaultSamples is how many samples a run takes when SampleEvery is 0: enough
// to chart accounting against iterations, few enough not to slow the loop.
const DefaultSamples = observation.ChurnDefaultSamples

// DefaultPause is the pause before the recovery tries: long enough for
// deferred frees (RCU, timers) to run, short enough to keep a run quick.
const DefaultPause = check.Duration(time.Second)

// DefaultRecoverTries is the number of sockets tried after the pause.
const DefaultRecoverTries = 5

// Measurement is the probe's JSON document, completed by Run with what only the
// parent can see (a kill by signal, the wall time, stderr) and by the caller
// with the memory limit the probe ran under, if any.
type Measurement = observation.ChurnMeasurement

// Failure is one failed call.
type Failure = observation.ChurnFailure

// Recovery says whether socket() works again after the first failure: the
// probe stops the loop, retries at once, sleeps Pause, then tries again.
type Recovery = observation.ChurnRecovery

// Sample is the kernel's accounting at one iteration (the counters each OS
// samples are listed at observation.ChurnSample).
type Sample = observation.ChurnSample

// Limit describes the memory limit a probe ran under, filled from the cgroup.
type Limit = observation.ChurnLimit

// CheckID names the check for a family and type: sockets.churn.stream6 for
// inet6/stream, sockets.churn.dgram6, sockets.churn.stream4...
func CheckID(family, typ string) string {
	v := "6"
	if family == "inet" {
		v = "4"
	}
	return "sockets.churn." + typ + v
}

// SocketName is the C spelling of a family and type, for reasons and titles.
func SocketName(family, typ string) string {
	f, t := "AF_INET6", "SOCK_STREAM"
	if family == "inet" {
		f = "AF_INET"
	}
	if typ == "dgram" {
		t = "SOCK_DGRAM"
	}
	return fmt.Sprintf("%s %s", f, t)
}
