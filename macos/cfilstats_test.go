package macos

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestCfilStatsLayout(t *testing.T) {
	if len(cfilStatsInt32Names) != 59 || len(cfilStatsInt64Names) != 10 {
		t.Fatalf("%d int32 and %d int64 counters", len(cfilStatsInt32Names), len(cfilStatsInt64Names))
	}
	if CfilStatsSize != 320 || cfilStatsInt64Offset != 240 {
		t.Fatalf("size %d, int64 offset %d", CfilStatsSize, cfilStatsInt64Offset)
	}
	// Byte offsets a C compiler gives these fields (59 int32s, 4 bytes of padding, int64s).
	offsets := map[string]int{"ctl_connect_ok": 0, "inject_q_nobufs": 196, "inject_q_out_fail": 208, "data_out_oob": 232, "ctl_q_in_enqueued": 240, "inject_q_out_passed": 312}
	for name, off := range offsets {
		b := make([]byte, CfilStatsSize)
		if off < cfilStatsInt64Offset {
			binary.LittleEndian.PutUint32(b[off:], 0xfffffffe) // -2 as int32: sign must survive
		} else {
			binary.LittleEndian.PutUint64(b[off:], 0xfffffffffffffffe)
		}
		s, err := DecodeCfilStats(b)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := s.Get(name); !ok || v != -2 {
			t.Errorf("%s at offset %d decoded as %d, %v", name, off, v, ok)
		}
		nonzero := 0
		for _, c := range s.Counters {
			if c.Value != 0 {
				nonzero++
			}
		}
		if nonzero != 1 {
			t.Errorf("%s: %d counters non-zero", name, nonzero)
		}
	}
}

func TestCfilStatsFixtures(t *testing.T) {
	raw, err := DecodeCfilStats(readFixture(t, "sysctl/cfil-stats.bin"))
	if err != nil {
		t.Fatal(err)
	}
	dumped, err := ParseCfilStatsSysctl(fixture(t, "sysctl/sysctl-x-cfil-stats.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		want int64
	}{
		{"ctl_connect_ok", 3}, {"inject_q_nobufs", 7}, {"inject_q_out_fail", 2}, {"inject_q_out_retry", 9},
		{"inject_q_out_enqueued", 81920}, {"inject_q_out_passed", 81800}, {"data_out_oob", 0},
	} {
		for src, s := range map[string]CfilStats{"raw": raw, "sysctl -x": dumped} {
			if v, ok := s.Get(tc.name); !ok || v != tc.want {
				t.Errorf("%s: %s = %d, %v; want %d", src, tc.name, v, ok, tc.want)
			}
		}
	}
	if d := dumped.Sub(raw); len(d.Counters) != 69 || d.Map()["inject_q_nobufs"] != 0 {
		t.Errorf("Sub: %+v", d)
	}
	if _, ok := raw.Get("no_such_counter"); ok {
		t.Error("unknown counter found")
	}
}

func TestCfilStatsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"sysctl -o cuts the dump", fixture(t, "sysctl/sysctl-o-cfil-stats.txt"), "use sysctl -x"},
		{"other length", "net.cfil.stats: Format:S,cfil_stats Length:4 Dump:0x01000000", "4 bytes"},
		{"length disagrees", "net.cfil.stats: Format:S,cfil_stats Length:8 Dump:0x01000000", "Length says 8"},
		{"not hex", "net.cfil.stats: Format:S,cfil_stats Length:2 Dump:0xzz", "invalid byte"},
		{"no such oid", "sysctl: unknown oid 'net.cfil.stats'", "not an opaque"},
		{"empty", "", "not an opaque"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCfilStatsSysctl(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestParseSysctlOpaqueWrapped(t *testing.T) {
	o, err := ParseSysctlOpaque("net.api_stats: Format:S,net_api_stats Length:6 Dump:0x0102\n0304 0506\n")
	if err != nil || o.Name != "net.api_stats" || o.Format != "S,net_api_stats" || len(o.Data) != 6 || o.Data[5] != 6 {
		t.Fatalf("%+v %v", o, err)
	}
}

func TestParseSysctl(t *testing.T) {
	vals, other := ParseSysctl(fixture(t, "sysctl/sysctl-cfil.txt"))
	m := SysctlMap(fixture(t, "sysctl/sysctl-cfil.txt"))
	if len(vals) != 16 || len(other) != 1 || !strings.Contains(other[0], "unknown oid") {
		t.Fatalf("%d values, other %q", len(vals), other)
	}
	for _, tc := range []struct {
		name string
		want int64
	}{{"net.cfil.active_count", 1}, {"net.cfil.log", 3}, {"net.cfil.close_wait_timeout", 1000}, {"net.inet.tcp.pcbcount", 12}, {"net.inet.udp.pcbcount", 48}} {
		v := SysctlValue{Name: tc.name, Value: m[tc.name]}
		if n, ok := v.Int(); !ok || n != tc.want {
			t.Errorf("%s = %q", tc.name, m[tc.name])
		}
	}
	vals, _ = ParseSysctl("kern.version: Darwin Kernel Version 25.5.0: Tue; root:xnu-12377.121.6~2/RELEASE_ARM64_T8103\nkern.ostype = Darwin\n")
	if len(vals) != 2 || !strings.HasPrefix(vals[0].Value, "Darwin Kernel") || vals[1].Value != "Darwin" {
		t.Errorf("%+v", vals)
	}
	if _, ok := (SysctlValue{Value: "abc"}).Int(); ok {
		t.Error("abc is not an int")
	}
}
