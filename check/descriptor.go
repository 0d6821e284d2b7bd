package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Descriptor is what a check is, apart from how it runs: the stable public id
// reports across releases are keyed by, its title and specification
// reference, the suite that runs it and its labels. It is declared once,
// beside the check's code, and everything else (the suites, `netconform
// list`, the selection of a run, the reports) derives from it.
type Descriptor struct {
	ID    string
	Title string
	Spec  string
	// Suite is the directory under suites/ whose specs run the check.
	Suite string
	// Labels select the check (Ginkgo label filters); each must be in the
	// vocabulary (see Vocabulary).
	Labels []string
	// View names the shape of the check's observations and so the report's
	// renderer for them (package observation); "" = the generic table.
	View string
}

// Vocabulary is the frozen set of labels a check may carry, with what each
// means. A new label is added here, on purpose: a label invented in a check
// would be a new filter value nobody knows to use (or a typo that silently
// drops a check from a filtered run).
var Vocabulary = map[string]string{
	"ipv6":          "the IPv6 suite: first-hop router and source address selection",
	"rfc8028":       "RFC 8028: first-hop router selection by source address",
	"rfc6724":       "RFC 6724: default address selection",
	"rfc4191":       "RFC 4191: default router preferences and more-specific routes",
	"rfc4861":       "RFC 4861: neighbor discovery (router lifetimes)",
	"rfc8978":       "RFC 8978: SLAAC's reaction to flash renumbering",
	"sockets":       "the sockets suite: the socket API of the SUT",
	"mapped-sendto": "first datagrams through IPv4-mapped addresses (and their AF_INET controls)",
	"cfil":          "a content filter on the socket's path",
	"churn":         "socket creation and release in a loop",
	"tcp":           "TCP connections",
}

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9-]+)+$`)
	suitePattern = regexp.MustCompile(`^[a-z0-9]+$`)
)

// Validate says what is wrong with a descriptor, if anything.
func (d Descriptor) Validate() error {
	var problems []string
	if !idPattern.MatchString(d.ID) {
		problems = append(problems, fmt.Sprintf("id %q is not a dotted lower-case name", d.ID))
	}
	if strings.TrimSpace(d.Title) == "" {
		problems = append(problems, "no title")
	}
	if strings.TrimSpace(d.Spec) == "" {
		problems = append(problems, "no specification reference")
	}
	if !suitePattern.MatchString(d.Suite) {
		problems = append(problems, fmt.Sprintf("suite %q is not a suite directory name", d.Suite))
	}
	if len(d.Labels) == 0 {
		problems = append(problems, "no labels")
	}
	seen := map[string]bool{}
	for _, l := range d.Labels {
		if _, ok := Vocabulary[l]; !ok {
			problems = append(problems, fmt.Sprintf("label %q is not in the vocabulary (check.Vocabulary: %s)", l, strings.Join(VocabularyNames(), ", ")))
		}
		if seen[l] {
			problems = append(problems, fmt.Sprintf("label %q given twice", l))
		}
		seen[l] = true
	}
	if len(problems) > 0 {
		return fmt.Errorf("check %q: %s", d.ID, strings.Join(problems, "; "))
	}
	return nil
}

// VocabularyNames lists the known labels, sorted.
func VocabularyNames() []string {
	names := make([]string, 0, len(Vocabulary))
	for n := range Vocabulary {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
