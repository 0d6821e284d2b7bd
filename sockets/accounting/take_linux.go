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
	err := sut.Do(func() error {
		for _, f := range []string{"sockstat", "sockstat6"} {
			b, err := os.ReadFile("/proc/thread-self/net/" + f)
			if err != nil {
				s.Errors = append(s.Errors, err.Error())
				continue
			}
			s.Texts["/proc/net/"+f] = string(b)
			ParseSockstat(string(b), s.Counters)
		}
		return nil
	})
	if err != nil {
		s.Errors = append(s.Errors, fmt.Sprintf("enter the SUT: %v", err))
	}
	if b, err := os.ReadFile("/proc/slabinfo"); err == nil {
		s.Texts["/proc/slabinfo"] = string(b)
		ParseSlabinfo(string(b), s.Counters)
	} else {
		s.Errors = append(s.Errors, err.Error())
	}
	return s
}
