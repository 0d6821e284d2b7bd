package topology

import "testing"

func TestLabLines(t *testing.T) {
	netstat := `Routing tables

Internet6:
Destination                             Gateway                                 Flags           Netif Expire
default                                 fe80::1%en0                             UGcg              en0
default                                 fe80::a%feth4000                        UGcIg        feth4000
2001:db8:a::/64                         link#21                                 UC           feth4000
fe80::%feth40000/64                     link#30                                 UCI       feth40000
`
	got := LabLines(netstat, []string{"feth4000"})
	want := `Routing tables
Internet6:
Destination                             Gateway                                 Flags           Netif Expire
default                                 fe80::a%feth4000                        UGcIg        feth4000
2001:db8:a::/64                         link#21                                 UC           feth4000
`
	if got != want {
		t.Errorf("LabLines kept:\n%s\nwant:\n%s", got, want)
	}
	if LabLines(netstat, nil) != "" {
		t.Error("no lab interfaces must keep nothing")
	}
}
