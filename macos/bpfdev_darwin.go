//go:build darwin

package macos

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// DefaultBPFBufferSize is the read buffer asked of the kernel when OpenBPF gets 0. xnu clamps BIOCSBLEN to
// debug.bpf_maxbufsize and BIOCGBLEN tells what was granted.
const DefaultBPFBufferSize = 128 << 10

// bpfPollSlice bounds one poll(2) when there is no deadline so that Close is noticed promptly.
const bpfPollSlice = 200 * time.Millisecond

// maxBPFDevices bounds the search for a free /dev/bpfN; xnu creates devices on demand up to
// debug.bpf_maxdevices (256 by default).
const maxBPFDevices = 256

// BPF is one /dev/bpfN bound to an interface, set up as xnu's tests/bpflib.c does for feth: immediate
// delivery, caller-supplied Ethernet headers, no copies of our own transmissions, non-blocking reads.
//
// Reads return one frame at a time: a read(2) fills the kernel-sized buffer with several packets, which are
// handed out by the tag-free walker NextBPFPacket before the next read(2).
type BPF struct {
	ifname string
	fd     int

	readMu  sync.Mutex // serialises reads and protects buf/pending
	buf     []byte     // exactly the kernel's buffer length: darwin's bpfread rejects any other size
	pending []byte     // undelivered part of the last read

	deadline atomic.Int64 // read deadline in UnixNano; 0 means none
	closed   atomic.Bool
	closeMu  sync.Mutex
}

// OpenBPF opens the first free /dev/bpfN and binds it to ifname. bufSize 0 means DefaultBPFBufferSize.
func OpenBPF(ifname string, bufSize int) (*BPF, error) {
	name, err := IfName(ifname)
	if err != nil {
		return nil, err
	}
	if bufSize <= 0 {
		bufSize = DefaultBPFBufferSize
	}
	fd, err := openFreeBPF()
	if err != nil {
		return nil, err
	}
	b := &BPF{ifname: ifname, fd: fd}
	if err := b.setup(name, bufSize); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bpf on %s: %w", ifname, err)
	}
	return b, nil
}

// openFreeBPF walks /dev/bpf0, /dev/bpf1, ... skipping devices that are busy (EBUSY), as bpflib.c's
// bpf_new does.
func openFreeBPF() (int, error) {
	for i := 0; i < maxBPFDevices; i++ {
		path := fmt.Sprintf("/dev/bpf%d", i)
		fd, err := unix.Open(path, unix.O_RDWR|unix.O_CLOEXEC, 0)
		if err == nil {
			return fd, nil
		}
		if errors.Is(err, unix.EBUSY) {
			continue
		}
		return -1, fmt.Errorf("open %s: %w", path, err)
	}
	return -1, fmt.Errorf("no free /dev/bpf device among %d", maxBPFDevices)
}

func (b *BPF) setup(name [ifNameSize]byte, bufSize int) error {
	// The buffer size must be set before the interface: BIOCSBLEN fails once the device is attached.
	if err := unix.IoctlSetPointerInt(b.fd, unix.BIOCSBLEN, bufSize); err != nil {
		return fmt.Errorf("BIOCSBLEN %d: %w", bufSize, err)
	}
	var ifr [32]byte // struct ifreq: the name, then a 16-byte union that BIOCSETIF does not read.
	copy(ifr[:], name[:])
	err := ioctlPtr(b.fd, unix.BIOCSETIF, unsafe.Pointer(&ifr))
	runtime.KeepAlive(&ifr)
	if err != nil {
		return fmt.Errorf("BIOCSETIF: %w", err)
	}
	for _, s := range []struct {
		name string
		req  uint
		val  int
	}{
		{"BIOCIMMEDIATE", unix.BIOCIMMEDIATE, 1}, // deliver each packet as it arrives
		{"BIOCSHDRCMPLT", unix.BIOCSHDRCMPLT, 1}, // we write complete Ethernet headers, source MAC included
		{"BIOCSSEESENT", unix.BIOCSSEESENT, 0},   // do not read back what this host sends
	} {
		if err := unix.IoctlSetPointerInt(b.fd, s.req, s.val); err != nil {
			return fmt.Errorf("%s %d: %w", s.name, s.val, err)
		}
	}
	blen, err := unix.IoctlGetInt(b.fd, unix.BIOCGBLEN)
	if err != nil {
		return fmt.Errorf("BIOCGBLEN: %w", err)
	}
	if blen <= 0 {
		return fmt.Errorf("BIOCGBLEN returned %d", blen)
	}
	b.buf = make([]byte, blen)
	if err := unix.SetNonblock(b.fd, true); err != nil {
		return fmt.Errorf("FIONBIO: %w", err)
	}
	return nil
}

