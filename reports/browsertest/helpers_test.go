package browsertest

import (
	"testing"

	"github.com/netconform/netconform/reports"
)

func mustRead(t *testing.T, file string) *reports.Results {
	t.Helper()
	r, err := reports.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
