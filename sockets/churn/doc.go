// Package churn is the socket-churn measurement behind the checks
// sockets.churn.stream6, sockets.churn.dgram6 and sockets.churn.stream4.
//
// The seed (macOS 26: socket(AF_INET6, SOCK_STREAM)+close() in a loop fails with
// ENOBUFS near iteration 160,000) says closing a socket does not give back
// everything creating it took. The measurement runs the project's probe binary
// (cmd/netconform-probe churn), which loops socket()+close() and samples the
// kernel's socket accounting along the way; Evaluate turns what it saw into a
// check.Result.
//
// The package has no build tags so a macOS driver and a Linux suite share the
// same Measurement; only the probe's sampling is per OS.
package churn
