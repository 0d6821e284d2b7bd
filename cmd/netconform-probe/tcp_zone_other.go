//go:build !linux

package main

import "net"

// zoneIndex is the index of the interface named zone (darwin binaries
// link libSystem whatever they import).
func zoneIndex(zone string) (uint32, error) {
	ifi, err := net.InterfaceByName(zone)
	if err != nil {
		return 0, err
	}
	return uint32(ifi.Index), nil
}
