package cfil

import (
	"slices"
	"testing"
)

func TestParseQueues(t *testing.T) {
	rows, problems := parseQueues(fixture(t, "nfnetlink_queue.txt") + "   9 x\n  1 2 3\n")
	want := []QueueCounters{
		{Queue: 3, PortID: 2526759719, Waiting: 0, CopyMode: 2, CopyRange: 128, IDSequence: 5},
		{Queue: 4, PortID: 2526759720, Waiting: 2, CopyMode: 2, CopyRange: 128, Dropped: 1, IDSequence: 17},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows %+v\nwant %+v", rows, want)
	}
	if len(problems) != 2 {
		t.Errorf("problems %q: want the two unreadable rows", problems)
	}
}

func TestQueued(t *testing.T) {
	q := func(port, seq uint32) []QueueCounters {
		return []QueueCounters{{Queue: 3, PortID: port, IDSequence: seq}}
	}
	tests := []struct {
		name          string
		before, after []QueueCounters
		want          uint32
		present       bool
	}{
		{"unbound", nil, nil, 0, false},
		{"moved", q(10, 5), q(10, 8), 3, true},
		{"still", q(10, 5), q(10, 5), 0, true},
		{"bound in the window", nil, q(10, 2), 2, true},
		{"rebound by another program", q(10, 50), q(11, 4), 4, true},
		{"unbound in the window", q(10, 5), nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, present := queued(tt.before, tt.after, 3)
			if n != tt.want || present != tt.present {
				t.Errorf("queued = %d, %v; want %d, %v", n, present, tt.want, tt.present)
			}
		})
	}
}
