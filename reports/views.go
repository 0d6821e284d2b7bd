package reports

import (
	"strings"

	"github.com/netconform/netconform/observation"
)

// ViewName is the view c's observations are drawn with (package
// observation): the one the result carries (results.json "view", set from
// the check's descriptor), or, for a result written before results named
// their view (schema 1 and early schema 2 files), the view its check had
// then, by id (legacyViews). "" means none: the generic rendering.
func (c CheckResult) ViewName() string {
	if c.View != "" {
		return c.View
	}
	return legacyView(c.ID)
}

// legacyViews are the checks that existed before results carried their
// view, by id (a prefix when it ends in "."), with the view each had. It is frozen: every check
// added since names its view in its descriptor, so this table never grows.
var legacyViews = []struct{ prefix, view string }{
	{"ipv6.rfc8028.", observation.ViewFirstHops},
	{"ipv6.rfc6724.rule5-5", observation.ViewRule55},
	{"sockets.mapped-sendto.", observation.ViewFirstDatagram},
	{"sockets.inet4-sendto.", observation.ViewFirstDatagram},
	{"cfil.userspace-filter.", observation.ViewFilteredFirstDatagram},
	// Only the socket()+close() churn checks: the TCP churn checks under
	// sockets.churn. came with views of their own.
	{"sockets.churn.stream6", observation.ViewChurn},
	{"sockets.churn.dgram6", observation.ViewChurn},
	{"sockets.churn.stream4", observation.ViewChurn},
}

func legacyView(id string) string {
	for _, l := range legacyViews {
		if id == l.prefix || strings.HasSuffix(l.prefix, ".") && strings.HasPrefix(id, l.prefix) {
			return l.view
		}
	}
	return ""
}
