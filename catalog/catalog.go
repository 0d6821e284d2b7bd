// Package catalog is the registry of checks: each check package registers
// its checks (a descriptor and the function that runs it) once, in an init
// function beside the check's code, and the suites, `netconform list`, a
// run's selection and the self-validation tests all read them from here.
package catalog

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/observation"
)

// RunFunc runs a check once, in fresh labs with fresh sockets, and returns
// its result. Everything it needs comes in env (the run's parameters
// included).
type RunFunc func(ctx context.Context, env *harness.Env) check.Result

// Entry is one registered check.
type Entry struct {
	check.Descriptor
	Run RunFunc
	// Proofs are the check's self-validation: Linux SUT configurations
	// under which it must pass and must fail. Every check has at least one
	// of each (selfvalidation's tests run them all, and fail for a check
	// that lacks either).
	Proofs []Proof
	// Needs are what the check needs beyond a lab (doctor.LabNeeds): a
	// check whose need the run's doctor found missing is skipped with the
	// doctor's reason and remedy.
	Needs []doctor.Need
	// Alone says the check must have the machine to itself: it judges
	// state that every network namespace shares (the kernel's socket and
	// control-block counts, its memory), or a count of events within a
	// fixed time, so a check running beside it in another process could
	// change its verdict. With parallel processes (procs > 1) it runs
	// after the others, by itself (Ginkgo's Serial). A check whose every
	// observation stays in its own lab leaves it false, and may then wait
	// side by side with others.
	Alone bool
	// File and Line are where the check was registered: the suites report
	// its spec there, not at the line of the helper that declares specs.
	File string
	Line int
}

// Proof is one configuration of a Linux SUT and the verdict a check must
// give under it: a check that passes on any stack proves nothing, so each
// ships with a fault it must flag and a configuration it must pass.
type Proof struct {
	// Name says what the configuration is ("stock", "source-routing",
	// "drop-first-datagram"...).
	Name string
	Want check.Verdict
	// ProfileName takes a profile from the shipped ginkgo.yaml; when empty,
	// Profile (inline; the zero value is stock) applies.
	ProfileName string
	Profile     config.Profile
	// Fault, when set, is injected into every lab after the profile (see
	// harness.Env.Setup).
	Fault func(ctx context.Context, lab *harness.Lab) error
	// Params, when set, adjusts the shipped parameters (to keep a failing
	// run short, say).
	Params func(*config.Params)
	// Reason, when set, is a regular expression the verdict's reason must
	// match: a fail for the wrong reason is no proof.
	Reason string
}

var entries []Entry

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// Register adds checks to the registry. A descriptor that is invalid (a
// label outside the vocabulary, say) or an id registered twice panics: it
// is a programming error, caught when any binary holding the check starts
// (the suites, netconform, the tests).
func Register(es ...Entry) {
	_, file, line, _ := runtime.Caller(1)
	for _, e := range es {
		e.File, e.Line = file, line
		if err := e.Validate(); err != nil {
			panic("catalog: " + err.Error())
		}
		if e.View != "" && !observation.Views[e.View] {
			panic(fmt.Sprintf("catalog: check %q names view %q, which package observation does not know", e.ID, e.View))
		}
		if e.Run == nil {
			panic(fmt.Sprintf("catalog: check %q has no run function", e.ID))
		}
		if _, dup := Lookup(e.ID); dup {
			panic(fmt.Sprintf("catalog: check %q registered twice", e.ID))
		}
		entries = append(entries, e)
	}
}

// All returns every registered check in registration order.
func All() []Entry { return append([]Entry(nil), entries...) }

// Suite returns the checks a suite runs, in registration order: the order
// of its specs.
func Suite(name string) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Suite == name {
			out = append(out, e)
		}
	}
	return out
}

// Lookup finds a check by id.
func Lookup(id string) (Entry, bool) {
	for _, e := range entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Selection is what a run selects: the suites to run, a Ginkgo label filter
// ("" = every label) and one check id ("" = every check).
type Selection struct {
	Suites []string
	Labels string
	Check  string
}

// Select returns the checks a run with this selection runs, sorted by id:
// exactly the specs Ginkgo runs with the same suites, label filter and
// focus (the suites declare one spec per registered check, labelled with
// its labels; a test in cmd/netconform compares the two).
func Select(s Selection) ([]Entry, error) {
	match := func([]string) bool { return true }
	if s.Labels != "" {
		f, err := types.ParseLabelFilter(s.Labels)
		if err != nil {
			// Ginkgo's message is coloured for a terminal and spread over
			// lines: keep its words.
			msg := strings.Join(strings.Fields(ansi.ReplaceAllString(err.Error(), "")), " ")
			return nil, fmt.Errorf("label filter %q: %s", s.Labels, msg)
		}
		match = f
	}
	if s.Check != "" {
		if _, ok := Lookup(s.Check); !ok {
			return nil, fmt.Errorf("no check has the id %q (netconform list shows them)", s.Check)
		}
	}
	inSuites := map[string]bool{}
	for _, name := range s.Suites {
		inSuites[name] = true
	}
	var out []Entry
	for _, e := range entries {
		if !inSuites[e.Suite] || (s.Check != "" && e.ID != s.Check) || !match(e.Labels) {
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
