package browsertest

import (
	"encoding/json"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
)

// The IPv4-mapped matrix, with the payload in every text field: row keys,
// labels, calls, destinations, case names and reasons, errno names, socket
// addresses, the filter's sentence, CFIL lines and the attribution.
func init() {
	hostileViews[observation.ViewMappedMatrix] = hostileView{verdict: check.Fail, obs: func(p string) any {
		cf, _ := json.Marshal(firstDatagram(p).CFIL)
		return observation.MappedMatrix{Matrix: p, Sockets: 1, Timeout: 1,
			Rows:  []observation.MatrixRow{{Key: p, Bind: p, Port: p, Label: p}},
			Calls: []string{p}, Destinations: []string{p},
			Filter: observation.MatrixFilter{Kind: p, Sentence: p, Hook: p, Mode: p, Rules: []string{p}}, Coverage: p,
			Cases: []observation.MatrixCase{{Name: p, Row: p, Call: p, Destination: p, Expect: p, Verdict: "fail", Reason: p,
				Rates: []observation.MatrixRate{{Number: 1, Sent: 1, Errnos: 1, ErrnoNames: map[string]int{p: 1}}},
				Sockets: []observation.MatrixSocket{{Index: 0, Local: p, To: p, Datagrams: []observation.MatrixDatagram{{Number: 1, Call: p, Return: -1,
					Errno: p, Outcome: p, Source: p}}}},
				CFILLines: []string{p}}},
			CFIL: cf, Start: p, End: p}
	}}
}
