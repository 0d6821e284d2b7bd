package macos

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// rtMsg builds one routing message as xnu writes it (bsd/net/route.h, xnu-11417.121.6): struct
// rt_msghdr / rt_msghdr2 is msglen@0, version@2, type@3, index@4, flags@8, addrs@12, then
// pid|refcnt@16, seq|parentflags@20, errno|reserved@24, use@28, inits@32 and rt_metrics@36..91;
// the sockaddrs follow, each padded to 4 bytes (rtsock.c, rt_msg2 and ROUNDUP32).
type rtMsg struct {
	typ        byte
	index      uint16
	flags      uint32
	at16, at20 uint32 // rtm_pid, rtm_seq (rt_msghdr) or rtm_refcnt, rtm_parentflags (rt_msghdr2)
	at24       uint32 // rtm_errno (rt_msghdr) or rtm_reserved (rt_msghdr2)
	use        uint32 // rtm_use at 28
	addrs      map[int][]byte
}

func (m rtMsg) bytes() []byte {
	b := make([]byte, rtMsghdrLen)
	b[2], b[3] = RTM_VERSION, m.typ
	ne := binary.NativeEndian
	ne.PutUint16(b[4:], m.index)
	ne.PutUint32(b[8:], m.flags)
	ne.PutUint32(b[16:], m.at16)
	ne.PutUint32(b[20:], m.at20)
	ne.PutUint32(b[24:], m.at24)
	ne.PutUint32(b[28:], m.use)
	var bits uint32
	for i := 0; i < RTAX_MAX; i++ {
		sa, ok := m.addrs[i]
		if !ok {
			continue
		}
		bits |= 1 << i
		b = append(b, sa...)
		for pad := roundup32(len(sa)) - len(sa); pad > 0; pad-- {
			b = append(b, 0)
		}
	}
	ne.PutUint32(b[12:], bits)
	ne.PutUint16(b[0:], uint16(len(b)))
	return b
}

// sin6 is a full sockaddr_in6 (28 bytes) holding a as the kernel does: with
// embed > 0, that index in bytes 2-3 of the address (KAME's embedded scope).
func sin6(a string, embed uint16) []byte {
	b := make([]byte, 28)
	b[0], b[1] = 28, afInet6
	ip := netip.MustParseAddr(a).As16()
	if embed > 0 {
		binary.BigEndian.PutUint16(ip[2:], embed)
	}
	copy(b[8:], ip[:])
	return b
}

// mask6 is a netmask as the radix tree keeps it: sa_len up to the last
// non-zero byte and, as rn_addmask may leave it, 0xff as the family.
func mask6(ones ...byte) []byte {
	if len(ones) == 0 {
		return []byte{} // sa_len 0: the default route's
	}
	return append([]byte{byte(8 + len(ones)), 0xff, 0, 0, 0, 0, 0, 0}, ones...)
}

func sdl(index uint16, name string, mac []byte) []byte {
	b := []byte{0, afLink, 0, 0, 6, byte(len(name)), byte(len(mac)), 0}
	binary.NativeEndian.PutUint16(b[2:], index)
	b = append(append(b, name...), mac...)
	for len(b) < 20 { // sizeof(struct sockaddr_dl)
		b = append(b, 0)
	}
	b[0] = byte(len(b))
	return b
}

