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
