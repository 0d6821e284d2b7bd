package accounting

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/netconform/netconform/topology"
)

// Take runs the tools whose output users attach to the macOS 26 reports:
// the pcb counts, kern.ipc, netstat -m and zprint socket.
func Take(ctx context.Context, _ topology.SUT) Snapshot {
	s := Snapshot{Time: time.Now(), Texts: map[string]string{}, Counters: map[string]int64{}}
	run := func(name string, args ...string) string {
		out, err := exec.CommandContext(ctx, name, args...).Output()
		if err != nil {
			s.Errors = append(s.Errors, fmt.Sprintf("%s %v: %v", name, args, err))
		}
		s.Texts[name+" "+fmt.Sprint(args)] = string(out)
		return string(out)
	}
	sysctl := run("sysctl", "net.inet.tcp.pcbcount", "net.inet.udp.pcbcount", "kern.ipc.numopensockets", "kern.ipc.maxsockets")
	netstatM := run("netstat", "-m")
	zprint := run("zprint", "socket")
	ParseDarwin(sysctl, netstatM, zprint, s.Counters)
	return s
}
