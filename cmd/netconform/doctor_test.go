package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/netconform/netconform/doctor"
	"github.com/netconform/netconform/topology"
)

func TestDoctorCmdArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"doctor", "--bogus"}, "flag provided but not defined"},
		{[]string{"doctor", "extra"}, `unexpected argument "extra"`},
		{[]string{"doctor", "--run-id", "xyz"}, "not 8 hex digits"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := dispatch(tt.args, &out, &errOut)
		if code != doctor.ExitNoProbe || !strings.Contains(out.String()+errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, output %q %q; want 2 and %q", tt.args, code, out.String(), errOut.String(), tt.want)
		}
	}
	var out bytes.Buffer
	if dispatch([]string{"--help"}, &out, &out); !strings.Contains(out.String(), "doctor") {
		t.Errorf("usage does not list doctor:\n%s", out.String())
	}
}

// TestDoctorCmdJSON: the JSON is the report, and the exit status is its.
func TestDoctorCmdJSON(t *testing.T) {
	if err := topology.CheckPrivileges(); err != nil {
		t.Skipf("needs root: the doctor creates a namespace, a veth pair and a cgroup (%v)", err)
	}
	var out, errOut bytes.Buffer
	code := dispatch([]string{"doctor", "--json"}, &out, &errOut)
	var r doctor.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("exit %d: %v\n%s%s", code, err, out.String(), errOut.String())
	}
	if code != r.ExitCode() || len(r.Items) == 0 {
		t.Errorf("exit %d, report says %d (%d rows)", code, r.ExitCode(), len(r.Items))
	}
}
