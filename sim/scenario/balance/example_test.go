package balance_test

import (
	"fmt"

	"dsim/sim/scenario/balance"
	"dsim/sim/service"
)

// A gray failure: s1 runs ten times slower from 2m. Round robin keeps
// sending it an eighth of the requests; least-outstanding sends it what it
// can take.
func Example() {
	for _, p := range []service.Policy{service.RoundRobin, service.LeastOutstanding} {
		cfg, err := balance.PresetConfig("gray-failure")
		if err != nil {
			fmt.Println(err)
			return
		}
		cfg.Policy = p
		res, err := balance.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		v := res.Verdict()
		fmt.Printf("%s: %s, s1's load while slow %.2f, longest queue %d, p99 %v\n", p, v.Outcome, res.SlowLoad(), v.MaxQueue, v.P99)
	}
	// Output:
	// round-robin: Overloaded, s1's load while slow 7.06, longest queue 2912, p99 2m15.2s
	// least-outstanding: Balanced, s1's load while slow 0.98, longest queue 4, p99 1.034s
}

// Mitzenmacher's supermarket model at λ = 0.9: a second choice cuts the
// mean time in system from 10 service times to 2.6; a third adds little.
func ExampleSupermarket() {
	for d := 1; d <= 3; d++ {
		t, err := balance.Supermarket(d, 0.9)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("T_%d(0.9) = %.3f mean service times\n", d, t)
	}
	// Output:
	// T_1(0.9) = 10.000 mean service times
	// T_2(0.9) = 2.614 mean service times
	// T_3(0.9) = 2.028 mean service times
}
