package reports

import (
	"os"

	"golang.org/x/sys/unix"
)

// ThisRelease identifies the running Linux release.
func ThisRelease() (Release, error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return Release{}, err
	}
	text, err := os.ReadFile("/etc/os-release")
	if err != nil {
		text, _ = os.ReadFile("/usr/lib/os-release") // the fallback os-release(5) names
	}
	return LinuxRelease(ParseOSRelease(string(text)), unix.ByteSliceToString(u.Release[:]), unix.ByteSliceToString(u.Version[:]), unix.ByteSliceToString(u.Machine[:])), nil
}
