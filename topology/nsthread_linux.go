package topology

import (
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// inNamespace runs fn on a fresh OS thread that has entered ns. The thread is
// never unlocked, so the Go runtime discards it when fn returns: no goroutine
// can ever run in the namespace by accident afterwards. This is the only safe
// way to enter a namespace under Ginkgo, whose nodes each run on their own
// goroutine.
func inNamespace(ns netns.NsHandle, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer func() {
			if r := recover(); r != nil {
				errc <- fmt.Errorf("panic in namespace: %v", r)
			}
		}()
		if err := netns.Set(ns); err != nil {
			errc <- fmt.Errorf("enter namespace: %w", err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// prepareNetnsDir makes /run/netns a shared mount point, as iproute2's
// `ip netns add` does the first time it runs. Without it, an `ip netns add`
// run while a lab exists would bind-mount /run/netns over itself and hide the
// lab's namespace mounts, which could then be neither removed nor found.
func prepareNetnsDir() error {
	if err := os.MkdirAll(netnsDir, 0o755); err != nil {
		return err
	}
	err := unix.Mount("", netnsDir, "none", unix.MS_SHARED|unix.MS_REC, "")
	if err == nil {
		return nil
	}
	if err != unix.EINVAL { // EINVAL: not a mount point yet
		return fmt.Errorf("make %s shared: %w", netnsDir, err)
	}
	if err := unix.Mount(netnsDir, netnsDir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind %s onto itself: %w", netnsDir, err)
	}
	if err := unix.Mount("", netnsDir, "none", unix.MS_SHARED|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("make %s shared: %w", netnsDir, err)
	}
	return nil
}

var netnsDirOnce = sync.OnceValue(prepareNetnsDir)

// newNamedNamespace creates a named namespace (visible as /run/netns/<name>,
// which is what lets clean-up find it after a crash) and runs setup inside it.
func newNamedNamespace(name string, setup func() error) (netns.NsHandle, error) {
	type result struct {
		ns  netns.NsHandle
		err error
	}
	if err := netnsDirOnce(); err != nil {
		return netns.None(), err
	}
	rc := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: this thread now lives in the new namespace
		ns, err := netns.NewNamed(name)
		if err != nil {
			rc <- result{err: fmt.Errorf("create namespace %s: %w", name, err)}
			return
		}
		if err := setup(); err != nil {
			rc <- result{ns: ns, err: fmt.Errorf("set up namespace %s: %w", name, err)}
			return
		}
		rc <- result{ns: ns}
	}()
	r := <-rc
	return r.ns, r.err
}
