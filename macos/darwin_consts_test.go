//go:build darwin

package macos

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// On a Mac, check the tag-free copies of kernel constants against x/sys/unix's generated ones.

func TestRouteFlagsMatchUnix(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ours, sys int
	}{
		{"RTF_UP", RTF_UP, unix.RTF_UP}, {"RTF_GATEWAY", RTF_GATEWAY, unix.RTF_GATEWAY}, {"RTF_HOST", RTF_HOST, unix.RTF_HOST},
		{"RTF_CLONING", RTF_CLONING, unix.RTF_CLONING}, {"RTF_LLINFO", RTF_LLINFO, unix.RTF_LLINFO},
		{"RTF_STATIC", RTF_STATIC, unix.RTF_STATIC}, {"RTF_PRCLONING", RTF_PRCLONING, unix.RTF_PRCLONING},
		{"RTF_WASCLONED", RTF_WASCLONED, unix.RTF_WASCLONED}, {"RTF_IFSCOPE", RTF_IFSCOPE, unix.RTF_IFSCOPE},
		{"RTF_IFREF", RTF_IFREF, unix.RTF_IFREF}, {"RTF_ROUTER", RTF_ROUTER, unix.RTF_ROUTER},
		{"RTF_GLOBAL", RTF_GLOBAL, unix.RTF_GLOBAL}, {"RTF_MULTICAST", RTF_MULTICAST, unix.RTF_MULTICAST},
		{"RTAX_NETMASK", RTAX_NETMASK, unix.RTAX_NETMASK}, {"RTAX_IFP", RTAX_IFP, unix.RTAX_IFP},
	} {
		if tc.ours != tc.sys {
			t.Errorf("%s: ours %#x, x/sys %#x", tc.name, tc.ours, tc.sys)
		}
	}
}

func TestErrnoNamesMatchUnix(t *testing.T) {
	for n, name := range darwinErrnoNames {
		if got := unix.ErrnoName(syscall.Errno(n)); got != name && !(n == 35 && got == "EWOULDBLOCK") {
			t.Errorf("%d: ours %s, x/sys %s", n, name, got)
		}
	}
}

func TestBPFRequestsMatchUnix(t *testing.T) {
	if got := IOWR('B', 102, 4); got != unix.BIOCSBLEN {
		t.Errorf("BIOCSBLEN computed %#x, x/sys %#x", got, unix.BIOCSBLEN)
	}
}
