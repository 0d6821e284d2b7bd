package ipv6

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/topology"
)

// Advert is one Router Advertisement as a value: everything the checks of
// router preference, route information, router and prefix lifetimes need to
// say, so that a check declares the RAs it sends as data (a timeline of
// steps) and the observations record exactly what was sent.
type Advert struct {
	// Router names the lab router that sends it.
	Router string
	// Preference is the RFC 4191 §2.2 Default Router Preference.
	Preference topology.Preference
	// RouterLifetime: zero says "not a default router" (RFC 4861 §4.2,
	// §6.3.4: a host times such a router out at once). At most 9000 s.
	RouterLifetime time.Duration
	Prefixes       []PrefixInfo
	Routes         []RouteInfo
}

// PrefixInfo is a Prefix Information Option (RFC 4861 §4.6.2), on-link and
// autonomous. Infinite (-1) is the all-ones lifetime.
type PrefixInfo struct {
	Prefix           netip.Prefix
	Valid, Preferred time.Duration
}

// RouteInfo is a Route Information Option (RFC 4191 §2.3): a more-specific
// route through the advertising router. Lifetime zero withdraws it.
type RouteInfo struct {
	Prefix     netip.Prefix
	Preference topology.Preference
	Lifetime   time.Duration
}

// Infinite is the infinite lifetime of a PIO or RIO.
const Infinite time.Duration = -1

// The lifetimes a router advertises when nothing special is meant: what
// radvd sends by default.
const (
	stdRouterLifetime = 1800 * time.Second
	stdValid          = 86400 * time.Second
	stdPreferred      = 14400 * time.Second
)

// ndOptRouteInfo is the RIO's option type (RFC 4191 §2.3, IANA): gopacket
// has no constant for it.
const ndOptRouteInfo layers.ICMPv6Opt = 24

// stdPrefix is a PIO with the usual lifetimes.
func stdPrefix(p netip.Prefix) PrefixInfo {
	return PrefixInfo{Prefix: p, Valid: stdValid, Preferred: stdPreferred}
}

// Validate says what makes the advertisement one the lab must not send:
// addresses outside 2001:db8::/32, lifetimes the fields cannot carry, a
// preferred lifetime above the valid one (which a host must ignore, RFC 4862
// §5.5.3(c), and would make a check prove nothing).
func (a Advert) Validate() error {
	if a.RouterLifetime < 0 || a.RouterLifetime > 9000*time.Second || a.RouterLifetime%time.Second != 0 {
		return fmt.Errorf("router %s: router lifetime %s is not whole seconds in 0..9000 s (RFC 4861 §6.2.1)", a.Router, a.RouterLifetime)
	}
	for _, p := range a.Prefixes {
		if !p.Prefix.IsValid() || !topology.Documentation(p.Prefix.Addr()) || p.Prefix.Bits() != 64 {
			return fmt.Errorf("router %s: prefix %s: PIOs must be /64 inside 2001:db8::/32", a.Router, p.Prefix)
		}
		if err := lifetimeOK(p.Valid); err != nil {
			return fmt.Errorf("router %s: prefix %s valid lifetime: %w", a.Router, p.Prefix, err)
		}
		if err := lifetimeOK(p.Preferred); err != nil {
			return fmt.Errorf("router %s: prefix %s preferred lifetime: %w", a.Router, p.Prefix, err)
		}
		if p.Valid != Infinite && (p.Preferred == Infinite || p.Preferred > p.Valid) {
			return fmt.Errorf("router %s: prefix %s: preferred lifetime %s above valid lifetime %s", a.Router, p.Prefix, p.Preferred, p.Valid)
		}
	}
	for _, r := range a.Routes {
		if !r.Prefix.IsValid() || !topology.Documentation(r.Prefix.Addr()) || r.Prefix.Bits() < 32 {
			return fmt.Errorf("router %s: route %s: RIOs must lie inside 2001:db8::/32", a.Router, r.Prefix)
		}
		if err := lifetimeOK(r.Lifetime); err != nil {
			return fmt.Errorf("router %s: route %s lifetime: %w", a.Router, r.Prefix, err)
		}
	}
	return nil
}

func lifetimeOK(d time.Duration) error {
	if d == Infinite {
		return nil
	}
	if d < 0 || d%time.Second != 0 || d/time.Second >= 0xffffffff {
		return fmt.Errorf("%s is not whole seconds below infinity", d)
	}
	return nil
}

