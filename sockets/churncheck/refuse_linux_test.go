package churncheck

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// refuseSockets makes a cgroup v2 group, named with the run id, whose
// BPF_CGROUP_INET_SOCK_CREATE program refuses every AF_INET/AF_INET6
// socket, and returns a start wrapper that moves the started probe into it
// (the probe waits for its release, so it has made no socket yet). The
// group is removed when the test ends. Skips where cgroup v2 or cgroup BPF
// is missing.
func refuseSockets(t *testing.T, runID string) func(startFunc) startFunc {
	t.Helper()
	root, err := cgroup2Mount()
	if err != nil {
		t.Skipf("no cgroup v2 hierarchy to attach a socket hook to: %v", err)
	}
	dir := filepath.Join(root, "netconform-"+runID+"-refuse-sockets")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("cgroup for the refusal: %v", err)
	}
	t.Cleanup(func() {
		if err := os.Remove(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
	})
	prog, err := loadRefuseProgram()
	if err != nil {
		t.Skipf("cannot load a cgroup socket-creation program here: %v", err)
	}
	t.Cleanup(func() { unix.Close(prog) })
	cg, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(cg)
	attr := struct{ targetFD, progFD, attachType, flags uint32 }{uint32(cg), uint32(prog), unix.BPF_CGROUP_INET_SOCK_CREATE, 0}
	if _, _, e := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_ATTACH, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr)); e != 0 {
		t.Skipf("cannot attach a socket-creation program to a cgroup here: %v", e)
	}
	return func(start startFunc) startFunc {
		return func(cmd *exec.Cmd) error {
			if err := start(cmd); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
				cmd.Process.Kill()
				return fmt.Errorf("move the probe into %s: %w", dir, err)
			}
			return nil
		}
	}
}

// loadRefuseProgram loads "r0 = 0; exit" as a BPF_PROG_TYPE_CGROUP_SOCK
// program for BPF_CGROUP_INET_SOCK_CREATE: 0 means the socket is refused
// (socket() fails with EPERM).
func loadRefuseProgram() (int, error) {
	insns := [2]struct {
		code uint8
		regs uint8
		off  int16
		imm  int32
	}{
		{code: 0xb7}, // BPF_ALU64 | BPF_MOV | BPF_K: r0 = 0
		{code: 0x95}, // BPF_JMP | BPF_EXIT
	}
	license := []byte("GPL\x00")
	attr := struct {
		progType, insnCnt     uint32
		insns, license        uint64
		logLevel, logSize     uint32
		logBuf                uint64
		kernVersion, flags    uint32
		name                  [16]byte
		ifindex, expectedType uint32
	}{
		progType: unix.BPF_PROG_TYPE_CGROUP_SOCK, insnCnt: uint32(len(insns)),
		insns: uint64(uintptr(unsafe.Pointer(&insns[0]))), license: uint64(uintptr(unsafe.Pointer(&license[0]))),
		expectedType: unix.BPF_CGROUP_INET_SOCK_CREATE,
	}
	copy(attr.name[:], "nc_refuse_sock")
	fd, _, e := unix.Syscall(unix.SYS_BPF, unix.BPF_PROG_LOAD, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr))
	if e != 0 {
		return -1, fmt.Errorf("BPF_PROG_LOAD: %w", e)
	}
	return int(fd), nil
}

// cgroup2Mount finds where the cgroup v2 hierarchy is mounted.
func cgroup2Mount() (string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ... mount-point ... - fstype source options
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		fields := strings.Fields(pre)
		if ok && strings.HasPrefix(post, "cgroup2 ") && len(fields) >= 5 {
			return fields[4], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("no cgroup2 mount in /proc/self/mountinfo")
}
