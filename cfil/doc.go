// Package cfil answers, for every socket check, "is a content filter on this
// socket's path, and what did it log?", and supplies a user-space filter that a
// check and the fault-injection self-tests put on the path on purpose.
//
// On macOS the content filter is the kernel's cfil (bsd/net/content_filter.c):
// evidence is the net.cfil.* sysctls, the decoded net.cfil.stats counters and
// the kernel log lines tagged CFIL, among them the sosend_reinject() failure
// that accompanies the silently dropped first datagram of an IPv4-mapped
// sendto() on macOS 15.6.1. On Linux the nearest equivalent is an NFQUEUE
// rule handing packets to a user-space verdict loop: evidence is the queueing
// rules and the /proc/net/netfilter/nfnetlink_queue counters, and StartFilter
// builds such a filter (xtables NFQUEUE target plus nfnetlink_queue; the
// nftables "queue" statement is not used because kernels commonly lack
// nft_queue while having the xt target).
//
// Lifetime: every rule StartFilter inserts and its queue binding live in the
// lab's SUT network namespace, never in the host's. Close removes them; after
// a crash nothing survives either, because removing the lab namespace (the
// lab's own clean-up, or the kernel when its last reference goes) destroys its
// tables and unbinds its queues.
//
// Parsing (rules, queue rows, sysctls, kernel log) is free of build tags and
// tested on Linux with fixtures; only running the commands is per OS.
package cfil
