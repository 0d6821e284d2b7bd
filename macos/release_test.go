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
				XNUVersion: "xnu-12377.121.6~2", KernelConfig: "RELEASE_ARM64_T8103", HWModel: "VirtualMac2,1", Arch: "arm64"},
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

func TestXNUTag(t *testing.T) {
	r := Release{XNUVersion: "xnu-11417.121.6~3"}
	if got := r.XNUTag(); got != "xnu-11417.121.6" {
		t.Errorf("XNUTag = %q", got)
	}
	if !strings.HasPrefix(fixture(t, "release/uname-v-26.5.txt"), "Darwin Kernel Version") {
		t.Error("fixture changed")
	}
}
