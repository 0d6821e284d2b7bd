package topology

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// RawConn is an OS endpoint that moves whole Ethernet frames: AF_PACKET on
// Linux, /dev/bpf on macOS.
type RawConn interface {
	ReadFrame(b []byte) (int, error)
	WriteFrame(frame []byte) error
	Close() error
}

// Direction tells which way a frame crossed the link.
type Direction int

const (
	// FromSUT: the SUT's kernel sent it.
	FromSUT Direction = iota
	// ToSUT: an emulated peer sent it.
	ToSUT
)

func (d Direction) String() string {
	if d == ToSUT {
		return "to-sut"
	}
	return "from-sut"
}

// Frame is one frame seen on a link.
type Frame struct {
	Time time.Time
	Link string
	Dir  Direction
	Data []byte
}

// Port is the far end of a link. It reads every frame the SUT sends, records
// it, hands it to the peers' handlers, and sends the peers' frames. Every frame
// in either direction goes to the capture, so the pcapng shows the whole link.
type Port struct {
	link    string
	conn    RawConn
	capture *Capture
	capIf   int

	mu       sync.Mutex
	frames   []Frame
	handlers []func(Frame)
	changed  chan struct{} // closed and replaced whenever a frame is recorded

	closeOnce sync.Once
	done      chan struct{}
	readErr   error
}

// NewPort starts reading conn. capture may be nil.
func NewPort(link string, conn RawConn, capture *Capture) (*Port, error) {
	p := &Port{link: link, conn: conn, capture: capture, changed: make(chan struct{}), done: make(chan struct{})}
	if capture != nil {
		id, err := capture.AddInterface(link)
		if err != nil {
			return nil, err
		}
		p.capIf = id
	}
	go p.readLoop()
	return p, nil
}

// Link is the name of the link this port sits on.
func (p *Port) Link() string { return p.link }

func (p *Port) readLoop() {
	defer close(p.done)
	buf := make([]byte, 65536)
	for {
		n, err := p.conn.ReadFrame(buf)
		if err != nil {
			p.mu.Lock()
			p.readErr = err
			p.mu.Unlock()
			return
		}
		data := append([]byte(nil), buf[:n]...)
		f := p.record(FromSUT, data)
		p.mu.Lock()
		hs := append([]func(Frame){}, p.handlers...)
		p.mu.Unlock()
		for _, h := range hs {
			h(f)
		}
	}
}

func (p *Port) record(dir Direction, data []byte) Frame {
	f := Frame{Time: time.Now(), Link: p.link, Dir: dir, Data: data}
	p.mu.Lock()
	p.frames = append(p.frames, f)
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
	if p.capture != nil {
		p.capture.Write(p.capIf, f)
	}
	return f
}

// Send puts a frame on the link towards the SUT.
func (p *Port) Send(frame []byte) error {
	select {
	case <-p.done:
		return fmt.Errorf("port %s is closed", p.link)
	default:
	}
	if err := p.conn.WriteFrame(frame); err != nil {
		return fmt.Errorf("send on link %s: %w", p.link, err)
	}
	p.record(ToSUT, append([]byte(nil), frame...))
	return nil
}

// Handle registers fn for every frame the SUT sends from now on. fn runs on
// the port's reader goroutine: it must not block.
func (p *Port) Handle(fn func(Frame)) {
	p.mu.Lock()
	p.handlers = append(p.handlers, fn)
	p.mu.Unlock()
}

// Frames returns a copy of every frame seen so far, both directions.
func (p *Port) Frames() []Frame {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Frame(nil), p.frames...)
}

// Changed returns a channel closed at the next recorded frame: a way to wait
// for traffic without polling.
func (p *Port) Changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

// Close stops the reader and closes the endpoint.
func (p *Port) Close() error {
	var err error
	p.closeOnce.Do(func() {
		err = p.conn.Close()
		select {
		case <-p.done:
		case <-time.After(2 * time.Second):
			err = errors.Join(err, fmt.Errorf("port %s: reader did not stop", p.link))
		}
	})
	return err
}
