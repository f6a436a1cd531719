//go:build ignore

// A small sweep of the retry storm, for the shard and merge tests.
package main

import (
	"context"

	"dsim/kernel/display"
	"dsim/sim/scenario/metastable"
	"dsim/sim/sweep"
)

func main() {
	spec := sweep.Spec{Name: "small", Seed: 3, Reps: 2, Knobs: []sweep.Knob{{Name: "spike", Values: []float64{20, 150}}, {Name: "trigger", Values: []float64{2, 10}}}}
	res, err := sweep.Run(context.Background(), spec, func(p sweep.Point, seed uint64) (*sweep.Metrics, error) {
		cfg := metastable.Default()
		// One field per statement: Yaegi v0.16.1 assigns only the last
		// field of a tuple assignment to struct fields inside a closure.
		cfg.Seed = seed
		cfg.Pattern = metastable.Spike
		cfg.SpikeRate = p.Get("spike")
		cfg.Trigger.Duration = p.Duration("trigger")
		r, err := metastable.Run(cfg)
		if err != nil {
			return nil, err
		}
		return sweep.NewMetrics().Set("amplification", r.Amplification()).Latency("latency", r.Latency), nil
	})
	if err != nil {
		panic(err)
	}
	display.Show(res.Table())
}
