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
	ParseDarwin("net.inet.tcp.pcbcount: 160995\nnet.inet.udp.pcbcount: 12\nkern.ipc.maxsockets: 30720\n",
		"1024/2048 mbufs in use:\n\t0 requests for memory denied\n", "", got)
	if got["net.inet.tcp.pcbcount"] != 160995 || got["net.inet.udp.pcbcount"] != 12 || got["kern.ipc.maxsockets"] != 30720 {
		t.Errorf("sysctl counters: %v", got)
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
