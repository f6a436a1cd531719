package elastic_test

import (
	"fmt"

	"dsim/sim/scenario/elastic"
)

// A steady load on a group that scales out one at a time and in six at a
// time: a one-minute cooldown, shorter than the five-minute warm-up,
// makes it oscillate; a seven-minute one lets it settle.
func Example() {
	for _, name := range []string{"oscillation", "oscillation-calm"} {
		cfg, err := elastic.PresetConfig(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := elastic.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("cooldown %v: %s, %d reversals, %.2f instance-hours, $%.3f\n",
			cfg.Cooldown, res.Verdict().Outcome, res.Group.Reversals, res.InstanceHours, res.Dollars())
	}
	// Output:
	// cooldown 1m0s: Oscillating, 18 reversals, 7.10 instance-hours, $0.682
	// cooldown 7m0s: Absorbed, 0 reversals, 3.98 instance-hours, $0.382
}
