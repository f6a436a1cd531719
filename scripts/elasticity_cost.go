//go:build ignore

// What does elastic capacity cost, and when does it come too late?
//
// A group of servers sized by an autoscaler meets a spike shorter than
// its instances' warm-up; a steady load meets a cooldown shorter than the
// warm-up; a serverless function meets its platform's burst limit. Every
// run is priced at list prices. Then a cost study in the spirit of
// Gorton's twelve configurations (ch. 8): target utilisation × maximum
// instances, cost against throughput and against p99, the Pareto fronts
// marked.
//
//	dsim run scripts/elasticity_cost.go
package main

import (
	"fmt"
	"time"

	"dsim/kernel/display"
	"dsim/kernel/script"
	"dsim/sim/scenario/elastic"
)

func main() {
	seed := script.Seed() // dsim run -seed N changes it

	// A spike faster than the warm-up, then the same spike on a group
	// sized for it all along.
	for _, name := range []string{"spike", "spike-fixed", "oscillation", "oscillation-calm", "throttled"} {
		res, err := run(name, seed)
		if err != nil {
			display.Show(err)
			return
		}
		display.Show(fmt.Sprintf("%s: p99 %v, %.2f instance-hours, $%.3f", name, res.P99().Round(time.Millisecond), res.InstanceHours, res.Dollars()))
		display.Show(res.Verdict())
		if name == "spike" {
			display.Show(res.CapacityFigure())
		}
	}

	// The cost study: 3 targets × 4 maximums, 3 runs each, in parallel.
	base, err := elastic.PresetConfig("cost-study")
	if err != nil {
		display.Show(err)
		return
	}
	study, err := elastic.CostStudy(base, elastic.StudySpec{Seed: seed, Reps: 3})
	if err != nil {
		display.Show(err)
		return
	}
	display.Show(study.Table())
	for _, p := range study.Front(false) {
		display.Show(fmt.Sprintf("on the cost-throughput front: target %.0f%%, max %d: $%.3f for %.1f req/s", 100*p.Target, p.Max, p.Dollars, p.Throughput))
	}
	figs := study.Figures()
	display.Show(figs[0])
	display.Show(figs[1])

	// What to notice: the capped groups are cheapest and answer least;
	// past the cap the users need, a higher target saves instance-hours
	// for a few milliseconds of p99. Try base.Users = 150.
}

// run runs the named preset with the given seed.
func run(name string, seed uint64) (*elastic.Result, error) {
	cfg, err := elastic.PresetConfig(name)
	if err != nil {
		return nil, err
	}
	cfg.Seed = seed
	return elastic.Run(cfg)
}

// Output:
// spike: p99 54.291s, 5.53 instance-hours, $0.531
// Lagged: 6 windows missed the p99 SLO of 2s, the worst 1m0.8s at 23m0s; p99 54.29s over the run; 5.53 instance-hours, $0.531 (a fixed group of 9 for the peak: $1.152)
// figure: out/elastic-capacity.svg (and .png)
// spike-fixed: p99 908ms, 12.00 instance-hours, $1.152
// Absorbed: every window met the p99 SLO of 2s (the worst 1.121s); p99 907.5ms over the run; 12.00 instance-hours, $1.152 (a fixed group of 9 for the peak: $1.152)
// oscillation: p99 1.227s, 7.10 instance-hours, $0.682
// Oscillating: the group reversed 18 times (58 launched, 53 terminated): each launch served only after its 5m0s warm-up, and the scaler, with a 1m0s cooldown, decided again on utilisation read before it; p99 1.227s over the run; 7.10 instance-hours, $0.682 (a fixed group of 3 for the peak: $0.384)
// oscillation-calm: p99 972ms, 3.98 instance-hours, $0.382
// Absorbed: every window met the p99 SLO of 2s (the worst 1.39s); p99 972ms over the run; 3.98 instance-hours, $0.382 (a fixed group of 3 for the peak: $0.384)
// throttled: p99 922ms, 17.85 instance-hours, $0.265
// Throttled: 6285 requests (7.757%) were throttled from 20m0s: the calls asked at once outgrew the platform's limit (burst 10, +5 a minute); p99 922.2ms over the run; 0.05619% of the calls started cold; $0.2648
// Cost study: 12 configurations × 3 runs, 100 users thinking exp(1s)
// target  max  dollars  cost vs base  throughput (req/s)  p99 (s)  front
// ------  ---  -------  ------------  ------------------  -------  ---------------
//    60%    6    0.288        52.17%                59.9    1.631  none
//    60%    9   0.4272        77.39%               77.85    1.204  throughput
//    60%   12   0.5568        100.9%               79.79    1.204  none
//    60%   16   0.7232          131%               80.17    1.181  throughput
//    70%    6    0.288        52.17%               59.99    1.622  throughput, p99
//    70%    9   0.4272        77.39%               77.85    1.194  p99
//    70%   12    0.552          100%               79.84     1.18  throughput, p99
//    70%   16    0.704        127.5%               79.79     1.18  p99
//    80%    6    0.288        52.17%               59.87    1.643  none
//    80%    9   0.4224        76.52%               77.39     1.21  throughput, p99
//    80%   12   0.5376        97.39%               79.27    1.185  throughput, p99
//    80%   16   0.5835        105.7%               79.37    1.196  none
// cost vs base: against target 70%, max 12
// on the cost-throughput front: target 70%, max 6: $0.288 for 60.0 req/s
// on the cost-throughput front: target 80%, max 9: $0.422 for 77.4 req/s
// on the cost-throughput front: target 60%, max 9: $0.427 for 77.9 req/s
// on the cost-throughput front: target 80%, max 12: $0.538 for 79.3 req/s
// on the cost-throughput front: target 70%, max 12: $0.552 for 79.8 req/s
// on the cost-throughput front: target 60%, max 16: $0.723 for 80.2 req/s
// figure: out/elastic-cost-throughput.svg (and .png)
// figure: out/elastic-cost-p99.svg (and .png)
