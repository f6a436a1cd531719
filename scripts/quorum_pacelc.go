//go:build ignore

// What does consistency cost, with and without a partition?
//
// PACELC: if there is a Partition, choose Availability or Consistency;
// Else, choose Latency or Consistency. This script asks both questions of
// a five-replica quorum store:
//
//  1. Else: the same Strong store on a LAN and across five regions, and
//     the regional store with Weak (R=W=1) quorums instead.
//  2. Partition: a 10-second split under Strong, Eventual, and Strong with
//     a sloppy quorum.
//  3. Clocks: last-writer-wins with client clocks 100ms apart, and the
//     ABD register that ignores clocks.
//
// Every history is checked for linearizability by porcupine. Run it with:
//
//	dsim run scripts/quorum_pacelc.go
package main

import (
	"fmt"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/metrics"
	"dsim/sim/scenario/quorum"
)

// run runs a preset with the script's seed.
func run(name string) *quorum.Result {
	cfg, err := quorum.PresetConfig(name)
	if err != nil {
		panic(err)
	}
	cfg.Seed = script.Seed()
	res, err := quorum.Run(cfg)
	if err != nil {
		panic(err)
	}
	return res
}

func pct(x float64) string { return metrics.Pct(x).String() }

func main() {
	// 1. Else: latency against consistency.
	names := []string{"lan", "wan", "wan-weak"}
	var else_ []*quorum.Result
	for _, n := range names {
		else_ = append(else_, run(n))
	}
	display.Show(quorum.CompareTable(names, else_...))

	// 2. Partition: availability against consistency.
	t := metrics.NewTable("A 10s partition", "setting", "majority side answered", "minority side answered", "stale reads", "linearizable")
	var last *quorum.Result
	for _, n := range []string{"partition-strong", "partition-eventual", "sloppy-quorum"} {
		res := run(n)
		v := res.Verdict()
		t.Add(n, pct(v.Available[0]), pct(v.Available[1]), fmt.Sprint(v.StaleReads), string(v.Check))
		last = res
	}
	display.Show(t)
	display.Show(last.ThroughputFigure())

	// 3. Clocks: a write a client saw acknowledged, lost.
	for _, n := range []string{"lww-skew", "abd"} {
		res := run(n)
		display.Show(fmt.Sprintf("%s: %d acknowledged writes lost, %s", n, res.LostWrites, res.Check))
	}
}

// Output:
// Side by side
// metric             lan                  wan                            wan-weak
// -----------------  -------------------  -----------------------------  -----------------------------
// model (N, R, W)    strong (5, 3, 3)     strong (5, 3, 3)               weak (5, 1, 1)
// network latency    lognormal(1ms, 0.3)  lognormal(75ms, 0.3)           lognormal(75ms, 0.3)
// regions            1                    5, lognormal(1ms, 0.3) inside  5, lognormal(1ms, 0.3) inside
// read mean / p99    11.1ms / 17.0ms      150.2ms / 205.7ms              11.6ms / 25.5ms
// write mean / p99   11.1ms / 18.0ms      147.9ms / 185.1ms              11.6ms / 28.1ms
// failed operations                   0%                             0%                             0%
// stale reads                          0                              0                             38
// inverted reads                       0                              0                             70
// lost writes                          0                              0                              0
// linearizable       linearizable         linearizable                   not linearizable
// A 10s partition
// setting             majority side answered  minority side answered  stale reads  linearizable
// ------------------  ----------------------  ----------------------  -----------  ----------------
// partition-strong    100%                    0%                      0            linearizable
// partition-eventual  100%                    100%                    57           not linearizable
// sloppy-quorum       100%                    100%                    43           not linearizable
// figure: out/quorum-ops-strong-sloppy-quorum.svg (and .png)
// lww-skew: 9 acknowledged writes lost, not linearizable
// abd: 0 acknowledged writes lost, linearizable
