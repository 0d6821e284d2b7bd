package html

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/observation"
	"github.com/netconform/netconform/reports"
)

func matrixFixture() observation.MappedMatrix {
	sock := func(outcomes ...string) []observation.MatrixSocket {
		s := observation.MatrixSocket{Index: 1, Local: "[::ffff:192.0.2.1]:40000", To: "[::ffff:192.0.2.1]:40000"}
		for i, o := range outcomes {
			s.Datagrams = append(s.Datagrams, observation.MatrixDatagram{Number: i + 1, Call: "sendto", Return: 40, Outcome: o, Latency: 0.0001})
		}
		return []observation.MatrixSocket{s}
	}
	return observation.MappedMatrix{
		Matrix: "default", Sockets: 1, Timeout: 1,
		Rows: []observation.MatrixRow{
			{Key: "mapped/0", Bind: "::ffff:192.0.2.1", Port: "0", Label: "bound to ::ffff:192.0.2.1, port 0, IPV6_V6ONLY off"},
			{Key: "unbound", Label: "not bound, IPV6_V6ONLY off"},
		},
		Calls:        []string{"sendto", "connect+sendmsg_x"},
		Destinations: []string{"self", "peer", "loopback"},
		Filter:       observation.MatrixFilter{Kind: "none", Sentence: "no content filter on the path: the reported loss happens only in a filter's reinject path (net.cfil.active_count 0)"},
		Coverage:     "none",
		Cases: []observation.MatrixCase{
			{Name: "mapped/0 sendto self", Row: "mapped/0", Call: "sendto", Destination: "self", Verdict: "fail",
				Reason:  "1st datagram lost 1/1 (1 silent drop: sendto said success but nothing arrived); 2nd datagram delivered 1/1",
				Rates:   []observation.MatrixRate{{Number: 1, Sent: 1, SilentDrops: 1}, {Number: 2, Sent: 1, Delivered: 1}},
				Sockets: sock("silent drop", "delivered"), CFILLines: []string{"2026-05-04 10:14:33.123456-0700 CFIL: sosend() failed 22"}},
			{Name: "mapped/0 sendto peer", Row: "mapped/0", Call: "sendto", Destination: "peer", Verdict: "pass", Reason: "every datagram delivered",
				Rates: []observation.MatrixRate{{Number: 1, Sent: 1, Delivered: 1}, {Number: 2, Sent: 1, Delivered: 1}}, Sockets: sock("delivered", "delivered")},
			{Name: "mapped/0 connect+sendmsg_x self", Row: "mapped/0", Call: "connect+sendmsg_x", Destination: "self", Verdict: "skip", Reason: "macOS only <b>"},
			{Name: "unbound sendto peer", Row: "unbound", Call: "sendto", Destination: "peer", Verdict: "pass", Reason: "every datagram delivered",
				Rates: []observation.MatrixRate{{Number: 1, Sent: 1, Delivered: 1}}},
		},
		CFIL: json.RawMessage(`{"summary":"no content filter on the path (active_count 0, no socket attached, 0 CFIL log lines)","filter_on_path":false,"before":{"os":"darwin"},"after":{"os":"darwin"}}`),
	}
}

func renderFixture(t *testing.T, m observation.MappedMatrix) (string, bool) {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	c := reports.CheckResult{Result: check.Result{ID: "sockets.mapped-sendto.matrix", Verdict: check.Fail, View: observation.ViewMappedMatrix, Observations: raw}}
	h, ok := renderMappedMatrix(c)
	return string(h), ok
}

// TestRenderMappedMatrix: the table has one row per bind and one column per
// call, in order, each cell's destinations marked; the failing case is shown
// in full; the coverage line is there; every value is escaped.
func TestRenderMappedMatrix(t *testing.T) {
	h, ok := renderFixture(t, matrixFixture())
	if !ok {
		t.Fatal("the matrix's shape was not recognised")
	}
	for _, want := range []string{
		`<th>bind \ call</th><th class="mono">sendto</th><th class="mono">connect+sendmsg_x</th>`,
		`<span class="mono">mapped/0</span><br><span class="muted">bound to ::ffff:192.0.2.1, port 0, IPV6_V6ONLY off</span>`,
		// self before peer in the cell, whatever the order of the cases.
		`self ✗ 1st 1/1</span><br><span class="badge v-pass"`,
		`peer ✓`, `self –`, `<td class="muted">·</td>`,
		`Filter on the cases' path:</strong> no content filter on the path: the reported loss happens only in a filter&#39;s reinject path`,
		`<details open><summary>cases that lost datagrams (1)`, `<h4 class="mono">mapped/0 sendto self</h4>`,
		`1 of 1 lost silently: sendto() said success but nothing arrived`,
		`kernel CFIL lines about this case&#39;s sockets`, `CFIL: sosend() failed 22`,
		`macOS only &lt;b&gt;`, `cases that passed (2)`,
		`<span class="badge v-fail">1 fail</span>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(h, "<b>") {
		t.Error("an observation value reached the page unescaped")
	}
	// The row order is the observation's.
	if strings.Index(h, ">mapped/0<") > strings.Index(h, ">unbound<") {
		t.Error("rows out of order")
	}
}

func TestRenderMappedMatrixRefusesOtherShapes(t *testing.T) {
	for _, raw := range []string{`null`, `{"cases":[]}`, `{"case":"sockets.mapped-sendto.self","by_number":[{"number":1}]}`, `[1,2]`} {
		c := reports.CheckResult{Result: check.Result{Observations: json.RawMessage(raw)}}
		if _, ok := renderMappedMatrix(c); ok {
			t.Errorf("%s rendered as a matrix", raw)
		}
	}
}

// TestMatrixCaseKeepsOvertaken: a matrix case drawn as a first-datagram case
// keeps which silent drops a later datagram overtook, so its record cells
// say so as the single checks' do.
func TestMatrixCaseKeepsOvertaken(t *testing.T) {
	m := matrixFixture()
	c := observation.MatrixCase{Name: "mapped/0 sendto peer", Row: "mapped/0", Call: "sendto", Destination: "peer",
		Rates: []observation.MatrixRate{{Number: 1, Sent: 1, SilentDrops: 1, Overtaken: 1}, {Number: 2, Sent: 1, Delivered: 1}},
		Sockets: []observation.MatrixSocket{{Index: 1, Datagrams: []observation.MatrixDatagram{
			{Number: 1, Call: "sendto", Return: 40, Outcome: string(observation.OutcomeSilentDrop), OvertakenBy: 2},
			{Number: 2, Call: "sendto", Return: 40, Outcome: string(observation.OutcomeDelivered)}}}}}
	dc := matrixDgCase(&m, c)
	if dc.ByNumber[0].Overtaken != 1 || dc.SocketRecords[0].Datagrams[0].OvertakenBy != 2 {
		t.Errorf("rates %+v, 1st datagram %+v: the overtaking is lost", dc.ByNumber[0], dc.SocketRecords[0].Datagrams[0])
	}
	var b strings.Builder
	writeRecordCell(&b, dc.SocketRecords[0].Datagrams[0])
	if !strings.Contains(b.String(), "overtaken by datagram 2") {
		t.Errorf("record cell %q does not say it was overtaken", b.String())
	}
}
