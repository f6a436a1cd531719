package scaling_test

import (
	"fmt"

	"dsim/sim/scenario/scaling"
)

// Sixty users against three stations: past the knee the disk pins the
// throughput, and exact MVA says so before any run.
func Example() {
	cfg, err := scaling.PresetConfig("knee")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := scaling.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	knee, neck := res.Knee()
	last := res.Last()
	fmt.Printf("knee N* = %.1f (%s); %d users: X = %.2f/s (MVA %.2f), R = %v (MVA %v), N/X − Z = %v\n",
		knee, neck, last.N, last.X, last.MVA.X, last.R.Round(1e6), last.MVA.R.Round(1e6), last.Law().Round(1e6))
	fmt.Println(res.Verdict().Outcome)
	// Output:
	// knee N* = 27.2 (disk); 60 users: X = 25.09/s (MVA 25.00), R = 1.39s (MVA 1.4s), N/X − Z = 1.391s
	// PastKnee
}

// Threads sharing a lock held for a fifth of each request: Amdahl's σ
// finds the lock's share; with a coherency cost the USL finds κ.
func ExampleFitAmdahl() {
	for _, name := range []string{"lock", "coherency"} {
		cfg, err := scaling.PresetConfig(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := scaling.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %v; %v; %v\n", name, res.Amdahl, res.USL, res.Verdict().Outcome)
	}
	// Output:
	// lock: Amdahl σ=0.1915 (R²=0.796); USL σ=0.1700 κ=0.00019 (R²=0.868); Contended
	// coherency: Amdahl σ=0.6373 (R²=-1.088); USL σ=0.1690 κ=0.00425 (R²=0.820); Retrograde
}