// Interface returns the name of the interface the device is bound to.
func (b *BPF) Interface() string { return b.ifname }

// SetReadDeadline makes ReadFrame return os.ErrDeadlineExceeded once t has passed; the zero time clears
// it. It may be called while a ReadFrame is waiting and applies within bpfPollSlice.
func (b *BPF) SetReadDeadline(t time.Time) error {
	if b.closed.Load() {
		return net.ErrClosed
	}
	if t.IsZero() {
		b.deadline.Store(0)
	} else {
		b.deadline.Store(t.UnixNano())
	}
	return nil
}

// ReadFrame copies the next captured frame into p and returns its length. If p is too small the frame is
// cut and io.ErrShortBuffer returned with the copied length. A damaged kernel buffer is dropped and
// reported as an error wrapping ErrBPFTruncated or ErrBPFCorrupt.
func (b *BPF) ReadFrame(p []byte) (int, error) {
	b.readMu.Lock()
	defer b.readMu.Unlock()
	for len(b.pending) == 0 {
		if err := b.fill(); err != nil {
			return 0, err
		}
	}
	pkt, rest, err := NextBPFPacket(b.pending)
	if err != nil {
		b.pending = nil
		return 0, fmt.Errorf("bpf on %s: %w", b.ifname, err)
	}
	b.pending = rest
	n := copy(p, pkt.Data)
	if n < len(pkt.Data) {
		return n, io.ErrShortBuffer
	}
	return n, nil
}

// fill waits for the device to be readable, honouring the deadline and Close, then reads one buffer.
func (b *BPF) fill() error {
	for {
		if b.closed.Load() {
			return net.ErrClosed
		}
		wait := bpfPollSlice
		if d := b.deadline.Load(); d != 0 {
			left := time.Until(time.Unix(0, d))
			if left <= 0 {
				return os.ErrDeadlineExceeded
			}
			wait = min(wait, left)
		}
		fds := []unix.PollFd{{Fd: int32(b.fd), Events: unix.POLLIN}}
		ms := int(wait.Milliseconds())
		if ms == 0 {
			ms = 1
		}
		n, err := unix.Poll(fds, ms)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("poll bpf on %s: %w", b.ifname, err)
		}
		if n == 0 {
			continue
		}
		// Darwin's bpfread returns EINVAL unless the read size is exactly the buffer length.
		got, err := unix.Read(b.fd, b.buf)
		if err != nil {
			if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("read bpf on %s: %w", b.ifname, err)
		}
		if got > 0 {
			b.pending = b.buf[:got]
			return nil
		}
	}
}

// WriteFrame injects one complete Ethernet frame. On a feth it arrives as input on the peer.
func (b *BPF) WriteFrame(frame []byte) error {
	if b.closed.Load() {
		return net.ErrClosed
	}
	n, err := unix.Write(b.fd, frame)
	if err != nil {
		return fmt.Errorf("write bpf on %s (%d bytes): %w", b.ifname, len(frame), err)
	}
	if n != len(frame) {
		return fmt.Errorf("write bpf on %s: wrote %d of %d bytes", b.ifname, n, len(frame))
	}
	return nil
}

// Close releases the device. A ReadFrame waiting in another goroutine returns net.ErrClosed.
func (b *BPF) Close() error {
	b.closeMu.Lock()
	defer b.closeMu.Unlock()
	if b.closed.Swap(true) {
		return nil
	}
	// Wait for a reader to notice; it polls in slices of bpfPollSlice and never holds the fd across them.
	b.readMu.Lock()
	defer b.readMu.Unlock()
	return unix.Close(b.fd)
}
