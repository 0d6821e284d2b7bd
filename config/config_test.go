package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // error substring; "" = valid
	}{
		{"minimal", "version: 1\n", ""},
		{"empty", "", "empty"},
		{"no version", "procs: 2\n", "version is 0"},
		{"unknown top-level key", "version: 1\nprocz: 2\n", "field procz not found"},
		{"unknown param", "version: 1\nparams:\n  ipv6:\n    datagram: 3\n", "field datagram not found"},
		{"bad duration", "version: 1\ntimeout: soon\n", "soon"},
		{"unknown suite", "version: 1\nsuites: [ipv7]\n", `unknown suite "ipv7"`},
		{"procs out of range", "version: 1\nprocs: 100\n", "procs: 100"},
		{"repeat negative", "version: 1\nrepeat: -2\n", "repeat: -2"},
		{"repeat ten", "version: 1\nrepeat: 10\n", ""},
		{"undefined default profile", "version: 1\nprofile: fast\n", `profile: "fast" is not defined`},
		{"zero datagrams after default", "version: 1\nparams:\n  ipv6:\n    datagrams: -1\n", "datagrams: -1"},
		{"known failure, bad os", "version: 1\nknown_failures:\n  - {check: x, os: windows, versions: ['*'], reason: r, bug: b}\n", `os "windows"`},
		{"known failure, bad pattern", "version: 1\nknown_failures:\n  - {check: x, os: macos, versions: ['[15'], reason: r, bug: b}\n", "pattern"},
		{"known failure, unknown profile", "version: 1\nknown_failures:\n  - {check: x, os: macos, versions: ['*'], reason: r, bug: b, profile: p}\n", `profile "p" is not defined`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse([]byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile != "stock" || c.Procs != DefaultProcs || c.Repeat != 1 || c.Output != "out" || c.Params.IPv6.Datagrams != 3 || c.Params.IPv6.WireTimeout != 3*time.Second {
		t.Errorf("defaults not applied: %+v", c)
	}
	if _, ok := c.Profiles["stock"]; !ok {
		t.Error("stock profile not defined by default")
	}
	if !strings.HasPrefix(c.Digest, "sha256:") {
		t.Errorf("digest %q", c.Digest)
	}
}

func TestKnown(t *testing.T) {
	c, err := Parse([]byte(`version: 1
profiles:
  other: {}
known_failures:
  - {check: a, os: macos, versions: ["15.6.*", "26.*"], reason: r, bug: FB1}
  - {check: b, os: linux, versions: ["*"], profile: other, reason: r, bug: FB2}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		check, os, version, profile string
		want                        bool
	}{
		{"a", "macos", "15.6.1", "stock", true},
		{"a", "macos", "26.0", "stock", true},
		{"a", "macos", "15.5", "stock", false},
		{"a", "linux", "15.6.1", "stock", false},
		{"b", "linux", "6.18.44", "other", true},
		{"b", "linux", "6.18.44", "stock", false},
	}
	for _, tt := range tests {
		if _, got := c.Known(tt.check, tt.os, tt.version, tt.profile); got != tt.want {
			t.Errorf("Known(%s, %s, %s, %s) = %v, want %v", tt.check, tt.os, tt.version, tt.profile, got, tt.want)
		}
	}
}

// TestShippedConfig keeps ginkgo.yaml loadable with the profiles the README
// and the self-validation rely on.
func TestShippedConfig(t *testing.T) {
	c, err := Load("../ginkgo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"stock", "source-routing"} {
		if _, ok := c.Profiles[p]; !ok {
			t.Errorf("ginkgo.yaml lacks profile %s", p)
		}
	}
	if _, err := os.Stat("../ginkgo.yaml"); err != nil {
		t.Fatal(err)
	}
}
