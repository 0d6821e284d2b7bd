package regression

import (
	"strings"

	"github.com/netconform/netconform/reports"
)

// CompareVersions orders version strings the way versions order, not the way
// strings do: 15.10 after 15.9, 26.0 after 15.7.5, Linux 6.18.44 after 6.9.
// Both are split into runs of digits (compared as numbers, of any length) and
// runs of letters (compared as text); other characters only separate. A
// version that extends another is newer ("15.7.5" after "15.7"), except when
// the extension starts with a pre-release word ("6.18-rc1" before "6.18").
func CompareVersions(a, b string) int {
	ta, tb := tokens(a), tokens(b)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if c := compareToken(ta[i], tb[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(ta) == len(tb):
		return 0
	case len(ta) > len(tb):
		if isPreRelease(ta[len(tb)]) {
			return -1
		}
		return 1
	default:
		if isPreRelease(tb[len(ta)]) {
			return 1
		}
		return -1
	}
}

// CompareBuilds orders builds within a version. An Apple build is a number, a
// letter and a number (25F71 before 25G5, 24G90 before 24G517); compared by
// parts, numbers as numbers, that is exactly CompareVersions. Linux builds
// (distribution ids such as debian-12) order the same way.
func CompareBuilds(a, b string) int { return CompareVersions(a, b) }

// osRank puts macOS first (netconform's users run it there first), then
// Linux, then anything else by name.
func osRank(os string) int {
	switch os {
	case "macos":
		return 0
	case "linux":
		return 1
	}
	return 2
}

// CompareReleases orders releases by OS, then version, then build, then id
// (so the order is total and stable).
func CompareReleases(a, b reports.Release) int {
	if ra, rb := osRank(a.OS), osRank(b.OS); ra != rb {
		return ra - rb
	}
	if c := strings.Compare(a.OS, b.OS); c != 0 {
		return c
	}
	if c := CompareVersions(a.Version, b.Version); c != 0 {
		return c
	}
	if c := CompareBuilds(a.Build, b.Build); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

type token struct {
	text  string
	digit bool
}

func tokens(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			out = append(out, token{s[i:j], true})
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			out = append(out, token{s[i:j], false})
			i = j
		default:
			i++
		}
	}
	return out
}

func compareToken(a, b token) int {
	switch {
	case a.digit && b.digit:
		x, y := strings.TrimLeft(a.text, "0"), strings.TrimLeft(b.text, "0")
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		return strings.Compare(x, y)
	case a.digit:
		// A number against a word at the same place: 6.18.1 after 6.18.rc.
		return 1
	case b.digit:
		return -1
	}
	return strings.Compare(a.text, b.text)
}

func isPreRelease(t token) bool {
	if t.digit {
		return false
	}
	switch strings.ToLower(t.text) {
	case "rc", "alpha", "beta", "pre", "dev":
		return true
	}
	return false
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
