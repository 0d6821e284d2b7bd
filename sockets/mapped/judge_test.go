package mapped

import (
	"strings"
	"testing"
	"time"

	"github.com/netconform/netconform/cfil"
	"github.com/netconform/netconform/check"
)

// sockets builds k socket records whose datagrams have the given outcomes
// (one outcome per datagram number); errno outcomes fail sendto with EINVAL.
func sockets(k int, outcomes ...Outcome) []SocketRecord {
	var out []SocketRecord
	for i := range k {
		rec := SocketRecord{Index: i + 1}
		for n, o := range outcomes {
			d := DatagramResult{Number: n + 1, Call: "sendto", Return: 20, Outcome: o}
			if o == Errno {
				d.Return, d.Errno = -1, "EINVAL"
			}
			rec.Datagrams = append(rec.Datagrams, d)
		}
		out = append(out, rec)
	}
	return out
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name  string
		socks []SocketRecord
		want  check.Verdict
		has   []string
	}{
		{"all delivered", sockets(10, Delivered, Delivered), check.Pass,
			[]string{"every datagram delivered", "1st datagram delivered 10/10", "2nd datagram delivered 10/10"}},
		{"the seed: first silently dropped", sockets(10, SilentDrop, Delivered), check.Fail,
			[]string{"1st datagram lost 10/10", "10 silent drops: sendto said success but nothing arrived", "2nd datagram delivered 10/10"}},
		{"intermittent", append(sockets(7, SilentDrop, Delivered), sockets(3, Delivered, Delivered)...), check.Fail,
			[]string{"1st datagram lost 7/10"}},
		{"errno", sockets(2, Errno, Errno), check.Fail,
			[]string{"1st datagram lost 2/2 (2 failed with an errno: sendto EINVAL ×2)", "2nd datagram lost 2/2"}},
		{"late", sockets(1, Late, Delivered), check.Fail,
			[]string{"1st datagram lost 1/1 (1 late: arrived after the 1s window)"}},
		{"nothing attempted", nil, check.Error, []string{"no datagram"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, reason := Judge("sendto", time.Second, tt.socks)
			if v != tt.want {
				t.Errorf("verdict %s, want %s (%s)", v, tt.want, reason)
			}
			for _, h := range tt.has {
				if !strings.Contains(reason, h) {
					t.Errorf("reason %q lacks %q", reason, h)
				}
			}
		})
	}
}

func TestSilentDropWordingFollowsTheCall(t *testing.T) {
	_, reason := Judge("send", time.Second, sockets(1, SilentDrop, Delivered))
	if !strings.Contains(reason, "send said success but nothing arrived") {
		t.Errorf("reason %q", reason)
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 101: "101st", 111: "111th"} {
		if got := Ordinal(n); got != want {
			t.Errorf("Ordinal(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestRatesCountErrnosByCall(t *testing.T) {
	socks := sockets(3, Errno, Delivered)
	socks[0].Datagrams[0].Call, socks[0].Datagrams[0].Errno = "bind", "EADDRNOTAVAIL"
	r := Rates(socks)
	if len(r) != 2 || r[0].Errnos != 3 || r[0].ErrnoNames["bind EADDRNOTAVAIL"] != 1 || r[0].ErrnoNames["sendto EINVAL"] != 2 || r[1].Delivered != 3 {
		t.Errorf("rates %+v", r)
	}
}

func TestJudgeFiltered(t *testing.T) {
	cfg := cfil.FilterConfig{Queue: 3280, Hook: "OUTPUT", Mode: cfil.Accept}
	for _, tt := range []struct {
		name     string
		stats    cfil.FilterStats
		refused  bool
		verdicts []check.Verdict
		want     check.Verdict
		has      string
	}{
		{"through the filter, all delivered", cfil.FilterStats{Seen: 40, Accepted: 40}, false, []check.Verdict{check.Pass, check.Pass}, check.Pass, "saw 40 packets"},
		{"through the filter, lost", cfil.FilterStats{Seen: 40, Accepted: 40}, false, []check.Verdict{check.Fail, check.Pass}, check.Fail, "saw 40 packets"},
		{"filter never given a packet", cfil.FilterStats{}, false, []check.Verdict{check.Pass, check.Pass}, check.Error, "not on the datagrams' path"},
		{"the stack refused before the filter", cfil.FilterStats{}, true, []check.Verdict{check.Fail, check.Fail}, check.Fail, "saw 0 packets"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, r := judgeFiltered(cfg, tt.stats, tt.refused, tt.verdicts, []string{"self: x", "peer: y"})
			if v != tt.want || !strings.Contains(r, tt.has) {
				t.Errorf("%s: %s; want %s with %q", v, r, tt.want, tt.has)
			}
		})
	}
}
