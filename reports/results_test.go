package reports

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
)

func sample() *Results {
	return &Results{
		Run:     Run{ID: "0123abcd", Start: time.Unix(0, 0).UTC(), End: time.Unix(4, 0).UTC(), ToolVersion: "test", Profile: "stock", ConfigDigest: "sha256:00"},
		Release: Release{ID: "linux-6.18.44-debian-12", OS: "linux", Name: "Debian", Version: "6.18.44", Build: "debian-12", Arch: "amd64"},
		Checks: []CheckResult{{Result: check.Result{ID: "ipv6.rfc8028.same-link", Verdict: check.Fail, Reason: "r",
			Observations: []byte(`[{"source":"2001:db8:a::1"}]`), Duration: check.Duration(1500 * time.Millisecond)}, Expected: check.Pass}},
	}
}

func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := Read(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got.SchemaVersion != SchemaVersion || got.Checks[0].ID != "ipv6.rfc8028.same-link" || time.Duration(got.Checks[0].Duration) != 1500*time.Millisecond {
		t.Errorf("round trip lost data: %+v", got)
	}
	var obs []map[string]string
	if err := json.Unmarshal(got.Checks[0].Observations, &obs); err != nil || obs[0]["source"] != "2001:db8:a::1" {
		t.Errorf("observations = %s", got.Checks[0].Observations)
	}
}

func TestParseRejects(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(filepath.Join(dir, "results.json"))
	tests := []struct {
		name string
		data string
		want string
		is   error
	}{
		{"truncated", string(good[:len(good)/2]), "corrupt or truncated", nil},
		{"not JSON", "hello", "corrupt or truncated", nil},
		{"foreign JSON", `{"name": "something else"}`, "not a netconform results file", nil},
		{"ginkgo report", `[{"SuitePath": "x"}]`, "corrupt or truncated", nil},
		{"newer schema", strings.Replace(string(good), `"schema_version": 2`, `"schema_version": 3`, 1), "version 3", ErrUnknownSchema},
		// A newer version whose fields changed type is named for its version,
		// not for the first field that does not decode.
		{"newer schema, other types", strings.Replace(strings.Replace(string(good), `"schema_version": 2`, `"schema_version": 3`, 1), `"checks": [`, `"checks": "elsewhere", "old_checks": [`, 1), "version 3", ErrUnknownSchema},
		{"foreign JSON, other types", `{"schema": "other", "checks": 5}`, "not a netconform results file", nil},
		{"older than any", strings.Replace(string(good), `"schema_version": 2`, `"schema_version": 0`, 1), "version 0", ErrUnknownSchema},
		{"bad verdict", strings.Replace(string(good), `"verdict": "fail"`, `"verdict": "maybe"`, 1), "invalid verdict", nil},
		{"no release id", strings.Replace(string(good), `"id": "linux-6.18.44-debian-12"`, `"id": ""`, 1), "release.id", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.json", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "x.json") {
				t.Fatalf("error = %v, want one naming x.json and containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v is not %v", err, tt.is)
			}
		})
	}
}

func TestLinuxRelease(t *testing.T) {
	osr := ParseOSRelease("# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME='Debian GNU/Linux'\nVERSION_ID=\"12\"\nID=debian\n\nbroken line\n")
	r := LinuxRelease(osr, "6.18.44-fc-v669", "#1 SMP PREEMPT_DYNAMIC", "x86_64")
	want := Release{ID: "linux-6.18.44-fc-v669-debian-12", OS: "linux", Name: "Debian GNU/Linux 12 (bookworm)", Version: "6.18.44-fc-v669",
		Build: "debian-12", Kernel: "Linux 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC", Arch: "amd64"}
	if r != want {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
	if r := LinuxRelease(map[string]string{}, "6.1", "", "aarch64"); r.Name != "Linux" || r.ID != "linux-6.1" || r.Arch != "arm64" {
		t.Errorf("empty os-release: %+v", r)
	}
	if id := ReleaseID("linux", "6.1 weird/version", ""); id != "linux-6.1_weird_version" {
		t.Errorf("ReleaseID not file-name safe: %q", id)
	}
}

func TestExpectations(t *testing.T) {
	cfg, err := config.Parse([]byte(`version: 1
known_failures:
  - {check: known, os: linux, versions: ["6.*"], reason: why, bug: FB1}
`))
	if err != nil {
		t.Fatal(err)
	}
	rel := Release{OS: "linux", Version: "6.18.44"}
	res := []check.Result{
		{ID: "ok", Verdict: check.Pass},
		{ID: "known", Verdict: check.Fail},
		{ID: "new-fail", Verdict: check.Fail, Reason: "broke"},
		{ID: "harness", Verdict: check.Error, Reason: "no lab"},
		{ID: "skipped", Verdict: check.Skip, Reason: "no root"},
	}
	cs := Expect(res, cfg, rel, "stock")
	un := strings.Join(Unexpected(cs), "\n")
	for _, want := range []string{"new-fail: fail (expected pass): broke", "harness: error"} {
		if !strings.Contains(un, want) {
			t.Errorf("unexpected list lacks %q:\n%s", want, un)
		}
	}
	for _, not := range []string{"ok:", "known:", "skipped:"} {
		if strings.Contains(un, not) {
			t.Errorf("unexpected list wrongly has %q:\n%s", not, un)
		}
	}
	// The known failure starts passing: that is a change, and says so.
	res[1].Verdict = check.Pass
	un = strings.Join(Unexpected(Expect(res, cfg, rel, "stock")), "\n")
	if !strings.Contains(un, "known: known failure (FB1) now passes") {
		t.Errorf("a known failure that passes is not flagged:\n%s", un)
	}
	if got := Summary(cs); got != "1 pass, 2 fail, 1 error, 1 skip (1 of the failures known)" {
		t.Errorf("Tally = %q", got)
	}
}

// A version 1 file (before repetitions) still reads, each check one
// repetition of its verdict.
func TestParseVersion1(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(filepath.Join(dir, "results.json"))
	v1 := strings.Replace(string(good), `"schema_version": 2`, `"schema_version": 1`, 1)
	r, err := Parse("v1.json", []byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if tl := c.TallyOf(); tl.Runs != 1 || tl.String() != string(c.Verdict)+" 1 of 1" {
			t.Errorf("%s: tally %+v (%q), want one repetition of %s", c.ID, tl, tl.String(), c.Verdict)
		}
	}
}

func TestTallyString(t *testing.T) {
	tests := []struct {
		verdicts []check.Verdict
		want     string
	}{
		{[]check.Verdict{check.Pass}, "pass 1 of 1"},
		{[]check.Verdict{check.Pass, check.Fail, check.Pass}, "fail 1 of 3, pass 2 of 3"},
		{[]check.Verdict{check.Error, check.Skip}, "error 1 of 2, skip 1 of 2"},
	}
	for _, tt := range tests {
		var tl Tally
		for _, v := range tt.verdicts {
			tl.Add(v)
		}
		if got := tl.String(); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.verdicts, got, tt.want)
		}
	}
}