func lifetime32(d time.Duration) uint32 {
	if d == Infinite {
		return 0xffffffff
	}
	return uint32(d / time.Second)
}

// prefBits puts an RFC 4191 preference into bits 4-3 of a flags byte: the
// RA header's (§2.2) and the RIO's (§2.3) are laid out alike.
func prefBits(p topology.Preference) uint8 { return raFlags(p) }

// routeInformation encodes a RIO. Its length is the fewest 8-octet units
// that hold the prefix (RFC 4191 §2.3: 1 for ::/0, 2 up to /64, 3 above);
// gopacket sizes an option from its data, so the data is sized to fill
// those units exactly.
func routeInformation(r RouteInfo) layers.ICMPv6Option {
	units := 3
	switch {
	case r.Prefix.Bits() == 0:
		units = 1
	case r.Prefix.Bits() <= 64:
		units = 2
	}
	data := make([]byte, units*8-2)
	data[0] = byte(r.Prefix.Bits())
	data[1] = prefBits(r.Preference)
	binary.BigEndian.PutUint32(data[2:], lifetime32(r.Lifetime))
	a := r.Prefix.Masked().Addr().As16()
	copy(data[6:], a[:])
	return layers.ICMPv6Option{Type: ndOptRouteInfo, Data: data}
}

// pio encodes a Prefix Information Option with any lifetimes.
func pio(p PrefixInfo) layers.ICMPv6Option {
	data := make([]byte, 30)
	data[0] = byte(p.Prefix.Bits())
	data[1] = 0xc0 // L and A
	binary.BigEndian.PutUint32(data[2:], lifetime32(p.Valid))
	binary.BigEndian.PutUint32(data[6:], lifetime32(p.Preferred))
	a := p.Prefix.Masked().Addr().As16()
	copy(data[14:], a[:])
	return layers.ICMPv6Option{Type: layers.ICMPv6OptPrefixInfo, Data: data}
}

// AdvertFrame builds the frame of a sent by router r to dst: source
// link-layer address, then the PIOs, then the RIOs, in the order declared
// (gopacket writes options back to front, so they are handed over
// reversed: the order on the wire is the order in which a host processes
// them, which decides, for instance, which of two new addresses is newer).
func AdvertFrame(r topology.Router, a Advert, dstMAC net.HardwareAddr, dst netip.Addr) ([]byte, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	opts := layers.ICMPv6Options{{Type: layers.ICMPv6OptSourceAddress, Data: r.MAC}}
	for _, p := range a.Prefixes {
		opts = append(opts, pio(p))
	}
	for _, rt := range a.Routes {
		opts = append(opts, routeInformation(rt))
	}
	for i, j := 0, len(opts)-1; i < j; i, j = i+1, j-1 {
		opts[i], opts[j] = opts[j], opts[i]
	}
	ra := &layers.ICMPv6RouterAdvertisement{
		HopLimit:       64,
		Flags:          prefBits(a.Preference),
		RouterLifetime: uint16(a.RouterLifetime / time.Second),
		Options:        opts,
	}
	return serializeICMPv6(r.MAC, dstMAC, r.LinkLocal, dst, layers.ICMPv6TypeRouterAdvertisement, ra)
}

// defaultAdvert is what RouterAdvertisement sends for a declared router:
// the existing checks' advertisement as a value.
func defaultAdvert(r topology.Router) Advert {
	a := Advert{Router: r.Name, Preference: r.Preference, RouterLifetime: r.Lifetime}
	switch {
	case r.Lifetime == 0:
		a.RouterLifetime = stdRouterLifetime
	case r.Lifetime < 0:
		a.RouterLifetime = 0
	}
	for _, p := range r.Prefixes {
		a.Prefixes = append(a.Prefixes, stdPrefix(p))
	}
	return a
}

// event is the advertisement as the observations record it.
func (a Advert) event(solicited bool) *observation.RAEvent {
	e := &observation.RAEvent{Router: a.Router, Solicited: solicited, Preference: a.Preference.String(),
		RouterLifetime: lifetime32(a.RouterLifetime)}
	for _, p := range a.Prefixes {
		e.Prefixes = append(e.Prefixes, observation.PIOEvent{Prefix: p.Prefix.String(), Valid: lifetime32(p.Valid), Preferred: lifetime32(p.Preferred)})
	}
	for _, r := range a.Routes {
		e.Routes = append(e.Routes, observation.RIOEvent{Prefix: r.Prefix.String(), Preference: r.Preference.String(), Lifetime: lifetime32(r.Lifetime)})
	}
	return e
}
