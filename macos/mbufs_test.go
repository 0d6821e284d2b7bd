package macos

import "testing"

func TestParseNetstatM(t *testing.T) {
	for _, tc := range []struct {
		file         string
		inUse, total int64
		clusters2K   [2]int64
		kb           int64
		pct          float64
		denied       int64
		hasDenied    bool
	}{
		{"mbufs/netstat-m.txt", 4058, 4550, [2]int64{1017, 1274}, 14318, 35.4, 3, true},
		// Some versions print the trailing counters only when non-zero.
		{"mbufs/netstat-m-quiet.txt", 484, 1238, [2]int64{240, 1004}, 7549, 8.1, 0, false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, err := ParseNetstatM(fixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.MbufsInUse != tc.inUse || s.MbufsTotal != tc.total || s.Clusters["2KB"] != tc.clusters2K ||
				s.KBAllocated != tc.kb || s.PercentInUse != tc.pct || s.Denied != tc.denied || s.HasDenied != tc.hasDenied {
				t.Errorf("%+v", s)
			}
			if len(s.Clusters) != 3 {
				t.Errorf("clusters %v", s.Clusters)
			}
		})
	}
	if _, err := ParseNetstatM("netstat: sysctl: kern.ipc.mbstat: Operation not permitted\n"); err == nil {
		t.Error("garbage accepted")
	}
	if _, err := ParseNetstatM(""); err == nil {
		t.Error("empty accepted")
	}
}

func TestParseZprint(t *testing.T) {
	zs := ParseZprint(fixture(t, "mbufs/zprint-socket.txt"))
	if len(zs) != 2 {
		t.Fatalf("%d zones: %+v", len(zs), zs)
	}
	z, ok := FindZone(zs, "socket")
	if !ok {
		t.Fatal("no socket zone")
	}
	want := ZoneStats{Name: "socket", ElemSize: 576, CurSize: 1312 << 10, MaxSize: 2952 << 10, CurElts: 2332, MaxElts: 5248,
		InUse: 2001, AllocSize: 32 << 10, AllocCount: 56, Flags: "C", Raw: z.Raw}
	if z != want {
		t.Errorf("got  %+v\nwant %+v", z, want)
	}

	old := ParseZprint(fixture(t, "mbufs/zprint-old-names.txt"))
	if len(old) != 1 || old[0].Name != "vm objects" || old[0].InUse != 172005 {
		t.Errorf("old names: %+v", old)
	}
	if _, ok := FindZone(old, "socket"); ok {
		t.Error("a cut row must not be parsed")
	}
	if len(ParseZprint("")) != 0 {
		t.Error("empty input gave zones")
	}
}
