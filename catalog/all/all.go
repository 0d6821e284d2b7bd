// Package all links every check package, so that the registry holds every
// check: `netconform list`, a run's selection and the tests import it.
// A new check package is added here once.
package all

import (
	// Each registers its checks in an init function.
	_ "github.com/netconform/netconform/ipv6"
	_ "github.com/netconform/netconform/sockets/churncheck"
	_ "github.com/netconform/netconform/sockets/mapped"
)
