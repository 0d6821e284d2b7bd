package macos

import "strings"

// splitLines splits command output into lines without their line endings (\n or \r\n). Empty input gives
// no lines.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// angleList parses the "HEX<NAME,NAME>" notation ifconfig uses for flags and options. It returns the value,
// the names and whether the text had that shape.
func angleList(s string) (uint64, []string, bool) {
	hex, rest, _ := strings.Cut(s, "<")
	v, ok := parseHex(hex)
	if !ok {
		return 0, nil, false
	}
	names, _, _ := strings.Cut(rest, ">")
	if names == "" {
		return v, nil, true
	}
	return v, strings.Split(names, ","), true
}

// parseHex parses hexadecimal digits, with or without a 0x prefix.
func parseHex(s string) (uint64, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if s == "" || len(s) > 16 {
		return 0, false
	}
	var v uint64
	for _, c := range s {
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

// hasName reports whether name is in names.
func hasName(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
