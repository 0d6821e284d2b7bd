package mapped

// Check ids are stable public names: reports across releases are keyed by them.
const (
	IDSelf      = "sockets.mapped-sendto.self"
	IDPeer      = "sockets.mapped-sendto.peer"
	IDUnbound   = "sockets.mapped-sendto.unbound"
	IDConnected = "sockets.mapped-sendto.connected"
	IDInet4Self = "sockets.inet4-sendto.self"
	IDInet4Peer = "sockets.inet4-sendto.peer"
)

// Spec is what every first-datagram check holds the stack to.
const Spec = "POSIX sendto(2)/send(2) on UDP; RFC 4291 §2.5.5.2 and RFC 3493 §3.7 (IPv4-mapped addresses on an AF_INET6 socket with IPV6_V6ONLY off): " +
	"a call that reports success has handed the datagram to the stack, so the first datagram of a fresh socket must arrive like any other " +
	"(seed: macOS 15.6.1 drops it while sendto() returns success)"

// Case is one way of sending the first datagrams.
type Case struct {
	ID    string
	Title string
	// Family is "inet6" (dual-stack AF_INET6, IPV6_V6ONLY off, mapped
	// addresses) or "inet" (plain AF_INET: the control).
	Family string
	// Bind to the SUT's IPv4 address (mapped for inet6), port 0.
	Bind bool
	// Connect to the destination, then send() instead of sendto().
	Connect bool
	To      Destination
}

// Call is the system call the case sends with.
func (c Case) Call() string { return c.spec().Call.Syscall() }

// spec is the case as caseRun runs it: bound to the SUT's own address
// (mapped on AF_INET6) with port 0, or unbound; sendto, or connect + send.
func (c Case) spec() spec {
	s := spec{Name: c.ID, Family: c.Family, Bind: BindNone, Port: PortZero, Call: CallSendto, To: c.To}
	if c.Bind {
		s.Bind = BindMapped
	}
	if c.Connect {
		s.Call = CallConnectSend
	}
	return s
}

// Cases are the first-datagram checks, in the order the suite runs them.
var Cases = []Case{
	{ID: IDSelf, Family: "inet6", Bind: true, To: Self,
		Title: "Dual-stack UDP socket bound to ::ffff:<own IPv4>: the first datagram sendto() its own address arrives"},
	{ID: IDPeer, Family: "inet6", Bind: true, To: Peer,
		Title: "Dual-stack UDP socket bound to ::ffff:<own IPv4>: the first datagram sendto() ::ffff:<peer> reaches the wire"},
	{ID: IDUnbound, Family: "inet6", To: Peer,
		Title: "Unbound dual-stack UDP socket: the first datagram sendto() ::ffff:<peer> reaches the wire"},
	{ID: IDConnected, Family: "inet6", Bind: true, Connect: true, To: Peer,
		Title: "Dual-stack UDP socket bound to ::ffff:<own IPv4> and connected to ::ffff:<peer>: the first datagram send() reaches the wire"},
	{ID: IDInet4Self, Family: "inet", Bind: true, To: Self,
		Title: "Control: AF_INET UDP socket bound to its IPv4 address: the first datagram sendto() its own address arrives"},
	{ID: IDInet4Peer, Family: "inet", Bind: true, To: Peer,
		Title: "Control: AF_INET UDP socket bound to its IPv4 address: the first datagram sendto() the peer reaches the wire"},
}

// CaseByID finds a case.
func CaseByID(id string) (Case, bool) {
	for _, c := range Cases {
		if c.ID == id {
			return c, true
		}
	}
	return Case{}, false
}
