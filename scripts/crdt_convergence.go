//go:build ignore

// When do replicas that never coordinate agree, and on what?
//
// CRDT replicas accept every update locally and gossip their state; merge
// is a join, so they converge whatever the order. This script shows:
//
//  1. convergence against gossip rate, for a counter on 3 replicas;
//  2. the shopping cart on an OR-Set, a 2P-Set and a naive set: which
//     removed items come back, and which added items are lost;
//  3. last-writer-wins with skewed clocks: acknowledged writes lost;
//  4. a partition: each half settles on a state of its own, and all
//     replicas agree after the heal.
//
// Run it with:
//
//	dsim run scripts/crdt_convergence.go
package main

import (
	"fmt"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/scenario/crdt"
)

func preset(name string) crdt.Config {
	cfg, err := crdt.PresetConfig(name)
	if err != nil {
		panic(err)
	}
	cfg.Seed = script.Seed()
	return cfg
}

func run(cfg crdt.Config) *crdt.Result {
	res, err := crdt.Run(cfg)
	if err != nil {
		panic(err)
	}
	return res
}

func main() {
	// 1. Gossip rate.
	periods := []time.Duration{200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second}
	t, _, err := crdt.GossipSweep(preset("seed"), periods)
	if err != nil {
		panic(err)
	}
	display.Show(t)

	// 2. The shopping cart.
	for _, name := range []string{"shopping-cart", "2p-cart"} {
		res := run(preset(name))
		f := res.Final[0]
		display.Show(fmt.Sprintf("%s: %s holds %s; the naive set holds %s", name, res.Config.Type, f.Value, f.Naive))
	}

	// 3. Clock skew.
	res := run(preset("lww-skew"))
	display.Show(fmt.Sprintf("lww-skew: %d of %d writes lost; for one: %s", res.LostWrites, res.Ops, res.LostExample))

	// 4. A partition.
	res = run(preset("partition"))
	display.Show(res.Verdict())
	if split, ok := res.Split(); ok {
		display.Show(split)
	}
	display.Show(res.DivergenceFigure())
}

// Output:
// Convergence against gossip period
// gossip period  converged after  messages  bytes
// -------------  ---------------  --------  -----
//         200ms           1.142s  76        1056
//         500ms           1.357s  37        478
//            1s           1.494s  25        274
//            2s           3.482s  24        307
//            5s           9.214s  18        227
// shopping-cart: or-set holds {eggs}; the naive set holds {bread eggs milk}
// 2p-cart: 2p-set holds {}; the naive set holds {bread eggs milk}
// lww-skew: 28 of 60 writes lost; for one: register=v8, written by r2 at 414.764431ms, lost to register=v7 written by r3 11.25635ms earlier with a clock 200ms ahead
// Converged: all 4 replicas hold the same state 9.578s after the last operation (value {e1 e2 e3 e4})
// The replicas were split in two halves from 2s to 12s. Operations stopped at 4s, inside the partition. From 7.1s each half held a single state, and the 4 replicas held 2 distinct states, one per half, until the heal. All 4 agreed 1.531s after the heal.
// figure: out/crdt-divergence.svg (and .png)
