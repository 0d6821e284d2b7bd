package browsertest

import (
	"testing"

	"github.com/netconform/netconform/catalog"
	"github.com/netconform/netconform/reports/html"
)

// TestHostileCoversEveryView: every view a registered check uses has
// hostile observations of its own here, and its renderer (not the generic
// rendering) draws them; a new view fails here until it has them.
func TestHostileCoversEveryView(t *testing.T) {
	drawnBy := map[string]string{} // view → what drew the hostile result of it
	for _, c := range Hostile().Checks {
		if c.View != "" && c.Observations != nil {
			drawnBy[c.View] = html.DrawnBy(c)
		}
	}
	for _, e := range catalog.All() {
		if _, ok := hostileViews[e.View]; !ok {
			t.Errorf("view %q (check %s) has no hostile observations in hostile.go", e.View, e.ID)
			continue
		}
		if !html.HasRenderer(e.View) {
			continue // drawn generically, which the payload meets anyway
		}
		if got := drawnBy[e.View]; got != e.View {
			t.Errorf("view %q: the hostile observations were drawn by %q, not by the view's renderer", e.View, got)
		}
	}
}

// TestHostileHasTheSchema2Shapes: a flaky tally and a check that never ran.
func TestHostileHasTheSchema2Shapes(t *testing.T) {
	r := Hostile()
	var flaky, notRun bool
	for _, c := range r.Checks {
		flaky = flaky || c.Flaky
		notRun = notRun || c.NotRun
	}
	if !flaky || !notRun || r.Run.Selected != len(r.Checks) {
		t.Errorf("flaky %v, never ran %v, selected %d of %d", flaky, notRun, r.Run.Selected, len(r.Checks))
	}
}
