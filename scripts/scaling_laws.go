//go:build ignore

// Why does a system stop scaling?
//
// First N users who think for a second against three stations (a web
// CPU, a database CPU, a disk): exact Mean Value Analysis and the
// response-time law R = N/X − Z beside the simulation, and the knee N*
// where the busiest station takes over. Then a disk four times faster:
// where the bottleneck goes. Then threads sharing a lock: Amdahl's law and
// the Universal Scalability Law fitted to their throughput, without and
// with a coherency cost.
//
//	dsim run scripts/scaling_laws.go
package main

import (
	"fmt"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/scenario/scaling"
)

func main() {
	seed := script.Seed() // dsim run -seed N changes it

	// Users against three stations, MVA and the law beside each point.
	res, err := run("knee", seed)
	if err != nil {
		display.Show(err)
		return
	}
	display.Show(res.Summary())
	display.Show(res.ThroughputFigure())

	// A faster disk: the next busiest station becomes the bottleneck.
	res, err = run("faster-disk", seed)
	if err != nil {
		display.Show(err)
		return
	}
	knee, neck := res.Knee()
	display.Show(fmt.Sprintf("faster disk: the %s is the bottleneck now, knee N* = %.1f; 60 users get %.2f/s (MVA %.2f/s)",
		neck, knee, res.Last().X, res.Last().MVA.X))

	// Threads sharing a lock held for a fifth of each request, then with
	// each hold growing with the threads.
	for _, name := range []string{"lock", "coherency"} {
		res, err := run(name, seed)
		if err != nil {
			display.Show(err)
			return
		}
		display.Show(fmt.Sprintf("%s: the lock's share %.2f; %v; %v", name, res.LockShare(), res.Amdahl, res.USL))
		display.Show(res.Verdict().Outcome)
		if name == "coherency" {
			display.Show(res.ScalingFigure())
		}
	}

	// What to notice: past the knee each user adds about D_max = 40ms to
	// the response time and nothing to the throughput; a faster disk helps
	// only up to the next bottleneck; Amdahl's σ is the lock's share, and
	// only the USL's κ can bend throughput down. Try Coherency 100µs.
}

// run runs the named preset with the given seed.
func run(name string, seed uint64) (*scaling.Result, error) {
	cfg, err := scaling.PresetConfig(name)
	if err != nil {
		return nil, err
	}
	cfg.Seed = seed
	return scaling.Run(cfg)
}

// Output:
// Scaling: up to 60 users, think const(1s) (seed 1)
// N   X (/s)  MVA X (/s)  R        MVA R    N/X − Z  web busy  database busy  disk busy
// --  ------  ----------  -------  -------  -------  --------  -------------  ---------
//  1    0.92       0.917  88.15ms     90ms  87.11ms    1.763%         2.688%     3.644%
// 10   8.927       8.923    121ms  120.7ms  120.3ms     18.2%         26.98%     35.19%
// 20   16.83       16.86  189.4ms  186.6ms  188.4ms    34.34%         50.22%     67.18%
// 30   22.47        22.5  335.9ms  333.5ms  335.4ms    45.18%         66.98%      89.3%
// 40   24.77       24.67  614.9ms  621.3ms  615.1ms    49.81%         73.89%     98.37%
// 50   25.07       24.98  993.9ms   1.002s  994.5ms    50.39%         74.71%     99.64%
// 60   25.09          25    1.39s     1.4s   1.391s    50.45%         74.79%     99.71%
// knee N* = 27.2 (bottleneck: disk); simulation against MVA at most 0.4% off in X, 2.1% in R; R against N/X − Z at most 1.18% off
// PastKnee: 60 users are 2.2× the knee N* = 27.2: the disk is 99.71% busy and pins throughput at 25.09/s (1/D_max = 25.00/s); each user added adds about 39.63ms to the response time (D_max = 40ms), now 1.39s (MVA 1.4s, N/X − Z 1.391s)
// figure: out/scaling-throughput.svg (and .png)
// faster disk: the database is the bottleneck now, knee N* = 35.3; 60 users get 33.63/s (MVA 33.33/s)
// lock: the lock's share 0.20; Amdahl σ=0.1915 (R²=0.796); USL σ=0.1700 κ=0.00019 (R²=0.868)
// Contended
// coherency: the lock's share 0.20; Amdahl σ=0.6373 (R²=-1.088); USL σ=0.1690 κ=0.00425 (R²=0.820)
// Retrograde
// figure: out/scaling-threads.svg (and .png)
