package mapped

import (
	"fmt"
	"strings"
)

// IDMatrix is the check that runs every way of sending an IPv4-mapped
// datagram: xnu's content filter loses a datagram when the flow it saved
// has an IPv4 address family (docs/macos.md, "Where the EINVAL comes
// from"), and which bind, port and call get a flow there differs between
// releases, so the matrix tries them all, whichever one a release breaks.
const IDMatrix = "sockets.mapped-sendto.matrix"

// MatrixTitle is the check's title.
const MatrixTitle = "Every way of sending IPv4-mapped UDP (bind address and port, sendto/send/sendmsg/PKTINFO/sendmsg_x, IPV6_V6ONLY, own address/peer/loopback): the first datagram of each fresh socket arrives"

// Row is one bind row of the matrix.
type Row struct {
	Bind   BindKind
	Port   PortKind
	V6Only bool
}

// Key names the row: "mapped/0", "any/fixed", "unbound", "any/0+v6only".
func (r Row) Key() string {
	k := string(r.Bind)
	if r.Bind != BindNone {
		k += "/" + string(r.Port)
	}
	if r.V6Only {
		k += "+v6only"
	}
	return k
}

// Label says the row for a person.
func (r Row) Label() string {
	var s string
	switch r.Bind {
	case BindNone:
		s = "not bound"
	default:
		s = "bound to " + r.Bind.Address(sutIPv4.Addr()).String()
		if r.Port == PortFixed {
			s += ", a fixed port"
		} else {
			s += ", port 0"
		}
	}
	if r.V6Only {
		return s + ", IPV6_V6ONLY on (mapped destinations must be refused)"
	}
	return s + ", IPV6_V6ONLY off"
}

// MatrixCase is one cell entry of the matrix: a row, a call, a destination.
type MatrixCase struct {
	Row  Row
	Call Call
	To   Destination
}

// Name is "<row> <call> <destination>": "mapped/0 sendto self".
func (c MatrixCase) Name() string {
	return c.Row.Key() + " " + string(c.Call) + " " + string(c.To)
}

func (c MatrixCase) spec() spec {
	return spec{Name: c.Name(), Family: "inet6", Bind: c.Row.Bind, Port: c.Row.Port, V6Only: c.Row.V6Only, Call: c.Call, To: c.To}
}

// loopbackOutsideLab is why the loopback destination is skipped where the
// SUT is the host itself (macOS): its loopback is the Mac's own lo0,
// outside any lab, and netconform sends nothing outside its labs.
const loopbackOutsideLab = "the mapped-loopback destination runs only where the SUT's loopback belongs to the lab (a Linux namespace); here the SUT is this machine and lo0 its own: run repro.c -d loopback by hand"

// unavailable says why the case cannot run here ("" when it can): a skip
// with that reason, never a pass. sutIsHost: the SUT is the machine
// netconform runs on (topology.SUTIsHost).
func (c MatrixCase) unavailable(sutIsHost bool) string {
	switch {
	case c.Call == CallConnectSendmsgX && !sendmsgXAvailable:
		return sendmsgXMissing
	case c.To == Loopback && sutIsHost:
		return loopbackOutsideLab
	}
	return ""
}

// Matrix is a set of cases with its table layout.
type Matrix struct {
	// Name is "default" or "full".
	Name  string
	Rows  []Row
	Cases []MatrixCase
}

// The bind rows: every bind address with port 0 and a fixed port, and the
// unbound socket; the full matrix adds IPV6_V6ONLY on where it changes what
// is possible (the wildcard and the unbound socket may then not reach a
// mapped address, and a socket may not bind one).
var (
	deliveryRows = []Row{
		{Bind: BindMapped, Port: PortZero}, {Bind: BindMapped, Port: PortFixed},
		{Bind: BindMappedAny, Port: PortZero}, {Bind: BindMappedAny, Port: PortFixed},
		{Bind: BindAny, Port: PortZero}, {Bind: BindAny, Port: PortFixed},
		{Bind: BindNone, Port: PortZero},
	}
	v6onlyRows = []Row{
		{Bind: BindAny, Port: PortZero, V6Only: true},
		{Bind: BindNone, Port: PortZero, V6Only: true},
		{Bind: BindMapped, Port: PortZero, V6Only: true},
	}
	// seedRow is the reporter's socket: bound to its own mapped address,
	// port 0.
	seedRow = Row{Bind: BindMapped, Port: PortZero}
)

// MatrixNames are the values of params.sockets.mapped_matrix.
var MatrixNames = []string{"default", "full"}

// NewMatrix builds the named matrix. The default one has every row and
// every call, each sending to the socket's own address (the seed's case;
// the unbound socket, which has no port of its own to send to, sends to
// the peer), plus the seed's row to the peer and to mapped loopback: every
// value of every dimension at least once, one case per cell. The full one
// has every destination in every cell and the IPV6_V6ONLY rows.
func NewMatrix(name string) (Matrix, error) {
	m := Matrix{Name: name}
	switch name {
	case "default":
		m.Rows = deliveryRows
		for _, r := range m.Rows {
			for _, call := range Calls {
				to := Self
				if r.Bind == BindNone {
					to = Peer
				}
				m.Cases = append(m.Cases, MatrixCase{Row: r, Call: call, To: to})
			}
		}
		for _, to := range []Destination{Peer, Loopback} {
			for _, call := range Calls {
				m.Cases = append(m.Cases, MatrixCase{Row: seedRow, Call: call, To: to})
			}
		}
	case "full":
		m.Rows = append(append([]Row{}, deliveryRows...), v6onlyRows...)
		for _, r := range m.Rows {
			for _, call := range Calls {
				for _, to := range Destinations {
					c := MatrixCase{Row: r, Call: call, To: to}
					if c.spec().valid() == nil {
						m.Cases = append(m.Cases, c)
					}
				}
			}
		}
	default:
		return Matrix{}, fmt.Errorf("mapped-sendto matrix %q: want %s", name, strings.Join(MatrixNames, " or "))
	}
	return m, nil
}
