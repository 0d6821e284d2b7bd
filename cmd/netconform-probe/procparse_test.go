package main

import "testing"

func TestParseVmRSS(t *testing.T) {
	rss, ok := parseVmRSS([]byte("Name:\tprobe\nVmHWM:\t    1752 kB\nVmRSS:\t    1700 kB\n"))
	if !ok || rss != 1700<<10 {
		t.Errorf("got %d %v", rss, ok)
	}
	if _, ok := parseVmRSS([]byte("Name:\tprobe\n")); ok {
		t.Error("found VmRSS where there is none")
	}
}

func TestParseMemoryCgroup(t *testing.T) {
	hybrid := "9:name=systemd:/\n4:memory:/process_api/5136\n0::/\n"
	if p, v1 := parseMemoryCgroup([]byte(hybrid)); p != "/process_api/5136" || !v1 {
		t.Errorf("hybrid: %q %v", p, v1)
	}
	if p, v1 := parseMemoryCgroup([]byte("0::/user.slice/x.scope\n")); p != "/user.slice/x.scope" || v1 {
		t.Errorf("v2: %q %v", p, v1)
	}
}
