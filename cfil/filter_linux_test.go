package cfil

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// step is one datagram of a scenario: which sender (flow) sends it and
// whether the receiver must get it.
type step struct {
	sender  int
	msg     string
	arrives bool
}

// TestFilterOnTheSUTPath checks that the NFQUEUE path really works on this
// kernel: what the filter accepts arrives, what it drops is lost although
// sendto() succeeded, for IPv4, IPv4-mapped on a dual-stack socket and IPv6.
func TestFilterOnTheSUTPath(t *testing.T) {
	sut := newLabSUT(t)
	scenarios := []struct {
		name  string
		table string
		hook  string
		mode  Mode
		steps []step
	}{
		{"accept", "", "OUTPUT", Accept, []step{{0, "hello 1", true}, {1, "hello 2", true}}},
		{"drop-first-per-flow", "", "OUTPUT", DropFirstPerFlow,
			[]step{{0, "a 1", false}, {0, "a 2", true}, {1, "b 1", false}, {1, "b 2", true}, {0, "a 3", true}}},
		{"drop-first-per-flow on input", "", "INPUT", DropFirstPerFlow, []step{{0, "a 1", false}, {0, "a 2", true}}},
		// After the filter table: where the mapped matrix's fault sits.
		{"drop-first-per-flow in mangle POSTROUTING", "mangle", "POSTROUTING", DropFirstPerFlow, []step{{0, "a 1", false}, {0, "a 2", true}, {1, "b 1", false}}},
		{"drop-first", "", "OUTPUT", DropFirst, []step{{0, "a 1", false}, {0, "a 2", true}, {1, "b 1", true}}},
	}
	for _, fam := range udpFamilies {
		for _, sc := range scenarios {
			t.Run(fam.name+"/"+sc.name, func(t *testing.T) {
				recv := openUDP(t, sut, fam)
				senders := []udpSocket{openUDP(t, sut, fam), openUDP(t, sut, fam)}
				goroutines := runtime.NumGoroutine()

				f := startFilter(t, sut, FilterConfig{Queue: 3, Table: sc.table, Hook: sc.hook, Match: []string{"-p", "udp"}, Mode: sc.mode})
				before, since := snapshot(t, sut), time.Now()
				var wantDropped []string
				for _, s := range sc.steps {
					senders[s.sender].sendTo(t, fam, recv, s.msg)
					got := recv.receive(t)
					switch {
					case s.arrives && got != s.msg:
						t.Errorf("sent %q: received %q, want it to arrive", s.msg, got)
					case !s.arrives && got != "":
						t.Errorf("sent %q: received %q, want the filter to drop it", s.msg, got)
					}
					if !s.arrives {
						wantDropped = append(wantDropped, wireFlow(fam, senders[s.sender].port, recv.port))
					}
				}
				after := snapshot(t, sut)
				a := Window(context.Background(), before, after, since, time.Now())

				t.Logf("attribution: %s", a.Summary)
				st := f.Stats()
				if st.Seen != len(sc.steps) || st.Dropped != len(wantDropped) || st.Accepted != len(sc.steps)-len(wantDropped) ||
					!slices.Equal(st.DroppedFlows, wantDropped) {
					t.Errorf("Stats = %+v, want %d seen, %d dropped %v", st, len(sc.steps), len(wantDropped), wantDropped)
				}
				if !a.FilterOnPath || !strings.Contains(a.Summary, fmt.Sprintf("saw %d packets and dropped %d", len(sc.steps), len(wantDropped))) {
					t.Errorf("Attribution: on path %v, summary %q", a.FilterOnPath, a.Summary)
				}
				if !hasLine(after.Rules, "-j NFQUEUE --queue-num 3") || !hasQueue(after.Queues, 3) || len(after.Filters) != 1 {
					t.Errorf("while running, the snapshot lacks the rule, queue or filter: %+v", after)
				}

				if err := f.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
				if err := f.Close(); err != nil {
					t.Errorf("second Close: %v", err)
				}
				closed := snapshot(t, sut)
				if hasLine(closed.Rules, "queue") || hasQueue(closed.Queues, 3) || len(closed.Filters) != 0 {
					t.Errorf("after Close, a rule, queue or filter survives: %+v", closed)
				}
				waitGoroutines(t, goroutines)
			})
		}
	}
}

// wireFlow is the flow the filter sees: a mapped socket's datagrams are
// IPv4 on the wire.
func wireFlow(fam udpFamily, from, to int) string {
	a := fam.addr.Unmap()
	if a.Is4() {
		return fmt.Sprintf("udp %s:%d -> %s:%d", a, from, a, to)
	}
	return fmt.Sprintf("udp [%s]:%d -> [%s]:%d", a, from, a, to)
}

func hasLine(lines []string, sub string) bool {
	return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, sub) })
}

func hasQueue(qs []QueueCounters, q uint16) bool {
	return slices.ContainsFunc(qs, func(c QueueCounters) bool { return c.Queue == q })
}

// TestAttributionInLab checks the conclusion drawn without our filter's help:
// nothing on the path, and a rule that exists but does not match.
func TestAttributionInLab(t *testing.T) {
	sut := newLabSUT(t)
	fam := udpFamilies[1]
	tests := []struct {
		name       string
		match      []string // nil: no filter at all
		wantOnPath bool
		want       string
	}{
		{"no filter", nil, false, "no content filter on the path (no NFQUEUE rule, queue counters unchanged)"},
		{"rule for other traffic", []string{"-p", "udp", "--dport", "9"}, false, "none matched the SUT's traffic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.match != nil {
				startFilter(t, sut, FilterConfig{Queue: 7, Hook: "OUTPUT", Match: tt.match, Mode: DropFirst})
			}
			recv, send := openUDP(t, sut, fam), openUDP(t, sut, fam)
			before, since := snapshot(t, sut), time.Now()
			send.sendTo(t, fam, recv, "hello")
			if got := recv.receive(t); got != "hello" {
				t.Errorf("received %q, want hello", got)
			}
			a := Window(context.Background(), before, snapshot(t, sut), since, time.Now())
			if a.FilterOnPath != tt.wantOnPath || !strings.Contains(a.Summary, tt.want) {
				t.Errorf("on path %v, summary %q; want %v, %q", a.FilterOnPath, a.Summary, tt.wantOnPath, tt.want)
			}
			if len(a.LogLines) != 0 || len(a.Errors) != 0 {
				t.Errorf("Linux window has log lines or errors: %+v", a)
			}
		})
	}
}
