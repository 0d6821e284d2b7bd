package topology

import (
	"context"
	"os"
	"sync"
)

// On darwin the driver is the tag-free feth lab (fethlab.go) on the real
// host. One environment per process: its labs share the state file and the
// sysctls held for them.
func init() { newOSDriver = func() (Driver, error) { return darwinDriver{}, nil } }

type darwinDriver struct{}

var (
	darwinEnvOnce sync.Once
	darwinEnv     *fethEnv
)

func thisFethEnv() *fethEnv {
	darwinEnvOnce.Do(func() { darwinEnv = newFethEnv(&darwinHost{}, StateDir, os.Getpid()) })
	return darwinEnv
}

// sutIsHost: on macOS the SUT is the Mac itself (see SUTIsHost).
func (darwinDriver) sutIsHost() bool { return true }

func (darwinDriver) Realize(ctx context.Context, lab Lab, opts Options) (Instance, error) {
	if err := CheckPrivileges(); err != nil {
		return nil, err
	}
	return thisFethEnv().realize(ctx, lab, opts)
}
