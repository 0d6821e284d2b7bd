// Package check holds what every conformance check produces: a verdict with its
// reason, the observations that support it, and the evidence files behind them.
// It is the contract between the check code (ipv6, sockets, cfil), the Ginkgo
// suites and the reports; it knows nothing of any of them.
package check

import (
	"encoding/json"
	"fmt"

	"github.com/netconform/netconform/observation"
)

// Verdict is the answer a check gives about the system under test.
type Verdict string

const (
	// Pass: the stack behaved as the specification asks.
	Pass Verdict = "pass"
	// Fail: the stack violated the specification. Never used for harness trouble.
	Fail Verdict = "fail"
	// Error: the harness could not decide. Never counted as pass or fail.
	Error Verdict = "error"
	// Skip: the check does not apply here (not root, a kernel feature missing...).
	Skip Verdict = "skip"
)

// Valid reports whether v is one of the four verdicts.
func (v Verdict) Valid() bool {
	switch v {
	case Pass, Fail, Error, Skip:
		return true
	}
	return false
}

// Result is one check's outcome. Observations hold whatever the check saw, as
// JSON-marshalable data; Evidence holds paths of files the check wrote (pcapng,
// table dumps), relative to the run's release directory.
type Result struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Spec   string   `json:"spec"`
	Labels []string `json:"labels,omitempty"`
	// View is the shape of Observations (the check's descriptor's view):
	// what the report draws them with.
	View         string          `json:"view,omitempty"`
	Verdict      Verdict         `json:"verdict"`
	Reason       string          `json:"reason"`
	Observations json.RawMessage `json:"observations,omitempty"`
	Evidence     []string        `json:"evidence,omitempty"`
	Duration     Duration        `json:"duration"`
}

// Observe stores v as the result's observations.
func (r *Result) Observe(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("observations of %s: %w", r.ID, err)
	}
	r.Observations = b
	return nil
}

// Errorf turns the result into an error verdict: the harness could not decide.
func (r *Result) Errorf(format string, args ...any) {
	r.Verdict = Error
	r.Reason = fmt.Sprintf(format, args...)
}

// Duration marshals as seconds (a float) so reports need no Go-specific
// parsing. It is observation.Duration, which observations use too.
type Duration = observation.Duration
