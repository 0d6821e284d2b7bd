package cfil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/netconform/netconform/topology"
)

// queueProcFile is the SUT namespace's nfnetlink_queue table. /proc/net is
// /proc/self/net, which follows the process's main thread and so the host's
// namespace; thread-self follows the thread sut.Do put in the SUT's.
const queueProcFile = "/proc/thread-self/net/netfilter/nfnetlink_queue"

func collectState(ctx context.Context, sut topology.SUT) (State, error) {
	var s State
	for _, t := range []struct{ tool, save string }{{"iptables", "iptables-save"}, {"ip6tables", "ip6tables-save"}} {
		res, err := runInSUT(ctx, sut, t.save, "-c")
		switch {
		case errors.Is(err, exec.ErrNotFound):
			s.Errors = append(s.Errors, fmt.Sprintf("%s not installed: %s rules not read", t.save, t.tool))
		case err != nil:
			return s, err
		case res.Err != nil:
			s.Errors = append(s.Errors, fmt.Sprintf("%s -c: %v: %s", t.save, res.Err, firstLine(res.output())))
		default:
			s.Rules = append(s.Rules, queueRulesFromSave(t.tool, res.Stdout)...)
		}
	}
	res, err := runInSUT(ctx, sut, "nft", "list", "ruleset")
	switch {
	case errors.Is(err, exec.ErrNotFound):
		s.Errors = append(s.Errors, "nft not installed: native nftables queue rules not read")
	case err != nil:
		return s, err
	case res.Err != nil:
		s.Errors = append(s.Errors, fmt.Sprintf("nft list ruleset: %v: %s", res.Err, firstLine(res.output())))
	default:
		s.Rules = append(s.Rules, queueRulesFromNft(res.Stdout)...)
	}

	var (
		text    []byte
		readErr error
	)
	if err := sut.Do(func() error {
		text, readErr = os.ReadFile(queueProcFile)
		return nil
	}); err != nil {
		return s, fmt.Errorf("cfil: enter the SUT: %w", err)
	}
	switch {
	case errors.Is(readErr, os.ErrNotExist):
		s.Errors = append(s.Errors, "no /proc/net/netfilter/nfnetlink_queue: nfnetlink_queue is not loaded or not in this kernel")
	case readErr != nil:
		s.Errors = append(s.Errors, fmt.Sprintf("read nfnetlink_queue: %v", readErr))
	default:
		rows, problems := parseQueues(string(text))
		s.Queues = rows
		s.Errors = append(s.Errors, problems...)
	}
	return s, nil
}
