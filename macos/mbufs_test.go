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

// TestParseZprintRealShapes: the rows zprint prints besides the plain one.
// Without the host privilege port every size is zeroed (zalloc.c,
// zone_info_redact) but the in-use count stays: "0K" beside 2001 elements in
// use must not read as an empty zone. The socket cache zone is printed with a
// dot for its space, and a zone with a preposterous maximum has "-------".
func TestParseZprintRealShapes(t *testing.T) {
	for _, tc := range []struct {
		file, zone                 string
		inUse, size, maxSize, elts int64
	}{
		{"mbufs/zprint-socket-redacted.txt", "socket", 2001, 2001 * 576, 0, 0},
		{"mbufs/zprint-socache.txt", "socache zone", 20711, 39256 << 10, 41840 << 10, 21473},
		{"mbufs/zprint-socket-unbounded.txt", "socket", 2001, 1312 << 10, -1, 2332},
	} {
		t.Run(tc.file, func(t *testing.T) {
			z, ok := FindZone(ParseZprint(fixture(t, tc.file)), tc.zone)
			if !ok {
				t.Fatalf("no zone %q", tc.zone)
			}
			if z.InUse != tc.inUse || z.Size() != tc.size || z.MaxSize != tc.maxSize || z.CurElts != tc.elts {
				t.Errorf("%+v: size %d", z, z.Size())
			}
			if tc.maxSize < 0 && z.MaxElts != -1 {
				t.Errorf("max elements %d, want -1 for -------", z.MaxElts)
			}
		})
	}
}
