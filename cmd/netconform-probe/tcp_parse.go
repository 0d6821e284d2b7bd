package main

// No build tag: the darwin parser is tested here on fixtures.

import "bytes"

// countTimeWait counts the connections `netstat -an -p tcp` (macOS) shows in
// TIME_WAIT: lines of proto, Recv-Q, Send-Q, local, foreign, state
// (network_cmds netstat.tproj/inet.c, protopr, prints tcpstates[t_state]).
func countTimeWait(out []byte) int64 {
	var n int64
	for _, line := range bytes.Split(out, []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) >= 6 && bytes.HasPrefix(f[0], []byte("tcp")) && bytes.Equal(f[5], []byte("TIME_WAIT")) {
			n++
		}
	}
	return n
}
