package cfil

import (
	"regexp"
	"strconv"
	"strings"
)

// queueRulesFromSave keeps the NFQUEUE rules of `iptables-save -c` (or
// ip6tables-save -c) output, prefixed with the tool and table:
// "iptables filter: [3:84] -A OUTPUT -p udp -j NFQUEUE --queue-num 3".
func queueRulesFromSave(tool, text string) []string {
	var out []string
	table := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "*"):
			table = strings.TrimPrefix(line, "*")
		case strings.Contains(line, "NFQUEUE"):
			out = append(out, tool+" "+table+": "+line)
		}
	}
	return out
}

// nftQueueStatement finds nftables' queue statement ("queue num 3",
// "queue flags bypass to 2-3", "queue to 1").
var nftQueueStatement = regexp.MustCompile(`(^|\s)queue(\s|$)`)

// queueRulesFromNft keeps the rules of `nft list ruleset` that queue
// packets, prefixed with their table and chain. Note that nft prints an
// iptables-nft NFQUEUE rule (an xtables target inside nf_tables) translated as
// "queue num N", even on a kernel without nft_queue: such a line does not mean
// the native statement exists.
func queueRulesFromNft(text string) []string {
	var out []string
	table, chain := "", ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "table":
			table, chain = f[1]+" "+f[2], ""
		case len(f) >= 2 && f[0] == "chain":
			chain = f[1]
		case nftQueueStatement.MatchString(line):
			out = append(out, "nft table "+table+" chain "+chain+": "+line)
		}
	}
	return out
}

var (
	saveCounters = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*`)
	nftCounters  = regexp.MustCompile(`\bcounter packets (\d+) bytes (\d+)\s*`)
	queueNumber  = regexp.MustCompile(`(?:--queue-num|--queue-balance|\bqueue(?: flags \S+)? (?:num|to)) (\d+)`)
)

// ruleCounter splits a rule line from queueRulesFrom* into its identity
// (the line without its counters) and its packet count; ok is false when the
// line carries no counter.
func ruleCounter(line string) (identity string, packets int64, ok bool) {
	prefix, body, found := strings.Cut(line, ": ")
	if !found {
		return line, 0, false
	}
	if m := saveCounters.FindStringSubmatch(body); m != nil {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		return prefix + ": " + body[len(m[0]):], n, true
	}
	if loc := nftCounters.FindStringSubmatchIndex(body); loc != nil {
		n, _ := strconv.ParseInt(body[loc[2]:loc[3]], 10, 64)
		return prefix + ": " + body[:loc[0]] + "counter " + body[loc[1]:], n, true
	}
	return line, 0, false
}

// ruleHits lists the rules of after whose packet counter grew since before
// (a rule absent before counts from zero): the rules that matched the SUT's
// traffic in the window, with the count.
func ruleHits(before, after []string) map[string]int64 {
	prev := map[string]int64{}
	for _, l := range before {
		if id, n, ok := ruleCounter(l); ok {
			prev[id] = n
		}
	}
	hits := map[string]int64{}
	for _, l := range after {
		id, n, ok := ruleCounter(l)
		if !ok {
			continue
		}
		if d := n - prev[id]; d > 0 {
			hits[id] = d
		}
	}
	return hits
}

// ruleQueue is the queue number a rule sends to; ok is false when it does
// not say (an NFQUEUE without --queue-num uses queue 0).
func ruleQueue(line string) (uint16, bool) {
	m := queueNumber.FindStringSubmatch(line)
	if m == nil {
		if strings.Contains(line, "NFQUEUE") {
			return 0, true
		}
		return 0, false
	}
	n, err := strconv.ParseUint(m[1], 10, 16)
	return uint16(n), err == nil
}
