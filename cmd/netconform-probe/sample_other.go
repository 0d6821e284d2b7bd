//go:build !linux && !darwin

package main

// otherSampler samples nothing: the loop still measures failures and rate.
type otherSampler struct{}

func newSampler() sampler { return otherSampler{} }

func (otherSampler) sample(map[string]int64) []string {
	return []string{"no socket accounting sampler for this OS"}
}
