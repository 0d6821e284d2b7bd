package topology

import "github.com/vishvananda/netns"

// NewScratchNamespace creates a named namespace exactly as a lab's are
// created (in /run/netns, made a shared mount first), for `netconform
// doctor`, which probes what a lab needs on a namespace of its own. Name it
// with ObjectName so that Cleanup removes it if its owner dies. Delete it
// with netns.DeleteNamed and close the handle.
func NewScratchNamespace(name string) (netns.NsHandle, error) {
	return newNamedNamespace(name, func() error { return nil })
}

// InNamespace runs fn on a fresh OS thread inside ns that is discarded
// afterwards (see inNamespace): sockets fn opens stay in ns.
func InNamespace(ns netns.NsHandle, fn func() error) error { return inNamespace(ns, fn) }
