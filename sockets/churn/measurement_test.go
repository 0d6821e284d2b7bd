package churn_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/netconform/netconform/sockets/churn"
)

// TestMeasurementRoundTrip reads a probe document kept in testdata (a real
// AF_INET SOCK_DGRAM run on Linux 6.18 in a v1 memory cgroup limited to 4 MiB
// with the OOM killer off: socket() failed with ENOMEM and recovered),
// writes it back and reads it again: nothing may be lost on the way.
func TestMeasurementRoundTrip(t *testing.T) {
	b, err := os.ReadFile("testdata/measurement-enomem.json")
	if err != nil {
		t.Fatal(err)
	}
	var m churn.Measurement
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.FirstFailure == nil || m.FirstFailure.Errno == "" || m.Recovery == nil || len(m.Samples) == 0 || m.Samples[0].Counters["sockstat.sockets.used"] == 0 {
		t.Fatalf("fixture lost fields on the way in: %+v", m)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back churn.Measurement
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("round trip changed the measurement:\n got %+v\nwant %+v", back, m)
	}
	// And the document's own keys survive: compare generic forms.
	var a, z any
	json.Unmarshal(b, &a)
	json.Unmarshal(out, &z)
	if !reflect.DeepEqual(a, z) {
		t.Errorf("JSON keys or values changed:\n got %s\nwant %s", out, b)
	}
}

func TestSplitProgress(t *testing.T) {
	l1, _ := churn.ProgressLine(churn.Sample{Iteration: 0, Counters: map[string]int64{"a": 1}})
	l2, _ := churn.ProgressLine(churn.Sample{Iteration: 5000, Counters: map[string]int64{"a": 2}})
	stderr := "warning: something\n" + string(l1) + string(l2) + churn.ProgressPrefix + `{"iteration":100` // torn by a kill
	samples, rest := churn.SplitProgress([]byte(stderr))
	if len(samples) != 2 || samples[1].Iteration != 5000 || samples[1].Counters["a"] != 2 {
		t.Errorf("samples = %+v", samples)
	}
	if rest != "warning: something\n" {
		t.Errorf("rest = %q", rest)
	}
}
