//go:build !linux && !darwin

package accounting

func readMachine() Machine {
	return Machine{Errors: []string{"no TCP control-block count on this OS (netconform reads Linux's and macOS's)"}}
}
