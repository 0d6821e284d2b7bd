package churn_test

import (
	"os"
	"testing"

	"github.com/netconform/netconform/sockets/churn/probetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	probetest.Cleanup()
	os.Exit(code)
}
