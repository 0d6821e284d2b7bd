package regression

import (
	"testing"

	"github.com/netconform/netconform/reports"
)

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"15.9", "15.10", -1},
		{"15.10", "15.9", 1},
		{"15.7.5", "26.0", -1},
		{"15.6", "15.6.1", -1},
		{"15.6.1", "15.7.5", -1},
		{"14.7", "15.5", -1},
		{"26.0", "26.0", 0},
		{"26.5", "26.10", -1},
		{"6.9", "6.18.44", -1},
		{"6.18.44", "6.18.5", 1},
		{"6.1.0-27-amd64", "6.1.0-28-amd64", -1},
		{"6.1.0-9-amd64", "6.1.0-27-amd64", -1},
		{"6.18-rc1", "6.18", -1},
		{"6.18", "6.18-rc7", 1},
		{"6.18-rc2", "6.18-rc10", -1},
		{"007", "7", 0},
		{"99999999999999999999", "100000000000000000000", -1}, // longer than int64
		{"", "1", -1},
	}
	for _, tt := range tests {
		if got := sign(CompareVersions(tt.a, tt.b)); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCompareBuilds(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"25F71", "25G5", -1},   // letter first, not string order of the whole
		{"24G90", "24G517", -1}, // numbers as numbers
		{"24G517", "24G90", 1},
		{"23H124", "24F74", -1},
		{"25A354", "25A354", 0},
		{"debian-12", "debian-13", -1},
	}
	for _, tt := range tests {
		if got := sign(CompareBuilds(tt.a, tt.b)); got != tt.want {
			t.Errorf("CompareBuilds(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCompareReleases(t *testing.T) {
	rel := func(os, v, b string) reports.Release {
		return reports.Release{ID: reports.ReleaseID(os, v, b), OS: os, Version: v, Build: b}
	}
	ordered := []reports.Release{
		rel("macos", "14.7", "23H124"),
		rel("macos", "15.5", "24F74"),
		rel("macos", "15.6.1", "24G90"),
		rel("macos", "15.7.5", "24G517"),
		rel("macos", "15.10", "24H1"),
		rel("macos", "26.0", "25A354"),
		rel("macos", "26.5", "25F71"),
		rel("macos", "26.5", "25G5"),
		rel("linux", "6.9", "debian-12"),
		rel("linux", "6.18.44", "debian-12"),
		rel("linux", "6.18.44", "ubuntu-24.04"),
		rel("freebsd", "14.1", ""),
	}
	for i := range ordered {
		for j := range ordered {
			want := sign(i - j)
			if got := sign(CompareReleases(ordered[i], ordered[j])); got != want {
				t.Errorf("CompareReleases(%s, %s) = %d, want %d", ordered[i].ID, ordered[j].ID, got, want)
			}
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
