//go:build linux

package cgroup

import "testing"

func TestSelfPaths(t *testing.T) {
	v1, v2 := selfPaths([]byte("9:name=systemd:/\n4:memory:/process_api/5136\n1:cpu,cpuacct:/\n0::/\n"))
	if v1 != "/process_api/5136" || v2 != "/" {
		t.Errorf("hybrid: %q %q", v1, v2)
	}
	v1, v2 = selfPaths([]byte("0::/user.slice/session-1.scope\n"))
	if v1 != "" || v2 != "/user.slice/session-1.scope" {
		t.Errorf("v2: %q %q", v1, v2)
	}
}

func TestParseKV(t *testing.T) {
	kv := parseKV("oom_kill_disable 1\nunder_oom 0\noom_kill 3\n")
	if kv["oom_kill_disable"] != 1 || kv["oom_kill"] != 3 || kv["under_oom"] != 0 {
		t.Errorf("v1 oom_control: %v", kv)
	}
	kv = parseKV("low 0\nhigh 0\nmax 17\noom 2\noom_kill 2\noom_group_kill 1\n")
	if kv["max"] != 17 || kv["oom_kill"] != 2 {
		t.Errorf("v2 memory.events: %v", kv)
	}
}
