package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/netconform/netconform/catalog"
	_ "github.com/netconform/netconform/catalog/all"
	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/harness"
)

func noop(context.Context, *harness.Env) check.Result { return check.Result{} }

// TestRegisterRefuses: what cannot be registered panics at start-up, with
// the reason, and leaves the registry as it was.
func TestRegisterRefuses(t *testing.T) {
	good := check.Descriptor{ID: "test.catalog.good", Title: "t", Spec: "s", Suite: "ipv6", Labels: []string{"ipv6"}}
	withLabel := good
	withLabel.Labels = []string{"ipv6", "rfc9999"}
	noTitle := good
	noTitle.Title = ""
	tests := []struct {
		name  string
		entry catalog.Entry
		want  string
	}{
		{"unknown label", catalog.Entry{Descriptor: withLabel, Run: noop}, `label "rfc9999" is not in the vocabulary`},
		{"no title", catalog.Entry{Descriptor: noTitle, Run: noop}, "no title"},
		{"no run function", catalog.Entry{Descriptor: good}, "no run function"},
		{"duplicate id", catalog.Entry{Descriptor: check.Descriptor{ID: "ipv6.rfc8028.same-link", Title: "t", Spec: "s", Suite: "ipv6", Labels: []string{"ipv6"}}, Run: noop}, "registered twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(catalog.All())
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tt.want) {
					t.Errorf("panic %v, want one containing %q", r, tt.want)
				}
				if len(catalog.All()) != before {
					t.Error("a refused entry was registered")
				}
			}()
			catalog.Register(tt.entry)
		})
	}
}

// TestRegisteredChecks: every registered check is valid, in a suite, and
// where it was registered is known (the suites report specs there).
func TestRegisteredChecks(t *testing.T) {
	all := catalog.All()
	if len(all) < 13 {
		t.Fatalf("%d checks registered", len(all))
	}
	for _, e := range all {
		if err := e.Validate(); err != nil {
			t.Error(err)
		}
		if e.File == "" || e.Line == 0 || strings.Contains(e.File, "catalog.go") {
			t.Errorf("%s: registered at %s:%d", e.ID, e.File, e.Line)
		}
	}
}

func TestSelect(t *testing.T) {
	both := []string{"ipv6", "sockets"}
	tests := []struct {
		name string
		sel  catalog.Selection
		want []string // ids; nil with err
		err  string
	}{
		{"rfc8028", catalog.Selection{Suites: both, Labels: "rfc8028"}, []string{"ipv6.rfc6724.rule5-5", "ipv6.rfc8028.multi-interface", "ipv6.rfc8028.same-link", "ipv6.rfc8028.source-over-preference"}, ""},
		{"and not", catalog.Selection{Suites: both, Labels: "rfc8028 && !rfc6724"}, []string{"ipv6.rfc8028.multi-interface", "ipv6.rfc8028.same-link", "ipv6.rfc8028.source-over-preference"}, ""},
		{"suite not configured", catalog.Selection{Suites: []string{"sockets"}, Labels: "rfc8028"}, nil, ""},
		{"one check", catalog.Selection{Suites: both, Check: "sockets.churn.dgram6"}, []string{"sockets.churn.dgram6"}, ""},
		{"unknown check", catalog.Selection{Suites: both, Check: "sockets.nope"}, nil, `no check has the id "sockets.nope"`},
		{"bad filter", catalog.Selection{Suites: both, Labels: "a &&"}, nil, `label filter "a &&"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := catalog.Select(tt.sel)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "\x1b") {
					t.Fatalf("error %v, want a plain one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if strings.Join(ids, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
		})
	}
}
