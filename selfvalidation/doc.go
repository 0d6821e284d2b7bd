// Package selfvalidation holds the proof that every registered check can
// pass and can fail: its tests run each check under each of its proofs
// (catalog.Proof: a Linux SUT configuration, a fault injected into the lab,
// and the verdict the check must give) and fail for a registered check that
// lacks a configuration it must pass or one it must fail. It has no code of
// its own beyond the tests.
package selfvalidation
