package macos

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// BPF read buffers, as laid out by xnu's bsd/net/bpf.h (xnu-11417.121.6): every packet is preceded by a
// struct bpf_hdr. For user space on LP64 (arm64 and x86_64 alike) BPF_TIMEVAL is struct timeval32, so the
// header is
//
//	int32  tv_sec
//	int32  tv_usec
//	uint32 bh_caplen
//	uint32 bh_datalen
//	uint16 bh_hdrlen   (18 bytes of fields; the kernel pads and reports the real length here)
//
// and the next packet starts BPF_WORDALIGN(bh_hdrlen + bh_caplen) bytes later, BPF_ALIGNMENT being
// sizeof(int32_t) = 4. Both Mac architectures are little-endian.
const (
	// bpfHdrFieldsLen is the size of the fields of struct bpf_hdr, without the trailing padding.
	bpfHdrFieldsLen = 18
	// bpfAlignment is BPF_ALIGNMENT from bsd/net/bpf.h.
	bpfAlignment = 4
)

// ErrBPFTruncated reports a BPF buffer that ends inside a header or inside a captured packet.
var ErrBPFTruncated = errors.New("macos: truncated BPF buffer")

// ErrBPFCorrupt reports a bpf_hdr whose lengths cannot be right.
var ErrBPFCorrupt = errors.New("macos: corrupt BPF header")

// BPFPacket is one captured packet of a BPF read buffer. Data aliases the buffer it was read from.
type BPFPacket struct {
	Sec     int32  // bh_tstamp.tv_sec
	Usec    int32  // bh_tstamp.tv_usec
	CapLen  uint32 // bytes captured (len(Data))
	DataLen uint32 // length of the packet on the wire
	HdrLen  uint16 // header length including padding
	Data    []byte
}

// BPFWordAlign is BPF_WORDALIGN: x rounded up to a multiple of 4.
func BPFWordAlign(x int) int {
	return (x + bpfAlignment - 1) &^ (bpfAlignment - 1)
}

// NextBPFPacket decodes the packet at the start of buf and returns it with the rest of the buffer (empty
// after the last packet). A buffer that is too short, or a header whose lengths point outside the buffer,
// gives an error and no packet; the caller should drop the remainder of that buffer.
func NextBPFPacket(buf []byte) (BPFPacket, []byte, error) {
	if len(buf) < bpfHdrFieldsLen {
		return BPFPacket{}, nil, fmt.Errorf("%w: %d bytes left, a header needs %d", ErrBPFTruncated, len(buf), bpfHdrFieldsLen)
	}
	p := BPFPacket{
		Sec:     int32(binary.LittleEndian.Uint32(buf[0:4])),
		Usec:    int32(binary.LittleEndian.Uint32(buf[4:8])),
		CapLen:  binary.LittleEndian.Uint32(buf[8:12]),
		DataLen: binary.LittleEndian.Uint32(buf[12:16]),
		HdrLen:  binary.LittleEndian.Uint16(buf[16:18]),
	}
	if int(p.HdrLen) < bpfHdrFieldsLen {
		return BPFPacket{}, nil, fmt.Errorf("%w: bh_hdrlen %d is shorter than the header", ErrBPFCorrupt, p.HdrLen)
	}
	if p.CapLen > p.DataLen {
		return BPFPacket{}, nil, fmt.Errorf("%w: bh_caplen %d exceeds bh_datalen %d", ErrBPFCorrupt, p.CapLen, p.DataLen)
	}
	// Compare in uint64 so that a huge caplen cannot overflow int on 32-bit platforms.
	end := uint64(p.HdrLen) + uint64(p.CapLen)
	if end > uint64(len(buf)) {
		return BPFPacket{}, nil, fmt.Errorf("%w: packet needs %d bytes, %d left", ErrBPFTruncated, end, len(buf))
	}
	p.Data = buf[p.HdrLen:end:end]
	next := BPFWordAlign(int(end))
	if next >= len(buf) {
		// The kernel does not necessarily pad after the last packet.
		return p, nil, nil
	}
	return p, buf[next:], nil
}

// ParseBPFBuffer decodes every packet of one read(2) from a BPF device. On a corrupt or truncated buffer it
// returns the packets decoded before the damage together with the error.
func ParseBPFBuffer(buf []byte) ([]BPFPacket, error) {
	var pkts []BPFPacket
	for len(buf) > 0 {
		p, rest, err := NextBPFPacket(buf)
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, p)
		buf = rest
	}
	return pkts, nil
}

// EthernetHeaderLen is the link header length of DLT_EN10MB, the link type of feth.
const EthernetHeaderLen = 14

// BPFHeaderLen is the bh_hdrlen xnu uses for a link type whose link header is linkHdrLen bytes: bpf.c sets
// bif_hdrlen = BPF_WORDALIGN(hdrlen + SIZEOF_BPF_HDR) - hdrlen so that the network header lands on a word
// boundary. For Ethernet that is 18, not sizeof(struct bpf_hdr).
func BPFHeaderLen(linkHdrLen int) int {
	return BPFWordAlign(linkHdrLen+bpfHdrFieldsLen) - linkHdrLen
}

// AppendBPFPacket appends a packet in BPF read-buffer form to buf, as the kernel's catchpacket writes it:
// header (bh_hdrlen from BPFHeaderLen(linkHdrLen)), captured data, zero padding to the next word. buf must
// start on a word boundary. Tests and fixtures use it.
func AppendBPFPacket(buf []byte, sec, usec int32, linkHdrLen int, data []byte, wireLen uint32) []byte {
	hdrLen := BPFHeaderLen(linkHdrLen)
	start := len(buf)
	buf = append(buf, make([]byte, hdrLen)...)
	h := buf[start:]
	binary.LittleEndian.PutUint32(h[0:4], uint32(sec))
	binary.LittleEndian.PutUint32(h[4:8], uint32(usec))
	binary.LittleEndian.PutUint32(h[8:12], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[12:16], wireLen)
	binary.LittleEndian.PutUint16(h[16:18], uint16(hdrLen))
	buf = append(buf, data...)
	for len(buf)%bpfAlignment != 0 {
		buf = append(buf, 0)
	}
	return buf
}
