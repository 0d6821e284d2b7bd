package cfil

import "github.com/netconform/netconform/observation"

// State is the content-filter evidence at one moment. Its shape is in
// package observation, which the reports read too.
type State = observation.FilterState

// Attribution is what the socket checks attach: the states around the
// check's window, the kernel log lines in it, and the conclusion.
type Attribution = observation.Attribution
