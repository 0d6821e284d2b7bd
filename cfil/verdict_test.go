package cfil

import (
	"slices"
	"testing"
)

func TestVerdicts(t *testing.T) {
	flows := []string{"a", "a", "b", "a", "b", "c"}
	tests := []struct {
		mode Mode
		want []bool // accept, per packet of flows
	}{
		{Accept, []bool{true, true, true, true, true, true}},
		{DropFirstPerFlow, []bool{false, true, false, true, true, false}},
		{DropFirst, []bool{false, true, true, true, true, true}},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			v := newVerdicts(tt.mode)
			var got []bool
			var dropped []string
			for i, f := range flows {
				a := v.decide(f)
				got = append(got, a)
				if !tt.want[i] {
					dropped = append(dropped, f)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("verdicts %v, want %v", got, tt.want)
			}
			st := v.snapshot()
			if st.Seen != len(flows) || st.Dropped != len(dropped) || st.Accepted != len(flows)-len(dropped) || !slices.Equal(st.DroppedFlows, dropped) {
				t.Errorf("stats %+v, want dropped %v", st, dropped)
			}
			st.DroppedFlows = append(st.DroppedFlows[:0], "changed")
			if len(dropped) > 0 && v.snapshot().DroppedFlows[0] == "changed" {
				t.Error("snapshot shares its slice with the filter")
			}
		})
	}
}

// TestHoldFirstPerFlow: a new flow's first packet is held and the flow's
// later packets queue behind it; its release gives them all, in order; the
// flow's packets after that pass at once; another flow is held apart.
func TestHoldFirstPerFlow(t *testing.T) {
	v := newVerdicts(HoldFirstPerFlow)
	steps := []struct {
		flow string
		id   uint32
		want holdStep
	}{
		{"a", 1, holdStarted}, {"a", 2, holdQueued}, {"b", 3, holdStarted}, {"a", 4, holdQueued},
	}
	for _, s := range steps {
		if got := v.hold(s.flow, s.id); got != s.want {
			t.Fatalf("packet %d of %s: step %d, want %d", s.id, s.flow, got, s.want)
		}
	}
	if got := v.release("a"); !slices.Equal(got, []uint32{1, 2, 4}) {
		t.Fatalf("release a = %v, want 1 2 4 in order", got)
	}
	if got := v.hold("a", 5); got != holdPassed {
		t.Errorf("a packet of a released flow: step %d, want it passed", got)
	}
	if got := v.hold("b", 6); got != holdQueued {
		t.Errorf("b is still held: step %d", got)
	}
	if got := v.release("b"); !slices.Equal(got, []uint32{3, 6}) {
		t.Errorf("release b = %v", got)
	}
	if st := v.snapshot(); st.Seen != 6 || st.Held != 5 || st.Accepted != 6 || st.Dropped != 0 {
		t.Errorf("stats %+v: want 6 seen, 5 held, 6 accepted", st)
	}
}
