//go:build ignore

// Which server should the next request go to?
//
// Eight servers at 70% load, one balancer. First the policies side by
// side (same seed, so the same arrivals and service times); then one
// server ten times slower from 2m (a gray failure: it still answers, so
// health checks pass); then the balancer reading load a second old; then
// a server leaving a consistent-hash ring; and the supermarket model,
// Mitzenmacher's T_d, beside a run of 100 servers.
//
//	dsim run scripts/balance.go
package main

import (
	"fmt"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/scenario/balance"
	"dsim/sim/service"
)

func main() {
	cfg := balance.Default()
	cfg.Seed = script.Seed() // dsim run -seed N changes it

	// The policies on the same load: the mean, the p99 and the longest
	// queue of each.
	cmp, err := balance.ComparePolicies(cfg, service.RoundRobin, service.Random, service.LeastOutstanding, service.PowerOfChoices)
	if err != nil {
		display.Show(err)
		return
	}
	display.Show(cmp.Table())

	// A gray failure under round robin and under least-outstanding.
	for _, name := range []string{"gray-failure", "gray-failure-least"} {
		res, err := run(name, cfg.Seed)
		if err != nil {
			display.Show(err)
			return
		}
		display.Show(fmt.Sprintf("%s: s1 took %.1f%% of the calls, %.1f× what it could serve while slow", name,
			100*float64(res.Servers[0].Calls)/float64(res.Requests), res.SlowLoad()))
		display.Show(res.Verdict())
	}

	// Stale load: least-outstanding against two random choices, and
	// random choice, which reads no load at all.
	for _, p := range []service.Policy{service.LeastOutstanding, service.PowerOfChoices, service.Random} {
		stale, err := balance.PresetConfig("stale-load")
		if err != nil {
			display.Show(err)
			return
		}
		stale.Seed, stale.Policy = cfg.Seed, p
		res, err := balance.Run(stale)
		if err != nil {
			display.Show(err)
			return
		}
		display.Show(fmt.Sprintf("load 1s old, %s: p99 %v, longest queue %d", p,
			res.Latency.Quantile(0.99).Duration().Round(time.Millisecond), res.MaxQueue()))
	}

	// A server leaves the ring: which keys move, and where the load goes.
	res, err := run("hash-leave", cfg.Seed)
	if err != nil {
		display.Show(err)
		return
	}
	moved, ring := res.KeysMoved()
	_, busiest := res.LoadAfter()
	display.Show(fmt.Sprintf("hash-leave: %.1f%% of the keys moved (the ring's share of s8: about %.1f%%; modulo hashing: %.1f%%); after it, the busiest server took %.2f× an even share",
		100*moved, 100*ring, 100*balance.ModuloMoved(res.Config.Servers), busiest))
	display.Show(res.CallsFigure())

	// The supermarket model beside a run.
	res, err = run("supermarket", cfg.Seed)
	if err != nil {
		display.Show(err)
		return
	}
	if th, ok := res.Theory(); ok {
		display.Show(fmt.Sprintf("supermarket, %d servers at λ = %.1f, d = %d: T_d %v, the run %v (%+.1f%%)",
			res.Config.Servers, th.Lambda, th.D, th.T.Round(time.Millisecond), th.Measured.Round(time.Millisecond), 100*th.Off()))
	}
	display.Show(res.TheoryFigure())

	// What to notice: least-outstanding wins on live load and loses worst
	// on stale load; a slow server hurts round robin for as long as it is
	// slow. Try cfg.Load = 0.9, or a LoadAge of 2s for the stale runs.
}

// run runs the named preset with the given seed.
func run(name string, seed uint64) (*balance.Result, error) {
	cfg, err := balance.PresetConfig(name)
	if err != nil {
		return nil, err
	}
	cfg.Seed = seed
	return balance.Run(cfg)
}

// Output:
// Side by side
// metric                            round-robin  random    least-outstanding  power of 2 choices
// --------------------------------  -----------  --------  -----------------  ------------------
// policy                            round-robin  random    least-outstanding  power of 2 choices
// outcome                           Balanced     Balanced  Balanced           Balanced
// time in system: mean                  207.3ms   345.5ms            120.1ms             168.4ms
// time in system: p99                   990.9ms    1.703s            534.5ms             687.9ms
// longest queue (calls)                      14        24                  3                   5
// busiest server (× an even share)  1.00×        1.02×     1.01×              1.01×
// gray-failure: s1 took 12.5% of the calls, 7.1× what it could serve while slow
// Overloaded: s1 fell behind: its queue reached 2912 calls (2912 service times of waiting); round-robin: time in system 3.265s on average, p99 2m15.2s; s1, 10× slower, took 12.5% of the calls
// gray-failure-least: s1 took 3.9% of the calls, 1.0× what it could serve while slow
// Balanced: every server kept up (longest queue 4) and the busiest took 1.13× an even share; least-outstanding: time in system 168.9ms on average, p99 1.034s; s1, 10× slower, took 3.909% of the calls
// load 1s old, least-outstanding: p99 4.844s, longest queue 60
// load 1s old, power-of-choices: p99 1.376s, longest queue 18
// load 1s old, random: p99 1.703s, longest queue 24
// hash-leave: 12.2% of the keys moved (the ring's share of s8: about 12.5%; modulo hashing: 87.5%); after it, the busiest server took 1.25× an even share
// figure: out/balance-calls-after.svg (and .png)
// supermarket, 100 servers at λ = 0.9, d = 2: T_d 2.614s, the run 2.658s (+1.7%)
// figure: out/balance-supermarket.svg (and .png)
