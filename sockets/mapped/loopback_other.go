//go:build !linux

package mapped

// loopbackInLab: on macOS the SUT is the machine itself and its loopback is
// the Mac's own lo0, outside any lab: netconform sends nothing there (the
// project's rule: no traffic outside the lab). repro.c's loopback case
// (`-d loopback`) is how a person tries it on their own Mac.
const loopbackInLab = false

const loopbackMissing = "the mapped-loopback destination runs only where the SUT's loopback belongs to the lab (Linux namespaces); on macOS lo0 is the Mac's own: run repro.c -d loopback by hand"
