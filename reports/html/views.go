package html

import (
	"fmt"
	"html/template"

	"github.com/netconform/netconform/reports"
)

// A renderer draws a check's observations in the view it is registered
// for. ok is false when they do not have the view's shape (a file older or
// newer than the view, a partial result): the generic rendering then shows
// them in full, so nothing is ever hidden.
type renderer func(c reports.CheckResult) (template.HTML, bool)

// renderers maps a view (package observation; the result's "view") to its
// renderer. Each renderer's file registers itself in an init function: a
// new view is one new file here, and no id is ever looked at.
var renderers = map[string]renderer{}

func registerRenderer(view string, r renderer) {
	if _, dup := renderers[view]; dup {
		panic(fmt.Sprintf("html: two renderers for view %q", view))
	}
	renderers[view] = r
}

// HasRenderer reports whether view has a renderer of its own (else its
// observations are drawn by the generic rendering).
func HasRenderer(view string) bool {
	_, ok := renderers[view]
	return ok
}

// DrawnBy is the view whose renderer draws c's observations in a report,
// "" when the generic rendering does (no view, a view without a renderer,
// observations without the view's shape, or none at all). Tests use it to
// see that a check's observations reach their view.
func DrawnBy(c reports.CheckResult) string { return observations(c).View }
