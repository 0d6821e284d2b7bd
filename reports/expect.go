package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
)

// Expect attaches to each result what the configuration expects of it on
// this release under this profile.
func Expect(results []check.Result, cfg *config.Config, rel Release, profile string) []CheckResult {
	out := make([]CheckResult, 0, len(results))
	for _, r := range results {
		out = append(out, ExpectOne(r, cfg, rel, profile))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ExpectOne is Expect for one result.
func ExpectOne(r check.Result, cfg *config.Config, rel Release, profile string) CheckResult {
	c := CheckResult{Result: r, Expected: check.Pass}
	if k, ok := cfg.Known(r.ID, rel.OS, rel.Version, profile); ok {
		c.Expected = check.Fail
		c.Known = &KnownFailure{Reason: k.Reason, Bug: k.Bug}
	}
	if r.Verdict == check.Skip {
		c.Expected = check.Skip
	}
	return c
}

// Unexpected lists the checks whose verdict differs from the expectation, each
// with a sentence saying how: the reasons CI turns red.
func Unexpected(cs []CheckResult) []string {
	var out []string
	for _, c := range cs {
		if c.AsExpected() {
			continue
		}
		switch {
		case c.NotRun:
			out = append(out, fmt.Sprintf("%s: %s", c.ID, c.Reason))
		case c.Verdict == check.Error:
			out = append(out, fmt.Sprintf("%s: error (the harness could not decide): %s", c.ID, c.Reason))
		case c.Known != nil && c.Verdict == check.Pass:
			out = append(out, fmt.Sprintf("%s: known failure (%s) now passes: behaviour changed; remove or narrow its known_failures entry", c.ID, c.Known.Bug))
		default:
			out = append(out, fmt.Sprintf("%s: %s (expected %s): %s", c.ID, c.Verdict, c.Expected, c.Reason))
		}
	}
	return out
}

// Summary counts verdicts, for the one-line summary.
func Summary(cs []CheckResult) string {
	n := map[check.Verdict]int{}
	known := 0
	for _, c := range cs {
		n[c.Verdict]++
		if c.Known != nil && c.Verdict == check.Fail {
			known++
		}
	}
	var parts []string
	for _, v := range []check.Verdict{check.Pass, check.Fail, check.Error, check.Skip} {
		parts = append(parts, fmt.Sprintf("%d %s", n[v], v))
	}
	s := strings.Join(parts, ", ")
	if known > 0 {
		s += fmt.Sprintf(" (%d of the failures known)", known)
	}
	return s
}
