package mapped

import (
	"fmt"
	"strings"
	"time"

	"github.com/netconform/netconform/check"
)

// Judge gives the verdict on what the sockets saw: pass when every datagram
// was delivered in time, fail otherwise, naming by number which datagrams
// were lost and how. call is the sending call ("sendto" or "send"), for the
// wording of a silent drop; timeout is the receive window.
func Judge(call string, timeout time.Duration, socks []SocketRecord) (check.Verdict, string) {
	rates := Rates(socks)
	if len(rates) == 0 {
		return check.Error, "cannot decide: no datagram was attempted"
	}
	var lost, kept []string
	for _, r := range rates {
		if r.Lost() == 0 {
			kept = append(kept, fmt.Sprintf("%s datagram delivered %d/%d", Ordinal(r.Number), r.Delivered, r.Sent))
			continue
		}
		lost = append(lost, fmt.Sprintf("%s datagram lost %d/%d (%s)", Ordinal(r.Number), r.Lost(), r.Sent, how(call, timeout, r, r.ErrnoNames)))
	}
	if len(lost) == 0 {
		return check.Pass, "every datagram delivered: " + strings.Join(kept, ", ")
	}
	return check.Fail, strings.Join(append(lost, kept...), "; ")
}

// how says how the n-th datagrams were lost, the seed's signature first:
// call names the sending call in a silent drop's words, errnos counts the
// refusals under the names to give them ("sendto EPERM", or "EPERM" where
// cases of several calls are grouped).
func how(call string, timeout time.Duration, r NumberRate, errnos map[string]int) string {
	var parts []string
	if r.SilentDrops > 0 {
		p := fmt.Sprintf("%d silent %s: %s said success but nothing arrived",
			r.SilentDrops, plural(r.SilentDrops, "drop", "drops"), call)
		if r.Overtaken > 0 {
			// The seed's exact signature: lost while later ones got through.
			p += fmt.Sprintf(", %d of them while a later datagram of the same socket did", r.Overtaken)
		}
		parts = append(parts, p)
	}
	if r.Errnos > 0 {
		parts = append(parts, fmt.Sprintf("%d failed with an errno: %s", r.Errnos, tally(errnos)))
	}
	if r.Late > 0 {
		parts = append(parts, fmt.Sprintf("%d late: arrived after the %v window", r.Late, timeout))
	}
	return strings.Join(parts, "; ")
}

// Ordinal spells 1 as "1st", 2 as "2nd"...
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
