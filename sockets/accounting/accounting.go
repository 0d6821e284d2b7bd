// Package accounting snapshots the kernel's socket accounting before and
// after a churn run. Every socket the probe made was closed by then, so a
// counter that stays above where it started is the evidence that matters:
// on macOS 26 users watched net.inet.tcp.pcbcount grow after close() until
// socket() returned ENOBUFS.
package accounting

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Snapshot is the accounting at one moment: each source's raw text (kept as
// evidence) and the counters parsed from it.
type Snapshot struct {
	Time     time.Time         `json:"time"`
	Texts    map[string]string `json:"-"`
	Counters map[string]int64  `json:"counters"`
	Errors   []string          `json:"errors,omitempty"`
}

// Change is one counter's movement between two snapshots.
type Change struct {
	Counter string `json:"counter"`
	Before  int64  `json:"before"`
	After   int64  `json:"after"`
}

func (c Change) String() string {
	return fmt.Sprintf("%s %d → %d (%+d)", c.Counter, c.Before, c.After, c.After-c.Before)
}

// residualSlack is how far a counter may rise with nothing left behind. The
// socket cache keeps up to MAX_CACHED_SOCKETS (512, bsd/sys/socketvar.h)
// closed PF_INET stream sockets allocated in "socache zone" for reuse
// (bsd/kern/uipc_socket.c, cached_sock_free) and frees them only after
// SO_CACHE_TIME_LIMIT (so_cache_timer): zprint counts them in use.
var residualSlack = map[string]int64{"zone.socache.inuse": 512}

// Residual lists the counters that rose between before and after, among
// those that count live sockets or their memory (Watched): what the churn
// left behind although it closed everything.
func Residual(before, after Snapshot) []Change {
	var out []Change
	for name, a := range after.Counters {
		b, ok := before.Counters[name]
		if !ok || !Watched(name) || a <= b+residualSlack[name] {
			continue
		}
		out = append(out, Change{Counter: name, Before: b, After: a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Counter < out[j].Counter })
	return out
}

// Watched reports whether a counter counts sockets in use (as opposed to,
// say, a cache's total size, which grows and stays grown by design).
func Watched(name string) bool {
	for _, suffix := range []string{".inuse", ".alloc", ".used", "pcbcount", ".denied"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// Text renders a snapshot as the evidence file's content.
func (s Snapshot) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# socket accounting at %s\n", s.Time.UTC().Format(time.RFC3339Nano))
	names := make([]string, 0, len(s.Texts))
	for n := range s.Texts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "\n## %s\n%s\n", n, strings.TrimRight(s.Texts[n], "\n"))
	}
	for _, e := range s.Errors {
		fmt.Fprintf(&b, "\n## not read: %s\n", e)
	}
	return b.String()
}
