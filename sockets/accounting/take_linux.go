package accounting

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/netconform/netconform/topology"
)

// Take reads the SUT namespace's sockstat (through /proc/thread-self: plain
// /proc/net follows the process's main thread, which is not in the
// namespace) and the kernel-wide socket slab caches.
func Take(ctx context.Context, sut topology.SUT) Snapshot {
	s := Snapshot{Time: time.Now(), Texts: map[string]string{}, Counters: map[string]int64{}}
	read := func(name, path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			s.Errors = append(s.Errors, err.Error())
		}
		s.Texts[name] = string(b)
		return string(b)
	}
	var sockstat, sockstat6 string
	if err := sut.Do(func() error {
		sockstat = read("/proc/net/sockstat", "/proc/thread-self/net/sockstat")
		sockstat6 = read("/proc/net/sockstat6", "/proc/thread-self/net/sockstat6")
		return nil
	}); err != nil {
		s.Errors = append(s.Errors, fmt.Sprintf("enter the SUT: %v", err))
	}
	ParseLinux(sockstat, sockstat6, read("/proc/slabinfo", "/proc/slabinfo"), s.Counters)
	return s
}
