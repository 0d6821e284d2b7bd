package html

import (
	"encoding/json"
	"strconv"
	"strings"
)

// The first-datagram checks (sockets.mapped-sendto.*, sockets.inet4-sendto.*,
// cfil.userspace-filter.*) observe per socket case a delivery count by
// datagram number, every socket's datagrams, and a content-filter
// attribution with before/after states. Rendered generically that nests into
// an unreadable squeezed table; a person needs, per case, what was called on
// which socket, the datagram-number table with the losses marked, and one
// sentence from cfil. These types mirror docs/results-schema.md ("sockets")
// and cfil/state.go, the contract; reports does not import the check code.

type dgNumber struct {
	Number      int            `json:"number"`
	Sent        int            `json:"sent"`
	Delivered   int            `json:"delivered"`
	SilentDrops int            `json:"silent_drops"`
	Errnos      int            `json:"errnos"`
	Late        int            `json:"late"`
	ErrnoNames  map[string]int `json:"errno_names"`
}

// dgSocket is one fresh socket of a case and what became of its datagrams.
type dgSocket struct {
	Index     int        `json:"index"`
	Local     string     `json:"local"`
	To        string     `json:"to"`
	Datagrams []dgRecord `json:"datagrams"`
}

type dgRecord struct {
	Number  int      `json:"number"`
	Call    string   `json:"call"`
	Return  *int     `json:"return"`
	Errno   string   `json:"errno"`
	Outcome string   `json:"outcome"`
	Latency *float64 `json:"latency"`
	Source  string   `json:"source"`
}

type dgCase struct {
	Case           string     `json:"case"`
	Family         string     `json:"family"`
	Bound          bool       `json:"bound"`
	Connected      bool       `json:"connected"`
	Call           string     `json:"call"`
	Destination    string     `json:"destination"`
	Sockets        int        `json:"sockets"`
	Timeout        float64    `json:"timeout"`
	ByNumber       []dgNumber `json:"by_number"`
	SocketRecords  []dgSocket `json:"socket_records"`
	PeerARPReplies *int       `json:"peer_arp_replies"`
	CFIL           *cfilView  `json:"cfil"`
}

type dgFilter struct {
	Queue        int      `json:"queue"`
	Hook         string   `json:"hook"`
	Mode         string   `json:"mode"`
	Rules        []string `json:"rules"`
	Seen         int      `json:"seen"`
	Accepted     int      `json:"accepted"`
	Dropped      int      `json:"dropped"`
	DroppedFlows []string `json:"dropped_flows"`
}

type datagramView struct {
	Filter *dgFilter
	Cases  []dgCase
}

func isDatagramCheck(id string) bool {
	for _, p := range []string{"sockets.mapped-sendto.", "sockets.inet4-sendto.", "cfil.userspace-filter."} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// datagramOf reads either one case or a filter with its cases; ok is false
// when the JSON has neither shape (then the generic rendering applies, so a
// new or old shape is still shown in full).
func datagramOf(raw []byte) (*datagramView, bool) {
	var wrapped struct {
		Filter *dgFilter `json:"filter"`
		Cases  []dgCase  `json:"cases"`
	}
	if err := json.Unmarshal(raw, &wrapped); err == nil && len(wrapped.Cases) > 0 {
		for _, c := range wrapped.Cases {
			if len(c.ByNumber) == 0 {
				return nil, false
			}
		}
		return &datagramView{Filter: wrapped.Filter, Cases: wrapped.Cases}, true
	}
	var one dgCase
	if err := json.Unmarshal(raw, &one); err != nil || len(one.ByNumber) == 0 {
		return nil, false
	}
	return &datagramView{Cases: []dgCase{one}}, true
}

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// seconds prints a duration in seconds the way a person reads it: 1 s,
// 0.3 s, 0.11 ms.
func seconds(s float64) string {
	a := s
	if a < 0 {
		a = -a
	}
	switch {
	case a == 0:
		return "0 s"
	case a < 1e-3:
		return strconv.FormatFloat(s*1e6, 'f', 0, 64) + " µs"
	case a < 1:
		return strconv.FormatFloat(s*1e3, 'g', 3, 64) + " ms"
	}
	return strconv.FormatFloat(s, 'g', 4, 64) + " s"
}