// TestParseRouteMessagesDump decodes a NET_RT_DUMP2 buffer whose routes have
// carried packets: rtm_use (byte 28) is non-zero in each, and x/net/route
// would read it as an errno. Every route must come back, with its use count.
func TestParseRouteMessagesDump(t *testing.T) {
	const scoped = RTF_UP | RTF_GATEWAY | RTF_PRCLONING | RTF_IFSCOPE | RTF_GLOBAL
	ifinfo := make([]byte, 112) // an RTM_IFINFO (if_msghdr) the parser skips by its length
	binary.NativeEndian.PutUint16(ifinfo, uint16(len(ifinfo)))
	ifinfo[2], ifinfo[3] = RTM_VERSION, 0xe
	var buf []byte
	for _, m := range []rtMsg{
		{typ: RTM_GET2, index: 21, flags: scoped, at16: 3, use: 1234, addrs: map[int][]byte{
			RTAX_DST: sin6("::", 0), RTAX_GATEWAY: sin6("fe80::a", 21), RTAX_NETMASK: mask6()}},
		{typ: RTM_GET2, index: 21, flags: RTF_UP | RTF_GATEWAY | RTF_STATIC | RTF_IFSCOPE, at16: 1, use: 0x7fffffff, addrs: map[int][]byte{
			RTAX_DST: sin6("2001:db8:ffff::", 0), RTAX_GATEWAY: sin6("fe80::a", 21), RTAX_NETMASK: mask6(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)}},
		{}, // the RTM_IFINFO goes here
		{typ: RTM_GET2, index: 21, flags: RTF_UP | RTF_HOST | RTF_LLINFO | RTF_WASCLONED | RTF_IFSCOPE, use: 5, addrs: map[int][]byte{
			RTAX_DST: sin6("fe80::a", 21), RTAX_GATEWAY: sdl(21, "feth4000", []byte{2, 0, 0, 0, 0x0a, 1})}},
		{typ: RTM_GET2, index: 22, flags: RTF_UP | RTF_GATEWAY | RTF_STATIC, use: 9, addrs: map[int][]byte{
			RTAX_DST: {16, afInet, 0, 0, 192, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, RTAX_GATEWAY: {16, afInet, 0, 0, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0},
			RTAX_NETMASK: {7, 0, 0, 0, 255, 255, 255}}},
	} {
		if m.typ == 0 {
			buf = append(buf, ifinfo...)
			continue
		}
		buf = append(buf, m.bytes()...)
	}
	msgs, err := ParseRouteMessages(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 4 {
		t.Fatalf("%d messages, want 4 (every route, whatever its use count): %+v", len(msgs), msgs)
	}
	for i, want := range []struct{ use, errno, refcnt int }{{1234, 0, 3}, {0x7fffffff, 0, 1}, {5, 0, 0}, {9, 0, 0}} {
		if m := msgs[i]; m.Use != want.use || m.Errno != want.errno || m.Refcnt != want.refcnt || m.Type != RTM_GET2 {
			t.Errorf("message %d: use %d errno %d refcnt %d type %#x", i, m.Use, m.Errno, m.Refcnt, m.Type)
		}
	}
	rs := Routes(msgs, map[int]string{21: "feth4000", 22: "feth4002"})
	want := []struct{ dst, gw, ifname, flags string }{
		{"::/0", "fe80::a%feth4000", "feth4000", "UGcIg"},
		{"2001:db8:ffff::/48", "fe80::a%feth4000", "feth4000", "UGSI"},
		{"fe80::a/128", "", "feth4000", "UHLWI"},
		{"192.0.2.0/24", "192.0.2.1", "feth4002", "UGS"},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d routes: %+v", len(rs), rs)
	}
	for i, w := range want {
		r := rs[i]
		gw := ""
		if r.Gateway.IsValid() {
			gw = r.Gateway.String()
		}
		if r.Dst.String() != w.dst || gw != w.gw || r.IfName != w.ifname || r.FlagString != w.flags {
			t.Errorf("route %d: %s via %q on %s flags %s, want %+v", i, r.Dst, gw, r.IfName, r.FlagString, w)
		}
	}
	if l := rs[2].GatewayLink; l == nil || l.Name != "feth4000" || l.Index != 21 || l.Addr.String() != "02:00:00:00:0a:01" {
		t.Errorf("neighbour link %+v", rs[2].GatewayLink)
	}
}

// TestParseRouteMessagesReply: an RTM_GET reply is an rt_msghdr whose errno
// is at byte 24; byte 28 (rtm_use) says nothing about failure.
func TestParseRouteMessagesReply(t *testing.T) {
	const esrch = 3
	ok := rtMsg{typ: RTM_GET, index: 21, flags: RTF_UP | RTF_GATEWAY | RTF_DONE, at16: 4242, at20: 7, use: 55, addrs: map[int][]byte{
		RTAX_DST: sin6("::", 0), RTAX_GATEWAY: sin6("fe80::a", 21), RTAX_NETMASK: mask6(),
		RTAX_IFP: sdl(21, "feth4000", []byte{2, 0, 0, 0, 0, 1}), RTAX_IFA: sin6("fe80::1", 21)}}
	failed := rtMsg{typ: RTM_GET, at16: 4242, at20: 8, at24: esrch, addrs: map[int][]byte{RTAX_DST: sin6("2001:db8:c::1", 0)}}
	msgs, err := ParseRouteMessages(append(ok.bytes(), failed.bytes()...))
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%+v, %v", msgs, err)
	}
	if m := msgs[0]; m.Errno != 0 || m.PID != 4242 || m.Seq != 7 || m.Use != 55 || m.Addrs[RTAX_IFP].Link.Name != "feth4000" ||
		m.Addrs[RTAX_IFA].IP != netip.MustParseAddr("fe80::1") || m.Addrs[RTAX_IFA].ZoneID != 21 {
		t.Errorf("reply %+v", m)
	}
	if m := msgs[1]; m.Errno != esrch || m.Seq != 8 {
		t.Errorf("failed reply: errno %d seq %d", m.Errno, m.Seq)
	}
}

func TestParseRouteMessagesMalformed(t *testing.T) {
	good := rtMsg{typ: RTM_GET2, use: 1, addrs: map[int][]byte{RTAX_DST: sin6("2001:db8::1", 0)}}.bytes()
	short := append([]byte(nil), good[:rtMsghdrLen-4]...)
	binary.NativeEndian.PutUint16(short, uint16(len(short)))
	badSA := append([]byte(nil), good...)
	badSA[rtMsghdrLen] = 200 // sa_len past the message
	for _, tc := range []struct {
		name string
		b    []byte
		kept int
	}{
		{"length past the buffer", append(append([]byte(nil), good...), 0x40, 0, RTM_VERSION, RTM_GET2, 0, 0), 1},
		{"header cut", short, 0},
		{"sockaddr past the message", badSA, 0},
		{"stray bytes", append(append([]byte(nil), good...), 1, 2), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := ParseRouteMessages(tc.b)
			if err == nil || len(msgs) != tc.kept {
				t.Errorf("%d messages, err %v", len(msgs), err)
			}
		})
	}
	if msgs, err := ParseRouteMessages(nil); err != nil || len(msgs) != 0 {
		t.Errorf("empty: %v %v", msgs, err)
	}
}
