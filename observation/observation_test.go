package observation

import (
	"encoding/json"
	"net/netip"
	"testing"
	"time"
)

// TestShapesRoundTrip: the observation types read back what they write, as
// results.json carries them between a check and a report.
func TestShapesRoundTrip(t *testing.T) {
	hops := []SourceHops{{RAOrder: []string{"a", "b"}, Source: netip.MustParseAddr("2001:db8:b::1"), Prefix: netip.MustParsePrefix("2001:db8:b::/64"),
		Expected: []string{"b"}, Sent: 3, Wire: []Hop{{Router: "a", Link: "l0", MAC: "02:00:00:00:0a:01", Frames: 3, Wrong: true, Why: "router a did not advertise it"}},
		Table: Route{Dst: netip.MustParsePrefix("::/0"), Gateway: netip.MustParseAddr("fe80::a"), Interface: "sut0"}}}
	b, err := json.Marshal(hops)
	if err != nil {
		t.Fatal(err)
	}
	var back []SourceHops
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if h := back[0].Wire[0]; !h.Wrong || h.Why == "" || back[0].Table.String() != "default via fe80::a dev sut0" {
		t.Errorf("round trip lost the marks or the route: %s", b)
	}
	var right Hop
	if err := json.Unmarshal([]byte(`{"router":"b","link":"l0","mac":"m","frames":1}`), &right); err != nil || right.Wrong {
		t.Errorf("a hop without marks: %+v %v", right, err)
	}
	if b, _ := json.Marshal(right); string(b) != `{"router":"b","link":"l0","mac":"m","frames":1}` {
		t.Errorf("a right hop carries no marks: %s", b)
	}
}

func TestDurationIsSeconds(t *testing.T) {
	b, err := json.Marshal(Duration(1500 * time.Millisecond))
	if err != nil || string(b) != "1.5" {
		t.Fatalf("%s %v", b, err)
	}
	var d Duration
	if err := json.Unmarshal([]byte("0.25"), &d); err != nil || time.Duration(d) != 250*time.Millisecond || d.Seconds() != 0.25 {
		t.Errorf("%v %v", time.Duration(d), err)
	}
	if err := json.Unmarshal([]byte(`"1s"`), &d); err == nil {
		t.Errorf("a string accepted as a duration")
	}
}
