package topology

import (
	"bufio"
	"fmt"
	"os"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Capture writes every frame of a lab into one pcapng file, one pcapng
// interface per link, each frame flagged with its direction.
type Capture struct {
	mu   sync.Mutex
	f    *os.File
	buf  *bufio.Writer
	w    *pcapgo.NgWriter
	path string
	err  error
}

// NewCapture creates the pcapng file at path.
func NewCapture(path string) (*Capture, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	buf := bufio.NewWriter(f)
	// The first interface is the section's default; links are added after it.
	w, err := pcapgo.NewNgWriterInterface(buf, pcapgo.NgInterface{Name: "netconform", LinkType: layers.LinkTypeEthernet, SnapLength: 65536}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("capture %s: %w", path, err)
	}
	return &Capture{f: f, buf: buf, w: w, path: path}, nil
}

// Path is where the capture is written.
func (c *Capture) Path() string { return c.path }

// AddInterface declares a link in the capture.
func (c *Capture) AddInterface(link string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.w.AddInterface(pcapgo.NgInterface{Name: link, Description: "lab link " + link, LinkType: layers.LinkTypeEthernet, SnapLength: 65536})
}

// Write appends a frame; the first error is kept and returned by Close.
func (c *Capture) Write(iface int, f Frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	ci := gopacket.CaptureInfo{Timestamp: f.Time, CaptureLength: len(f.Data), Length: len(f.Data), InterfaceIndex: iface}
	// pcapng's epb_flags carry the direction: 1 inbound (to the wire side,
	// i.e. sent by the SUT), 2 outbound (sent by an emulated peer).
	flags := pcapgo.NgEpbFlags{Direction: pcapgo.NgEpbFlagDirectionInbound}
	if f.Dir == ToSUT {
		flags.Direction = pcapgo.NgEpbFlagDirectionOutbound
	}
	c.err = c.w.WritePacketWithOptions(ci, f.Data, pcapgo.NgPacketOptions{Flags: &flags})
}

// Close flushes and closes the file.
func (c *Capture) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.err
	if ferr := c.w.Flush(); err == nil {
		err = ferr
	}
	if ferr := c.buf.Flush(); err == nil {
		err = ferr
	}
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
