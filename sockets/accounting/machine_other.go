//go:build !linux && !darwin

package accounting

import "runtime"

func readMachine() Machine {
	return Machine{Errors: []string{"no TCP control-block count on " + runtime.GOOS}}
}
