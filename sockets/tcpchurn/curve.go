package tcpchurn

import (
	"fmt"
	"strings"
	"time"
)

// CurveFile is the name of the count curve in a check's evidence.
const CurveFile = "control-blocks.csv"

// Curve is the count of TCP control blocks along the run as CSV: one row
// per sample of the loop (phase "loop", with the connections made so far)
// and one per sample of the drain (phase "drain", seconds since the last
// close). It is the figure a bug report needs: the count climbing with the
// connections and not coming back down.
func Curve(m Measurement) []byte {
	var b strings.Builder
	b.WriteString("phase,connections,seconds,control_blocks,time_wait,held\n")
	for _, s := range m.Samples {
		total, ok := s.Counters[CounterTotal]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "loop,%d,%.6f,%d,%d,%d\n", s.Iteration, time.Duration(s.Elapsed).Seconds(),
			total, s.Counters[CounterTimeWait], s.Counters[CounterHeld])
	}
	if cb := m.ControlBlocks; cb != nil {
		for _, d := range cb.Drain {
			fmt.Fprintf(&b, "drain,%d,%.6f,%d,%d,%d\n", m.Iterations, time.Duration(d.Elapsed).Seconds(), d.Total, d.TimeWait, d.Held)
		}
	}
	return []byte(b.String())
}
