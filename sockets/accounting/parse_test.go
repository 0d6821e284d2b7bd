package accounting

import (
	"reflect"
	"testing"
)

func TestParseLinux(t *testing.T) {
	got := map[string]int64{}
	ParseLinux("sockets: used 120\nTCP: inuse 3 orphan 0 tw 1 alloc 5 mem 2\n", "TCP6: inuse 2\n",
		"TCPv6 40 44 2432 13 8 : tunables 0 0 0\nkmalloc-64 9 9 64\n", got)
	want := map[string]int64{"sockstat.sockets.used": 120, "sockstat.TCP.inuse": 3, "sockstat.TCP.orphan": 0, "sockstat.TCP.tw": 1,
		"sockstat.TCP.alloc": 5, "sockstat.TCP.mem": 2, "sockstat6.TCP6.inuse": 2, "slab.TCPv6.active_objs": 40, "slab.TCPv6.num_objs": 44}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestParseDarwin(t *testing.T) {
	got := map[string]int64{}
	// zprint run without the host privilege port prints every size as 0K
	// (zone_info_redact): the size is then elements in use × element size.
	redacted := "socket                       576          0K          0K          0           0        2001     0K      0   \n" +
		"socache.zone                1872          0K          0K          0           0       20711     0K      0   \n"
	ParseDarwin("net.inet.tcp.pcbcount: 160995\nnet.inet.udp.pcbcount: 12\n",
		"1024/2048 mbufs in use:\n\t0 requests for memory denied\n", redacted, got)
	want := map[string]int64{"net.inet.tcp.pcbcount": 160995, "net.inet.udp.pcbcount": 12, "mbuf.in_use": 1024, "mbuf.requests.denied": 0,
		"zone.socket.inuse": 2001, "zone.socket.cur_size": 2001 * 576, "zone.socache.inuse": 20711, "zone.socache.cur_size": 20711 * 1872}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// TestResidualSocketCache: up to 512 closed IPv4 TCP sockets stay allocated
// in the socket cache (cached_sock_free) and are no leak; more are.
func TestResidualSocketCache(t *testing.T) {
	before := Snapshot{Counters: map[string]int64{"zone.socache.inuse": 100, "zone.socket.inuse": 100}}
	for _, tc := range []struct {
		after map[string]int64
		want  string
	}{
		{map[string]int64{"zone.socache.inuse": 612, "zone.socket.inuse": 100}, ""},
		{map[string]int64{"zone.socache.inuse": 613, "zone.socket.inuse": 100}, "zone.socache.inuse 100 → 613 (+513)"},
		{map[string]int64{"zone.socache.inuse": 100, "zone.socket.inuse": 101}, "zone.socket.inuse 100 → 101 (+1)"},
	} {
		got := Residual(before, Snapshot{Counters: tc.after})
		s := ""
		if len(got) == 1 {
			s = got[0].String()
		}
		if s != tc.want || len(got) > 1 {
			t.Errorf("after %v: %v, want %q", tc.after, got, tc.want)
		}
	}
}

func TestResidual(t *testing.T) {
	before := Snapshot{Counters: map[string]int64{"net.inet.tcp.pcbcount": 10, "sockstat.TCP.inuse": 3, "slab.TCPv6.active_objs": 40, "zone.socket.cur_size": 100}}
	after := Snapshot{Counters: map[string]int64{"net.inet.tcp.pcbcount": 160005, "sockstat.TCP.inuse": 3, "slab.TCPv6.active_objs": 80, "zone.socket.cur_size": 900}}
	got := Residual(before, after)
	if len(got) != 1 || got[0].String() != "net.inet.tcp.pcbcount 10 → 160005 (+159995)" {
		t.Errorf("Residual = %v", got)
	}
}
