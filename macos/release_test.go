package macos

import (
	"reflect"
	"strings"
	"testing"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	return string(readFixture(t, name))
}

func TestParseRelease(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		swVers, unameR, uname string
		hwModel               string
		want                  Release
		wantErr               bool
	}{
		{
			name:   "26.5 arm64 VM",
			swVers: fixture(t, "release/sw_vers-26.5.txt"), unameR: fixture(t, "release/uname-r-26.5.txt"),
			uname: fixture(t, "release/uname-v-26.5.txt"), hwModel: fixture(t, "release/hw.model-vm.txt"),
			want: Release{ProductName: "macOS", ProductVersion: "26.5", BuildVersion: "25F71", DarwinVersion: "25.5.0",
				XNUVersion: "xnu-12377.121.6~2", KernelConfig: "RELEASE_ARM64_VMAPPLE", HWModel: "VirtualMac2,1", Arch: "arm64"},
		},
		{
			name:   "15.7 arm64 VM: a five-number kernel version",
			swVers: "ProductName:\t\tmacOS\nProductVersion:\t\t15.7.5\nBuildVersion:\t\t24G517\n", unameR: fixture(t, "release/uname-r-15.7.txt"),
			uname: fixture(t, "release/uname-v-15.7-vm.txt"), hwModel: fixture(t, "release/hw.model-vm.txt"),
			want: Release{ProductName: "macOS", ProductVersion: "15.7.5", BuildVersion: "24G517", DarwinVersion: "24.6.0",
				XNUVersion: "xnu-11417.140.69.708.3~1", KernelConfig: "RELEASE_ARM64_VMAPPLE", HWModel: "VirtualMac2,1", Arch: "arm64"},
		},
		{
			name:   "rapid security response adds ProductVersionExtra",
			swVers: fixture(t, "release/sw_vers-13.4.1-rsr.txt"),
			want:   Release{ProductName: "macOS", ProductVersion: "13.4.1", ProductVersionExtra: "(c)", BuildVersion: "22F770820d"},
		},
		{
			name:   "Intel, 15.6 kernel line",
			swVers: "ProductName:\tmacOS\nProductVersion:\t15.6\nBuildVersion:\t24G84\n", unameR: "24.6.0",
			uname: fixture(t, "release/uname-v-15.6-intel.txt"),
			want: Release{ProductName: "macOS", ProductVersion: "15.6", BuildVersion: "24G84", DarwinVersion: "24.6.0",
				XNUVersion: "xnu-11417.140.69~1", KernelConfig: "RELEASE_X86_64", Arch: "x86_64"},
		},
		{
			name:   "old name, CRLF, value containing a colon",
			swVers: "ProductName:\tMac OS X\r\nProductVersion:\t10.15.7\r\nBuildVersion:\t19H2026\r\nSomethingNew:\ta:b\r\n",
			want:   Release{ProductName: "Mac OS X", ProductVersion: "10.15.7", BuildVersion: "19H2026", Other: map[string]string{"SomethingNew": "a:b"}},
		},
		{name: "empty", swVers: "", wantErr: true},
		{name: "garbage", swVers: "sw_vers: command not found\n", wantErr: true},
		{
			name: "uname -v without xnu", swVers: "ProductVersion: 26.0\n", uname: "Darwin Kernel Version 25.0.0", wantErr: true,
			want: Release{ProductVersion: "26.0"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRelease(tc.swVers, tc.unameR, tc.uname, tc.hwModel)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if tc.wantErr && tc.want.ProductVersion == "" {
				return
			}
			if !releaseEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func releaseEqual(a, b Release) bool {
	return reflect.DeepEqual(a, b)
}

// TestXNUTag: the tag is one apple-oss-distributions/xnu publishes. Kernels
// of security updates report five numbers, never published (one five-number
// tag exists, xnu-7195.50.7.100.1): they are cut to the three-number release.
func TestXNUTag(t *testing.T) {
	for _, tc := range []struct{ version, build, tag string }{
		{"xnu-11417.121.6~3", "xnu-11417.121.6", "xnu-11417.121.6"},
		{"xnu-11417.140.69.708.3~1", "xnu-11417.140.69.708.3", "xnu-11417.140.69"},
		{"xnu-11417.140.69.705.2~1", "xnu-11417.140.69.705.2", "xnu-11417.140.69"},
		{"xnu-7195.50.7.100.1~2", "xnu-7195.50.7.100.1", "xnu-7195.50.7.100.1"},
		{"xnu-344.49", "xnu-344.49", "xnu-344.49"},
		{"xnu-12377.1.9", "xnu-12377.1.9", "xnu-12377.1.9"},
		{"xnu-12377.x.9~1", "xnu-12377.x.9", ""},
		{"xnu-", "xnu-", ""},
		{"", "", ""},
	} {
		r := Release{XNUVersion: tc.version}
		if r.XNUBuild() != tc.build || r.XNUTag() != tc.tag {
			t.Errorf("%q: build %q tag %q, want %q %q", tc.version, r.XNUBuild(), r.XNUTag(), tc.build, tc.tag)
		}
	}
	if !strings.HasPrefix(fixture(t, "release/uname-v-26.5.txt"), "Darwin Kernel Version") {
		t.Error("fixture changed")
	}
}
