package metastable_test

import (
	"fmt"
	"time"

	"dsim/sim/resilience"
	"dsim/sim/scenario/metastable"
)

// The storm and its twin: the same spike, and only the clients' retry
// policy differs.
func Example() {
	storm, _ := metastable.PresetConfig("storm")
	for _, name := range []string{"no backoff", "full jitter + 10% budget"} {
		cfg := storm
		if name != "no backoff" {
			cfg.Backoff = resilience.Backoff{Kind: resilience.FullJitter, Base: 100 * time.Millisecond, Cap: 5 * time.Second}
			cfg.RetryBudget = 0.1
		}
		res, err := metastable.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d of %d answered, %.2f attempts per request, %d wasted: %v\n",
			name, res.Succeeded, res.Requests, res.Amplification(), res.Wasted, res.Verdict().Outcome)
	}
	// Output:
	// no backoff: 441 of 2171 answered, 3.35 attempts per request, 4813 wasted: Metastable
	// full jitter + 10% budget: 1743 of 2171 answered, 1.02 attempts per request, 465 wasted: Recovered
}

// A backlog that drains slowly is not metastable. At 10 requests/s the
// storm's clients send at most 40 attempts/s, under the 50/s the server
// finishes: the verdict at 2 minutes sees the backlog drain and expects
// the recovery that a 6-minute run measures.
func ExampleResult_Verdict() {
	cfg, _ := metastable.PresetConfig("storm")
	cfg.BaseRate = 10
	cfg.SpikeRate = 80
	cfg.Trigger.Duration = 12 * time.Second
	for _, d := range []time.Duration{2 * time.Minute, 6 * time.Minute} {
		cfg.Duration = d
		res, err := metastable.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		v := res.Verdict()
		switch v.Outcome {
		case metastable.Recovering:
			fmt.Printf("%v: %v: backlog %d, draining at %.1f/s; expected recovery %v after the trigger\n", d, v.Outcome, v.Backlog, -v.Drift, v.RecoveryTime)
		default:
			fmt.Printf("%v: %v %v after the trigger\n", d, v.Outcome, v.RecoveryTime)
		}
	}
	// Output:
	// 2m0s: Recovering: backlog 1893, draining at 10.0/s; expected recovery 4m37s after the trigger
	// 6m0s: Recovered 4m24s after the trigger
}

// A bad field gives an error that names it.
func ExampleConfig_Validate() {
	cfg := metastable.Default()
	cfg.CapacityDrop = 1.5
	fmt.Println(cfg.Validate())
	cfg = metastable.Default()
	cfg.Backoff.Kind = "linear"
	fmt.Println(cfg.Validate())
	// Output:
	// metastable: CapacityDrop=1.5: must be between 0 and 1 (a share)
	// metastable: Backoff.Kind=linear: want one of none, exponential, full-jitter, decorrelated-jitter
}
