package reports

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netconform/netconform/macos"
)

func macFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "macos", "testdata", "release", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMacRelease(t *testing.T) {
	for _, tc := range []struct {
		name                            string
		swVers, unameR, unameV, hwModel string
		want                            Release
	}{
		{
			name:   "26.5 on an arm64 VM",
			swVers: macFixture(t, "sw_vers-26.5.txt"), unameR: macFixture(t, "uname-r-26.5.txt"),
			unameV: macFixture(t, "uname-v-26.5.txt"), hwModel: macFixture(t, "hw.model-vm.txt"),
			want: Release{ID: "macos-26.5-25F71", OS: "macos", Name: "macOS", Version: "26.5", Build: "25F71",
				Kernel: "Darwin 25.5.0 (xnu-12377.121.6)", Arch: "arm64", Hardware: "VirtualMac2,1"},
		},
		{
			name:   "15.7 on an arm64 VM: a five-number kernel has no published source of its own",
			swVers: "ProductName:\tmacOS\nProductVersion:\t15.7.5\nBuildVersion:\t24G517\n", unameR: macFixture(t, "uname-r-15.7.txt"),
			unameV: macFixture(t, "uname-v-15.7-vm.txt"), hwModel: macFixture(t, "hw.model-vm.txt"),
			want: Release{ID: "macos-15.7.5-24G517", OS: "macos", Name: "macOS", Version: "15.7.5", Build: "24G517",
				Kernel: "Darwin 24.6.0 (xnu-11417.140.69.708.3, source xnu-11417.140.69)", Arch: "arm64", Hardware: "VirtualMac2,1"},
		},
		{
			name:   "rapid security response: the extra goes into the name, the build into the id",
			swVers: macFixture(t, "sw_vers-13.4.1-rsr.txt"),
			want: Release{ID: "macos-13.4.1-22F770820d", OS: "macos", Name: "macOS (c)", Version: "13.4.1",
				Build: "22F770820d", Kernel: "Darwin"},
		},
		{
			name:   "Intel 15.6: x86_64 becomes Go's amd64",
			swVers: "ProductName:\tmacOS\nProductVersion:\t15.6\nBuildVersion:\t24G84\n", unameR: "24.6.0\n",
			unameV: macFixture(t, "uname-v-15.6-intel.txt"), hwModel: "MacBookPro16,1\n",
			want: Release{ID: "macos-15.6-24G84", OS: "macos", Name: "macOS", Version: "15.6", Build: "24G84",
				Kernel: "Darwin 24.6.0 (xnu-11417.140.69)", Arch: "amd64", Hardware: "MacBookPro16,1"},
		},
		{
			name:   "old product name is still reported as macOS",
			swVers: macFixture(t, "sw_vers-catalina.txt"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Helper()
			m, err := macos.ParseRelease(tc.swVers, tc.unameR, tc.unameV, tc.hwModel)
			if err != nil {
				t.Fatal(err)
			}
			got := MacRelease(m)
			if tc.want.ID == "" {
				if got.Name != "macOS" || got.OS != "macos" || got.ID != ReleaseID("macos", m.ProductVersion, m.BuildVersion) {
					t.Errorf("got %+v", got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
