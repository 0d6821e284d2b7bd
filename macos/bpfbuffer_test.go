package macos

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBPFHeaderLen(t *testing.T) {
	// bpf.c: bif_hdrlen = BPF_WORDALIGN(hdrlen + SIZEOF_BPF_HDR) - hdrlen.
	for _, tc := range []struct{ link, want int }{
		{EthernetHeaderLen, 18}, // DLT_EN10MB
		{0, 20},                 // DLT_RAW / utun
		{4, 20},                 // DLT_NULL
	} {
		if got := BPFHeaderLen(tc.link); got != tc.want {
			t.Errorf("BPFHeaderLen(%d) = %d, want %d", tc.link, got, tc.want)
		}
	}
}

func TestParseBPFBufferFixtures(t *testing.T) {
	type want struct {
		caplens  []uint32
		datalens []uint32
		err      error
	}
	for _, tc := range []struct {
		file string
		want want
	}{
		{"bpf/three-frames.bin", want{[]uint32{106, 70, 42}, []uint32{106, 70, 42}, nil}},
		{"bpf/snapped.bin", want{[]uint32{64}, []uint32{106}, nil}},
		{"bpf/truncated.bin", want{[]uint32{106}, []uint32{106}, ErrBPFTruncated}},
		// A packet never straddles two reads, but a caplen past the end cannot be told from a short slice.
		{"bpf/corrupt-caplen.bin", want{[]uint32{106}, []uint32{106}, ErrBPFTruncated}},
		{"bpf/corrupt-hdrlen.bin", want{nil, nil, ErrBPFCorrupt}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			pkts, err := ParseBPFBuffer(readFixture(t, tc.file))
			if !errors.Is(err, tc.want.err) {
				t.Fatalf("err = %v, want %v", err, tc.want.err)
			}
			if len(pkts) != len(tc.want.caplens) {
				t.Fatalf("got %d packets, want %d", len(pkts), len(tc.want.caplens))
			}
			for i, p := range pkts {
				if p.CapLen != tc.want.caplens[i] || p.DataLen != tc.want.datalens[i] || len(p.Data) != int(p.CapLen) {
					t.Errorf("packet %d: caplen %d datalen %d len(data) %d, want %d/%d", i, p.CapLen, p.DataLen, len(p.Data), tc.want.caplens[i], tc.want.datalens[i])
				}
				if p.HdrLen != 18 {
					t.Errorf("packet %d: hdrlen %d, want 18 (Ethernet)", i, p.HdrLen)
				}
			}
		})
	}
}

func TestParseBPFBufferFrameContents(t *testing.T) {
	pkts, err := ParseBPFBuffer(readFixture(t, "bpf/three-frames.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// Every frame in the fixture is sent by a feth (MAC 66:65:74:68 + unit).
	for i, p := range pkts {
		if !bytes.HasPrefix(p.Data[6:], []byte{0x66, 0x65, 0x74, 0x68, 0x00}) {
			t.Errorf("packet %d: source MAC % x is not a feth", i, p.Data[6:12])
		}
	}
	if pkts[0].Sec != 1767225600 || pkts[0].Usec != 123456 {
		t.Errorf("timestamp %d.%06d", pkts[0].Sec, pkts[0].Usec)
	}
	if got := pkts[2].Data[12:14]; !bytes.Equal(got, []byte{0x08, 0x06}) {
		t.Errorf("third frame ethertype % x, want ARP", got)
	}
}

func TestAppendBPFPacketRoundTrip(t *testing.T) {
	var buf []byte
	frames := [][]byte{bytes.Repeat([]byte{1}, 60), bytes.Repeat([]byte{2}, 61), {3}, bytes.Repeat([]byte{4}, 1514)}
	for i, f := range frames {
		buf = AppendBPFPacket(buf, int32(i), 0, EthernetHeaderLen, f, uint32(len(f)))
		if len(buf)%4 != 0 {
			t.Fatalf("buffer not word aligned after packet %d", i)
		}
	}
	pkts, err := ParseBPFBuffer(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) != len(frames) {
		t.Fatalf("got %d packets, want %d", len(pkts), len(frames))
	}
	for i := range frames {
		if !bytes.Equal(pkts[i].Data, frames[i]) || pkts[i].Sec != int32(i) {
			t.Errorf("packet %d differs", i)
		}
	}
}

func TestNextBPFPacketEdges(t *testing.T) {
	for _, tc := range []struct {
		name string
		buf  []byte
		err  error
	}{
		{"empty", nil, ErrBPFTruncated},
		{"short header", make([]byte, 17), ErrBPFTruncated},
		{"zero header", make([]byte, 18), ErrBPFCorrupt},
		{"caplen above datalen", AppendBPFPacket(nil, 0, 0, 14, []byte{1, 2}, 1), ErrBPFCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := NextBPFPacket(tc.buf)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
		})
	}
}

// FuzzParseBPFBuffer checks that no buffer, however damaged, makes the walker panic or return data outside
// the buffer. Run with: go test -fuzz=FuzzParseBPFBuffer ./macos/
func FuzzParseBPFBuffer(f *testing.F) {
	for _, name := range []string{"three-frames.bin", "snapped.bin", "truncated.bin", "corrupt-caplen.bin", "corrupt-hdrlen.bin"} {
		f.Add(readFixture(f, filepath.Join("bpf", name)))
	}
	f.Add([]byte{})
	f.Add(make([]byte, 18))
	f.Fuzz(func(t *testing.T, buf []byte) {
		pkts, _ := ParseBPFBuffer(buf)
		total := 0
		for _, p := range pkts {
			if len(p.Data) != int(p.CapLen) || p.CapLen > p.DataLen || int(p.HdrLen) < bpfHdrFieldsLen {
				t.Fatalf("inconsistent packet %+v", p)
			}
			total += int(p.HdrLen) + len(p.Data)
		}
		if total > len(buf) {
			t.Fatalf("packets cover %d bytes of a %d-byte buffer", total, len(buf))
		}
	})
}
