package cfil

import (
	"errors"
	"strings"
	"testing"
)

func TestClassifyIptables(t *testing.T) {
	tests := []struct {
		output          string
		wantUnsupported bool
		want            string
	}{
		{"iptables v1.8.9 (legacy): Couldn't load target `NFQUEUE':No such file or directory", true, "xt_NFQUEUE"},
		{"Warning: Extension NFQUEUE revision 0 not supported, missing kernel module?", true, "xt_NFQUEUE"},
		{"iptables v1.8.9 (nf_tables): RULE_INSERT failed (No such file or directory): rule in chain OUTPUT", true, "xt_NFQUEUE"},
		{"iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)", true, "permission denied"},
		{"iptables v1.8.9 (legacy): can't initialize iptables table `filter': Table does not exist (do you need to insmod?)", true, "tables are not available"},
		{"iptables v1.8.9 (nf_tables): Failed to initialize nft: Protocol not supported", true, "tables are not available"},
		{"iptables v1.8.9 (nf_tables): unknown option \"--dport\"", false, `unknown option "--dport"`},
		{"iptables: Bad rule (does a matching rule exist in that chain?).", false, "Bad rule"},
	}
	for _, tt := range tests {
		err := classifyIptables("iptables", []string{"-w", "5", "-I", "OUTPUT"}, tt.output, errors.New("exit status 2"))
		if errors.Is(err, ErrUnsupported) != tt.wantUnsupported || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v (unsupported %v), want %v and %q", tt.output, err, errors.Is(err, ErrUnsupported), tt.wantUnsupported, tt.want)
		}
	}
}
