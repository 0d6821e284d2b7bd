package cfil

import (
	"os"
	"path/filepath"
	"testing"
)

// fixture returns the text of testdata/name.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// linuxFixtureState builds a Linux State from the captured iptables-nft
// outputs of one moment ("before" or "after": three UDP datagrams to
// 127.0.0.1 went through queue 3 in between).
func linuxFixtureState(t *testing.T, moment string) State {
	t.Helper()
	s := State{OS: "linux"}
	s.Rules = append(s.Rules, queueRulesFromSave("iptables", fixture(t, "iptables-save-c-"+moment+".txt"))...)
	s.Rules = append(s.Rules, queueRulesFromSave("ip6tables", fixture(t, "ip6tables-save-c-"+moment+".txt"))...)
	s.Rules = append(s.Rules, queueRulesFromNft(fixture(t, "nft-ruleset-"+moment+".txt"))...)
	return s
}
