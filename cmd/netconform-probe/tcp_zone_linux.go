package main

import "golang.org/x/sys/unix"

// zoneIndex is the index of the interface named zone, in the probe's
// network namespace (SIOCGIFINDEX). Not through package net: importing it
// makes the probe a cgo binary, dynamically linked, whose start-up and
// threads would slow the socket()+close() churn the seed's C program is
// compared with.
func zoneIndex(zone string) (uint32, error) {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(zone)
	if err != nil {
		return 0, err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, err
	}
	return ifr.Uint32(), nil
}
