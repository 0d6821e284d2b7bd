package cfil

import (
	"context"
	"errors"
	"os/exec"
	"strings"

	"github.com/netconform/netconform/topology"
)

// iptablesRule is one rule the filter owns in the SUT namespace.
type iptablesRule struct {
	tool  string // iptables or ip6tables
	table string // "" = filter
	chain string
	spec  []string
}

func (r iptablesRule) String() string {
	return r.tool + r.tableArg() + " -A " + r.chain + " " + strings.Join(r.spec, " ")
}

func (r iptablesRule) tableArg() string {
	if r.table == "" || r.table == "filter" {
		return ""
	}
	return " -t " + r.table
}

// lockWait makes iptables wait for the xtables lock (a file shared by every
// namespace on the host) instead of failing when a parallel run holds it.
var lockWait = []string{"-w", "5"}

func (r iptablesRule) insert(ctx context.Context, sut topology.SUT) error {
	return r.run(ctx, sut, "-I")
}

func (r iptablesRule) remove(ctx context.Context, sut topology.SUT) error {
	return r.run(ctx, sut, "-D")
}

func (r iptablesRule) run(ctx context.Context, sut topology.SUT, op string) error {
	args := append([]string{}, lockWait...)
	if t := strings.TrimSpace(r.tableArg()); t != "" {
		args = append(args, strings.Fields(t)...)
	}
	args = append(append(args, op, r.chain), r.spec...)
	res, err := runInSUT(ctx, sut, r.tool, args...)
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return unsupported("no %s binary in PATH: install the iptables package", r.tool)
	case err != nil:
		return err
	case res.Err != nil:
		return classifyIptables(r.tool, args, res.output(), res.Err)
	}
	return nil
}
