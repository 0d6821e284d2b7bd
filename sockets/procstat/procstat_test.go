package procstat

import (
	"os"
	"testing"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSockstat(t *testing.T) {
	c := map[string]int64{}
	ParseSockstat(fixture(t, "sockstat.txt"), "sockstat", c)
	ParseSockstat(fixture(t, "sockstat6.txt"), "sockstat6", c)
	for _, k := range []string{"sockstat.sockets.used", "sockstat.TCP.inuse", "sockstat.TCP.alloc", "sockstat.TCP.mem", "sockstat.UDP.mem", "sockstat6.TCP6.inuse", "sockstat6.UDP6.inuse"} {
		if _, ok := c[k]; !ok {
			t.Errorf("missing %s in %v", k, c)
		}
	}
	c = map[string]int64{}
	ParseSockstat([]byte("sockets: used 14\nTCP: inuse 1 orphan 0 tw 2 alloc 3 mem 189\n"), "sockstat", c)
	if c["sockstat.sockets.used"] != 14 || c["sockstat.TCP.tw"] != 2 || c["sockstat.TCP.alloc"] != 3 || c["sockstat.TCP.mem"] != 189 {
		t.Errorf("got %v", c)
	}
}

func TestParseSlabinfo(t *testing.T) {
	c := map[string]int64{}
	ParseSlabinfo(fixture(t, "slabinfo.txt"), c)
	for _, cache := range SlabCaches {
		if _, ok := c["slab."+cache+".active_objs"]; !ok {
			t.Errorf("missing %s in %v", cache, c)
		}
	}
	if _, ok := c["slab.kmalloc-64.active_objs"]; ok {
		t.Errorf("took a cache it was not asked for: %v", c)
	}
	c = map[string]int64{}
	ParseSlabinfo([]byte("TCPv6                 26     27   2560   12    8 : tunables 0 0 0 : slabdata 2 2 0\nTCPv6x 1 2 3\n"), c)
	if c["slab.TCPv6.active_objs"] != 26 || c["slab.TCPv6.num_objs"] != 27 || len(c) != 2 {
		t.Errorf("got %v", c)
	}
}
