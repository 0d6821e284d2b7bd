package evidence

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netconform/netconform/reports"
)

var tcpCheckIDs = []string{
	"sockets.churn.connect6", "sockets.churn.connect4", "sockets.churn.connect-mapped",
	"sockets.churn.close-connecting6", "sockets.churn.close-connecting4", "sockets.churn.close-connecting-mapped",
	"sockets.churn.abort6", "sockets.churn.abort4", "sockets.churn.abort-mapped",
	rstCheckID,
}

func TestTCPReproducerDefaultsFollowTheCheck(t *testing.T) {
	tests := []struct {
		id, obs string
		want    []string
	}{
		{"sockets.churn.abort-mapped", `{"config":{"pattern":"abort","family":"mapped","count":1234}}`,
			[]string{`#define DEFAULT_PATTERN "abort"`, "#define DEFAULT_COUNT 1234", `#define DEFAULT_FAMILY "mapped"`}},
		// Words come from the id, never from the observations.
		{"sockets.churn.close-connecting4", `{"config":{"pattern":"x\"; system(\"y","family":"inet\n#include","count":-1}}`,
			[]string{`#define DEFAULT_PATTERN "close-connecting"`, "#define DEFAULT_COUNT 2000", `#define DEFAULT_FAMILY "inet"`}},
		{rstCheckID, `{"paths":[{"name":"loopback IPv6","measurement":{"config":{"family":"inet6","count":200},"rst":{"connections":200,"reset":200}}},
			{"name":"loopback IPv4","measurement":{"config":{"family":"inet","count":150},"rst":{"connections":150,"reset":143}}}]}`,
			[]string{`#define DEFAULT_PATTERN "rst"`, "#define DEFAULT_COUNT 150", `#define DEFAULT_FAMILY "inet"`}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := reports.CheckResult{Result: checkResult(tt.id)}
			c.Observations = []byte(tt.obs)
			rp := reproducerFor(c)
			for _, w := range tt.want {
				if !strings.Contains(string(rp.source), w) {
					t.Errorf("repro.c lacks %s", w)
				}
			}
			if strings.Contains(string(rp.source), "system(") {
				t.Error("observations reached the C source")
			}
		})
	}
	if rp := reproducerFor(reports.CheckResult{Result: checkResult("sockets.churn.stream6")}); rp == nil || !strings.Contains(string(rp.source), "DEFAULT_TYPE") {
		t.Error("the socket()+close() checks lost their own reproducer")
	}
}

// TestTCPChurnBundle: the bundle of a failing TCP churn check carries the
// count curve the check wrote and the reproducer of the exact pattern that
// failed, and feedback.md tells how to run it.
func TestTCPChurnBundle(t *testing.T) {
	rd, r := fixtureRelease(t, "fixture-macos-26.0")
	const id = "sockets.churn.close-connecting-mapped"
	c := checkOf(t, r, "sockets.churn.stream6")
	c.ID, c.Title = id, "IPv4-mapped IPv6 close() during a non-blocking connect that has not completed: TCP control blocks are freed"
	c.Reason = "1874 TCP control blocks stayed after 2000 non-blocking IPv4-mapped IPv6 connects to a lab peer that drops SYNs, each closed before it completed: 937.0 per thousand connections"
	c.Observations = json.RawMessage(`{"config":{"pattern":"close-connecting","family":"mapped","count":2000,"peer":"[::ffff:192.0.2.2]:4702"}}`)
	curve := "phase,connections,seconds,control_blocks,time_wait,held\nloop,0,0,40,2,38\nloop,2000,0.5,1950,2,1948\ndrain,2000,15,1914,2,1912\n"
	if err := os.MkdirAll(filepath.Join(rd, "evidence", id), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rd, "evidence", id, "control-blocks.csv"), []byte(curve), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, err := Bundle(rd, r, c, "")
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Join(tarNames(t, dir+".tar.gz"), " ")
	for _, f := range []string{id + "/control-blocks.csv", id + "/" + ReproFile, id + "/" + FeedbackFile} {
		if !strings.Contains(names, f) {
			t.Errorf("tarball lacks %s: %s", f, names)
		}
	}
	src, _ := os.ReadFile(filepath.Join(dir, ReproFile))
	fb, _ := os.ReadFile(filepath.Join(dir, FeedbackFile))
	for _, w := range []string{`#define DEFAULT_PATTERN "close-connecting"`, `#define DEFAULT_FAMILY "mapped"`, "#define DEFAULT_COUNT 2000"} {
		if !strings.Contains(string(src), w) {
			t.Errorf("repro.c lacks %s", w)
		}
	}
	for _, w := range []string{"./repro close-connecting 2000 mapped", "control-blocks.csv", "937.0 per thousand connections", "loopback listener whose accept queue is full"} {
		if !strings.Contains(string(fb), w) {
			t.Errorf("feedback.md lacks %q", w)
		}
	}
}
