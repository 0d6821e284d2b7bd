package accounting

import (
	"reflect"
	"testing"
)

func TestParsers(t *testing.T) {
	got := map[string]int64{}
	ParseSockstat("sockets: used 120\nTCP: inuse 3 orphan 0 tw 1 alloc 5 mem 2\nUDP: inuse 1 mem 0\nbroken\n", got)
	ParseSockstat("TCP6: inuse 2\nUDP6: inuse 0\n", got)
	ParseSlabinfo("slabinfo - version: 2.1\n# name <active_objs> <num_objs>\nTCPv6 40 44 2432 13 8 : tunables 0 0 0\nkmalloc-64 9 9 64\nsock_inode_cache 300 330 704\n", got)
	want := map[string]int64{"sockets.used": 120, "tcp.inuse": 3, "tcp.orphan": 0, "tcp.tw": 1, "tcp.alloc": 5, "tcp.mem": 2,
		"udp.inuse": 1, "udp.mem": 0, "tcp6.inuse": 2, "udp6.inuse": 0, "slab.TCPv6.active": 40, "slab.sock_inode_cache.active": 300}
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
	before := Snapshot{Counters: map[string]int64{"net.inet.tcp.pcbcount": 10, "tcp.inuse": 3, "slab.TCPv6.active": 40, "zone.socket.cur_size": 100}}
	after := Snapshot{Counters: map[string]int64{"net.inet.tcp.pcbcount": 160005, "tcp.inuse": 3, "slab.TCPv6.active": 80, "zone.socket.cur_size": 900}}
	got := Residual(before, after)
	if len(got) != 1 || got[0].String() != "net.inet.tcp.pcbcount 10 → 160005 (+159995)" {
		t.Errorf("Residual = %v", got)
	}
}
