package cfil

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/topology"
)

// TestFaultInjectionThroughHarness is how the self-validation uses the
// filter: Env.Setup puts it on every lab, Lab.OnClose takes it off before
// the namespace goes.
func TestFaultInjectionThroughHarness(t *testing.T) {
	var filter *Filter
	env := labtest.Env(t, "cfil-selftest")
	env.Setup = func(ctx context.Context, lab *harness.Lab) error {
		f, err := StartFilter(ctx, lab.SUT(), FilterConfig{Queue: 1, Hook: "OUTPUT", Match: []string{"-p", "udp"}, Mode: DropFirstPerFlow})
		if err != nil {
			return err
		}
		filter = f
		lab.OnClose(f.Close)
		return nil
	}
	lab, err := env.Realize(context.Background(), topology.Lab{Name: "cfilh", Links: []topology.Link{{
		Name: "l0", SUTIf: "sut0", SUTMAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 0x02}, SUTIPv4: netip.PrefixFrom(sutIPv4, 24),
	}}}, "fault")
	if err != nil {
		t.Fatal(err)
	}
	fam := udpFamilies[1] // IPv4-mapped, the macOS report's case
	recv, send := openUDP(t, lab.SUT(), fam), openUDP(t, lab.SUT(), fam)
	send.sendTo(t, fam, recv, "hello 1")
	first := recv.receive(t)
	send.sendTo(t, fam, recv, "hello 2")
	second := recv.receive(t)
	if first != "" || second != "hello 2" {
		t.Errorf("received %q then %q; want the first datagram lost and the second delivered", first, second)
	}
	if err := lab.Close(); err != nil {
		t.Fatalf("lab close: %v", err)
	}
	if st := filter.Stats(); st.Dropped != 1 || st.Seen != 2 {
		t.Errorf("filter stats %+v", st)
	}
	if err := filter.Close(); err != nil {
		t.Errorf("Close after the lab's OnClose: %v", err)
	}
}
