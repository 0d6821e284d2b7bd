// Package macos reads what the conformance suite collects from a Mac: command output (sw_vers, uname,
// ifconfig, ndp, netstat, sysctl, zprint, log show), binary kernel structures (net.cfil.stats, BPF read
// buffers, ioctl request layouts) and routing messages.
//
// Everything except the *_darwin.go files is free of build tags so that it is tested on Linux against
// fixtures in testdata/. Layouts and numbers were checked against apple-oss-distributions/xnu at tag
// xnu-11417.121.6 (macOS 15.5); each file names the header it follows.
//
// The parsers never panic: odd input (extra lines, truncated columns, empty input) gives either a best-effort
// result plus the raw lines, or an error.
package macos
