package ipv6

import (
	"context"
	"net/netip"
	"strings"

	"github.com/netconform/netconform/check"
	"github.com/netconform/netconform/config"
	"github.com/netconform/netconform/harness"
	"github.com/netconform/netconform/topology"
)

// observeFunc observes one lab whose routers the SUT learned in order; addrs
// holds the SUT's address in each advertised prefix, tag marks the traffic.
type observeFunc[T any] func(ctx context.Context, lab *harness.Lab, p config.IPv6Params, order []string, tag string, addrs map[netip.Prefix]netip.Addr) ([]T, error)

// overOrders runs observe in a fresh lab for every RA order and judges all
// the observations together. A lab that cannot be built or learned, or an
// observation that fails, makes the result an error: the harness could not
// decide.
func overOrders[T any](ctx context.Context, env *harness.Env, p config.IPv6Params, res check.Result, decl topology.Lab, tagPrefix string,
	observe observeFunc[T], judge func([]T) (check.Verdict, string)) check.Result {
	var obs []T
	for _, order := range raOrders(decl) {
		o, err := inLearnedLab(ctx, env, p, decl, tagPrefix+"-"+strings.Join(order, ""), order, &res.Evidence, observe)
		if err != nil {
			res.Errorf("RA order %s: %v", orderString(order), err)
			_ = res.Observe(obs)
			return res
		}
		obs = append(obs, o...)
	}
	res.Verdict, res.Reason = judge(obs)
	if err := res.Observe(obs); err != nil {
		res.Errorf("%v", err)
	}
	return res
}

// inLearnedLab builds the lab, has the SUT learn the routers in order, saves
// the tables before and after observe, and adds the lab's evidence.
func inLearnedLab[T any](ctx context.Context, env *harness.Env, p config.IPv6Params, decl topology.Lab, tag string, order []string,
	evidence *[]string, observe observeFunc[T]) ([]T, error) {
	lab, err := env.Realize(ctx, decl, tag)
	if err != nil {
		return nil, err
	}
	defer func() {
		*evidence = append(*evidence, lab.Evidence...)
		lab.Close()
	}()
	routers := startRouters(lab)
	addrs, err := learn(ctx, lab, routers, order, p)
	if err != nil {
		return nil, err
	}
	if err := lab.SaveTables("before"); err != nil {
		return nil, err
	}
	obs, err := observe(ctx, lab, p, order, tag, addrs)
	if err != nil {
		return nil, err
	}
	if err := lab.SaveTables("after"); err != nil {
		return nil, err
	}
	return obs, routerErrs(routers)
}
