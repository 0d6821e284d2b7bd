package observation

// The views a check's observations may use. A view is a shape of
// observations with a renderer in reports/html; a new check reuses one or
// adds one here and there.
const (
	// ViewFirstHops: a list of SourceHops, one per source address per
	// Router Advertisement order (RFC 8028 checks).
	ViewFirstHops = "first-hops"
	// ViewRule55: a list of per-destination observations: the source the
	// kernel chose and the router the datagrams reached (RFC 6724 rule 5.5).
	ViewRule55 = "rule5.5"
	// ViewFirstDatagram: one first-datagram case on K fresh sockets
	// (sockets.mapped-sendto.*, sockets.inet4-sendto.*).
	ViewFirstDatagram = "first-datagram"
	// ViewFilteredFirstDatagram: first-datagram cases through a user-space
	// filter, with the filter's own record.
	ViewFilteredFirstDatagram = "filtered-first-datagram"
	// ViewChurn: a churn probe's measurement (iterations, first failure,
	// samples of the kernel's accounting).
	ViewChurn = "churn"
	// ViewTCPChurn: a TCP churn pattern's measurement (connections, the
	// first failing call, the kernel's control-block count along the run
	// and after the drain). Drawn with the generic table for now.
	ViewTCPChurn = "tcp-churn"
	// ViewTCPRST: abortive closes per path and whether the peer saw the
	// RST. Drawn with the generic table for now.
	ViewTCPRST = "tcp-rst"
)

// Views lists every view, for validation.
var Views = map[string]bool{
	ViewFirstHops: true, ViewRule55: true, ViewFirstDatagram: true, ViewFilteredFirstDatagram: true, ViewChurn: true,
	ViewTCPChurn: true, ViewTCPRST: true,
}

// Register adds a view name (a check package that brings its own view
// calls it in an init function, before registering its checks).
func Register(view string) { Views[view] = true }
