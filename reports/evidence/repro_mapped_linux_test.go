package evidence

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMappedReproSeesTheLoss: the reproducer fails (exit 1) on a kernel
// that loses the first datagram of each flow after the call returned: a
// fresh network namespace of its own (unshare -n: nothing of the host's
// network is touched, and it goes with the process) whose input path drops
// the first UDP packet of each flow (hashlimit, a burst of one per
// 4-tuple), for the seed's case and a matrix case.
func TestMappedReproSeesTheLoss(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	for _, tool := range []string{"unshare", "ip", "iptables"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	bin := compileRepro(t, reproducerFor(matrixResult(t)))
	fault := "ip link set lo up && iptables -w 5 -I INPUT -p udp -m hashlimit --hashlimit-name ncrepro " +
		"--hashlimit-mode srcip,srcport,dstip,dstport --hashlimit-upto 1/hour --hashlimit-burst 1 -j DROP && "
	for _, args := range []string{"", "-b mapped-any -c sendmsg+IP_PKTINFO -d loopback", "-b unbound -c connect+send -d loopback"} {
		out, err := exec.Command("unshare", "-n", "sh", "-c", fault+bin+" -k 2 "+args).CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Errorf("%q: %v, want exit 1\n%s", args, err, out)
			continue
		}
		for _, want := range []string{"datagram 1: delivered 0/2, lost after a successful call 2", "datagram 2: delivered 2/2", "RESULT: FAIL: the bug is present"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("%q: output lacks %q\n%s", args, want, out)
			}
		}
	}
}
