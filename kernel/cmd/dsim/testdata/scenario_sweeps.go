// A script's sweeps over knobs of the quorum and crdt scenarios: compiled
// runs, in parallel, and the same table whatever the number of workers.
package main

import (
	"fmt"

	"dsim/kernel/script"
	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/quorum"
	"dsim/sim/scenario/registry"
	"dsim/sim/sweep"
)

func main() {
	q := quorum.Default()
	q.Duration = q.Duration / 3
	c := crdt.Default()
	for _, workers := range []int{1, 2} {
		qs, err := quorum.SweepContext(script.Context(), q, sweep.Spec{Name: "quorum", Seed: 7, Reps: 2, Workers: workers,
			Knobs: []sweep.Knob{{Name: "Nodes", Values: []float64{3, 5}}, {Name: "Model", Labels: []string{"strong", "eventual"}}}})
		if err != nil {
			panic(err)
		}
		// Any registered scenario sweeps the same way, by name.
		s, err := registry.Find("crdt")
		if err != nil {
			panic(err)
		}
		cs, err := s.Sweep(script.Context(), c, sweep.Spec{Name: "crdt", Seed: 7, Reps: 2, Workers: workers,
			Knobs: []sweep.Knob{{Name: "GossipPeriod", Values: []float64{0.2, 1, 5}}}})
		if err != nil {
			panic(err)
		}
		fmt.Printf("workers=%d\n%s%s", workers, qs.Table().CSV(), cs.Table().CSV())
	}
}
