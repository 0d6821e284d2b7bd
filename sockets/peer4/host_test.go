package peer4

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/netconform/netconform/internal/labtest"
	"github.com/netconform/netconform/topology"
)

var (
	sutMAC  = labtest.MAC("02:00:00:00:00:01")
	peerMAC = labtest.MAC("02:00:00:00:04:02")
	sutIP   = netip.MustParseAddr("192.0.2.1")
	peerIP  = netip.MustParseAddr("192.0.2.2")
)

func startHost(t *testing.T) (*Host, *labtest.Wire) {
	t.Helper()
	port, w := labtest.FakePort(t, "l0")
	h, err := Start(port, topology.Host{Name: "p", MAC: peerMAC, IPv4: peerIP})
	if err != nil {
		t.Fatal(err)
	}
	return h, w
}

func TestAnswersARPForItsAddressOnly(t *testing.T) {
	tests := []struct {
		name   string
		target netip.Addr
		answer bool
	}{
		{"own address", peerIP, true},
		{"another address", netip.MustParseAddr("192.0.2.3"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, w := startHost(t)
			req, err := ARPRequest(sutMAC, sutIP, tt.target)
			if err != nil {
				t.Fatal(err)
			}
			w.In <- req
			// A UDP frame after the request: once it is recorded, the
			// request has been handled too (one reader goroutine, in order).
			udp, _ := UDPFrame(sutMAC, peerMAC, netip.AddrPortFrom(sutIP, 1), netip.AddrPortFrom(peerIP, 9), []byte("sync"))
			changed := h.Changed()
			w.In <- udp
			<-changed
			select {
			case reply := <-w.Out:
				if !tt.answer {
					t.Fatalf("answered ARP for %s", tt.target)
				}
				arp := gopacket.NewPacket(reply, layers.LayerTypeEthernet, gopacket.Default).Layer(layers.LayerTypeARP).(*layers.ARP)
				if arp.Operation != layers.ARPReply || !bytes.Equal(arp.SourceHwAddress, peerMAC) ||
					!bytes.Equal(arp.SourceProtAddress, peerIP.AsSlice()) || !bytes.Equal(arp.DstHwAddress, sutMAC) {
					t.Errorf("bad reply: %+v", arp)
				}
				if h.ARPReplies() != 1 {
					t.Errorf("ARPReplies = %d", h.ARPReplies())
				}
			default:
				if tt.answer {
					t.Fatal("no ARP reply")
				}
			}
			if err := h.Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRecordsUDPToItsAddressOnly(t *testing.T) {
	h, w := startHost(t)
	src := netip.AddrPortFrom(sutIP, 40000)
	other, _ := UDPFrame(sutMAC, peerMAC, src, netip.MustParseAddrPort("192.0.2.3:9"), []byte("not for the peer"))
	mine, _ := UDPFrame(sutMAC, peerMAC, src, netip.AddrPortFrom(peerIP, 9), []byte("hello 1"))
	changed := h.Changed()
	w.In <- other
	w.In <- mine
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("datagram never recorded")
	}
	got := h.Received()
	if len(got) != 1 || string(got[0].Payload) != "hello 1" || got[0].Src != src || got[0].Dst.Port() != 9 || got[0].Time.IsZero() {
		t.Fatalf("received %+v", got)
	}
}

func TestStartRefusesHostWithoutIPv4(t *testing.T) {
	port, _ := labtest.FakePort(t, "l0")
	if _, err := Start(port, topology.Host{Name: "v6only", MAC: peerMAC}); err == nil {
		t.Fatal("started a host without an IPv4 address")
	}
}
