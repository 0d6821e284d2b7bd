package ipv6

import (
	"context"
	"net/netip"
	"os/exec"
	"testing"

	"github.com/netconform/netconform/topology"
)

// macSUT answers route lookups the way a Mac with a lab does: unscoped, its
// own default on en0; scoped to the lab interface, the lab's router.
type macSUT struct {
	scoped   bool // implements topology.ScopedRouteGetter
	unscoped int
	onIf     []string
}

func (s *macSUT) Do(fn func() error) error                                { return fn() }
func (s *macSUT) Start(*exec.Cmd) error                                   { return nil }
func (s *macSUT) Shell(context.Context, string, []string) ([]byte, error) { return nil, nil }
func (s *macSUT) Interface(string) string                                 { return "feth4000" }
func (s *macSUT) Addresses(string) ([]topology.Address, error)            { return nil, nil }
func (s *macSUT) Routes() ([]topology.RouteEntry, error)                  { return nil, nil }
func (s *macSUT) Neighbors() ([]topology.Neighbor, error)                 { return nil, nil }
func (s *macSUT) RouteGet(dst, _ netip.Addr) (topology.RouteEntry, error) {
	s.unscoped++
	return topology.RouteEntry{Dst: netip.PrefixFrom(dst, 128), Gateway: netip.MustParseAddr("fe80::1"), Interface: "en0"}, nil
}

type scopedMacSUT struct{ *macSUT }

func (s scopedMacSUT) RouteGetOn(dst netip.Addr, ifname string) (topology.RouteEntry, error) {
	s.onIf = append(s.onIf, ifname)
	return topology.RouteEntry{Dst: netip.PrefixFrom(dst, 128), Gateway: netip.MustParseAddr("fe80::a"), Interface: ifname}, nil
}

// TestTableLookupScope: where rule 5.5's socket is bound to the lab interface
// (macOS), the routing-table lookup set beside the wire is scoped to it too;
// unscoped it would name the Mac's own router and every result would
// "disagree with the wire". Where the socket is not scoped (Linux: the SUT
// namespace holds only the lab), the lookup is not either.
func TestTableLookupScope(t *testing.T) {
	dst := netip.MustParseAddr("2001:db8:a:ffff::1")
	for _, tc := range []struct {
		name      string
		scopedSUT bool
		scoped    bool
		wantIf    string
		wantErr   bool
	}{
		{name: "macOS: scoped socket, scoped lookup", scopedSUT: true, scoped: true, wantIf: "feth4000"},
		{name: "Linux: unscoped socket, unscoped lookup", wantIf: "en0"},
		{name: "scoped socket on a SUT that cannot scope a lookup", scoped: true, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &macSUT{}
			var sut topology.SUT = m
			if tc.scopedSUT {
				sut = scopedMacSUT{m}
			}
			e, err := tableLookup(sut, dst, "feth4000", tc.scoped)
			if tc.wantErr {
				if err == nil || m.unscoped != 0 {
					t.Fatalf("got %+v, %v after %d unscoped lookups", e, err, m.unscoped)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Interface != tc.wantIf {
				t.Errorf("lookup on %s, want %s", e.Interface, tc.wantIf)
			}
			if tc.scoped && (m.unscoped != 0 || len(m.onIf) != 1 || m.onIf[0] != "feth4000") {
				t.Errorf("%d unscoped lookups and scoped ones on %v for a socket scoped to feth4000", m.unscoped, m.onIf)
			}
		})
	}
}
