package macos

import (
	"fmt"
	"syscall"
	"testing"
	"unsafe"
)

// maxAligned returns the size of a C union of members: the largest member rounded up to the strictest
// alignment.
func maxAligned(sizes, aligns []uintptr) uintptr {
	var size, align uintptr = 0, 1
	for i := range sizes {
		size = max(size, sizes[i])
		align = max(align, aligns[i])
	}
	return (size + align - 1) / align * align
}

func TestIn6IfreqUnionSize(t *testing.T) {
	// Members of in6_ifreq's union (bsd/netinet6/in6_var.h) on LP64.
	var (
		sa       sockaddrIn6
		lifetime in6AddrLifetime
		ifstat   [25]uint64 // struct in6_ifstat
		icmp6    [34]uint64 // struct icmp6_ifstat
		scopeID  [16]uint32 // u_int32_t ifru_scope_id[SCOPE6_ID_MAX]
		data     uintptr    // caddr_t
		intval   int32
	)
	sizes := []uintptr{unsafe.Sizeof(sa), unsafe.Sizeof(lifetime), unsafe.Sizeof(ifstat), unsafe.Sizeof(icmp6), unsafe.Sizeof(scopeID), 8, unsafe.Sizeof(intval)}
	aligns := []uintptr{unsafe.Alignof(sa), 8, 8, 8, unsafe.Alignof(scopeID), unsafe.Alignof(data), unsafe.Alignof(intval)}
	if got := maxAligned(sizes, aligns); got != in6IfreqUnionSize {
		t.Fatalf("union size %d, constant %d", got, in6IfreqUnionSize)
	}
}

func TestLayoutSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"sockaddr_in6", unsafe.Sizeof(sockaddrIn6{}), 28},
		{"in6_addrlifetime", unsafe.Sizeof(in6AddrLifetime{}), 24},
		{"in6_ifreq", unsafe.Sizeof(In6Ifreq{}), 288},
		{"in6_aliasreq", unsafe.Sizeof(In6Aliasreq{}), 128},
		{"nd_ifinfo", unsafe.Sizeof(NDIfInfo{}), 56},
		{"in6_ndireq", unsafe.Sizeof(In6Ndireq{}), 72},
		{"in6_ondireq", unsafe.Sizeof(In6Ondireq{}), 48},
		{"in6_ndireq flags offset", unsafe.Offsetof(In6Ndireq{}.ND) + unsafe.Offsetof(NDIfInfo{}.Flags), 36},
		{"in6_ondireq flags offset", unsafe.Offsetof(In6Ondireq{}.ND) + unsafe.Offsetof(In6Ondireq{}.ND.Flags), 36},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d bytes, want %d", tc.name, tc.got, tc.want)
		}
	}
}

func TestIoctlNumbers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		num   uint8
		size  uintptr
		value uint32
	}{
		{"SIOCGIFINFO_IN6", 76, unsafe.Sizeof(In6Ondireq{}), SIOCGIFINFO_IN6},
		{"SIOCSIFINFO_FLAGS", 87, unsafe.Sizeof(In6Ndireq{}), SIOCSIFINFO_FLAGS},
		{"SIOCPROTOATTACH_IN6", 110, unsafe.Sizeof(In6Aliasreq{}), SIOCPROTOATTACH_IN6},
		{"SIOCLL_START", 130, unsafe.Sizeof(In6Aliasreq{}), SIOCLL_START},
		{"SIOCAUTOCONF_START", 132, unsafe.Sizeof(In6Ifreq{}), SIOCAUTOCONF_START},
		{"SIOCAUTOCONF_STOP", 133, unsafe.Sizeof(In6Ifreq{}), SIOCAUTOCONF_STOP},
	} {
		if got := IOWR('i', tc.num, tc.size); got != tc.value {
			t.Errorf("%s: computed %#x, constant %#x", tc.name, got, tc.value)
		}
	}
	// The darwin note quotes 0xC1206984 for SIOCAUTOCONF_START; the computation agrees.
	if SIOCAUTOCONF_START != 0xC1206984 {
		t.Errorf("SIOCAUTOCONF_START %#x", SIOCAUTOCONF_START)
	}
	// A known public request as a sanity check of IOWR: BIOCSBLEN = _IOWR('B', 102, u_int) = 0xc0044266.
	if got := IOWR('B', 102, 4); got != 0xc0044266 {
		t.Errorf("BIOCSBLEN computed %#x", got)
	}
}

func TestIfName(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"feth0", true}, {"feth12345678901", true}, {"feth123456789012", false}, {"", false}, {"fe\x00th", false},
	} {
		b, err := IfName(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("IfName(%q) err = %v", tc.in, err)
		}
		if tc.ok && string(b[:len(tc.in)]) != tc.in || tc.ok && b[len(tc.in)] != 0 {
			t.Errorf("IfName(%q) = %q", tc.in, b)
		}
	}
}

func TestNDFlagsWithout(t *testing.T) {
	// 0x201 is what `ifconfig` shows for a fresh feth: nd6 options=201<PERFORMNUD,DAD>.
	for _, tc := range []struct {
		in, clear, want uint32
		changed         bool
	}{
		{0x201, ND6_IFF_DAD, 0x1, true},
		{0x1, ND6_IFF_DAD, 0x1, false},
		{0x2a1, ND6_IFF_DAD, 0xa1, true},
	} {
		got, changed := NDFlagsWithout(tc.in, tc.clear)
		if got != tc.want || changed != tc.changed {
			t.Errorf("NDFlagsWithout(%#x, %#x) = %#x, %v", tc.in, tc.clear, got, changed)
		}
	}
}

// TestAttachedAlready: SIOCPROTOATTACH_IN6's EEXIST (in6_domifattach passes
// proto_plumb's answer up when IPv6 is plumbed already) is success for
// StartIPv6; any other errno is a failure.
func TestAttachedAlready(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("SIOCPROTOATTACH_IN6 feth4000: %w", syscall.EEXIST), true},
		{fmt.Errorf("SIOCPROTOATTACH_IN6 feth4000: %w", syscall.EPERM), false},
		{fmt.Errorf("SIOCPROTOATTACH_IN6 feth4000: %w", syscall.ENXIO), false},
		{nil, false},
	} {
		if got := AttachedAlready(tc.err); got != tc.want {
			t.Errorf("AttachedAlready(%v) = %v", tc.err, got)
		}
	}
}
