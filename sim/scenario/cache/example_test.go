package cache_test

import (
	"fmt"

	"dsim/sim/scenario/cache"
)

// The default: an LRU cache of 5% of 100,000 keys, beside Che's
// approximation.
func Example() {
	res, err := cache.Run(cache.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("steady hit ratio %.1f%%, Che's approximation %.1f%%\n", 100*res.SteadyHitRatio(), 100*res.Che.HitRatio)
	fmt.Println(res.Verdict().Outcome)
	// Output:
	// steady hit ratio 36.9%, Che's approximation 36.9%
	// Stable
}

// A flushed look-aside cache whose clients retry never warms again.
func Example_flushStorm() {
	cfg, err := cache.PresetConfig("flush-storm")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := cache.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("hit ratio before the flush %.0f%%, at the end %.0f%%\n", 100*res.SteadyHitRatio(), 100*res.HitRatioBetween(cfg.Duration-cfg.SettleTime, cfg.Duration))
	fmt.Println(res.Verdict().Outcome)
	// Output:
	// hit ratio before the flush 61%, at the end 0%
	// Metastable
}

// Che's approximation for an LRU cache of 1% of a million keys.
func ExampleCheApprox() {
	c := cache.CheApprox(1_000_000, 0.8, 10_000)
	fmt.Printf("hit ratio %.1f%%, characteristic time %.0f requests\n", 100*c.HitRatio, c.Requests)
	// Output:
	// hit ratio 23.2%, characteristic time 12106 requests
}
