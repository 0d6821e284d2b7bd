package main

import (
	"golang.org/x/sys/unix"
)

// darwinSampler reads the TCP and UDP PCB counts: on macOS 26 a JavaScript
// runtime's CI saw net.inet.tcp.pcbcount grow after close() until socket()
// returned ENOBUFS, so growth that outlives close() is the evidence.
type darwinSampler struct{}

func newSampler() sampler { return darwinSampler{} }

func (darwinSampler) sample(c map[string]int64) (errs []string) {
	for _, name := range []string{"net.inet.tcp.pcbcount", "net.inet.udp.pcbcount"} {
		v, err := unix.SysctlUint32(name)
		if err != nil {
			errs = append(errs, name+": "+err.Error())
			continue
		}
		c[name] = int64(v)
	}
	// darwin reports ru_maxrss in bytes (Linux: KiB); it is the peak, the
	// only RSS darwin gives a process about itself without Mach calls.
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err == nil {
		c["proc.maxrss_bytes"] = ru.Maxrss
	} else {
		errs = append(errs, "getrusage: "+err.Error())
	}
	return errs
}
