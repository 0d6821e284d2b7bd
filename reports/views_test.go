package reports

import (
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
)

// TestViewName: a result's own view wins; a result without one (schema 1,
// early schema 2) gets the view its check had before results named views.
func TestViewName(t *testing.T) {
	tests := []struct{ id, view, want string }{
		{"ipv6.rfc8028.same-link", "", observation.ViewFirstHops},
		{"ipv6.rfc8028.multi-interface", "", observation.ViewFirstHops},
		{"ipv6.rfc6724.rule5-5", "", observation.ViewRule55},
		{"ipv6.rfc6724.rule5-5x", "", ""},
		{"sockets.mapped-sendto.unbound", "", observation.ViewFirstDatagram},
		{"sockets.inet4-sendto.peer", "", observation.ViewFirstDatagram},
		{"cfil.userspace-filter.first-datagram", "", observation.ViewFilteredFirstDatagram},
		{"sockets.churn.stream4", "", observation.ViewChurn},
		{"sockets.churn.stream4", observation.ViewFirstHops, observation.ViewFirstHops},
		{"ipv6.rfc4191.new", "", ""},
		{"ipv6.rfc4191.new", "some-view", "some-view"},
	}
	for _, tt := range tests {
		c := CheckResult{Result: check.Result{ID: tt.id, View: tt.view}}
		if got := c.ViewName(); got != tt.want {
			t.Errorf("%s (view %q): %q, want %q", tt.id, tt.view, got, tt.want)
		}
	}
}
