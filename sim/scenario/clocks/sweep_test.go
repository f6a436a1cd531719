package clocks_test

import (
	"strings"
	"testing"

	"dsim/sim/scenario/clocks"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/sweep"
)

// A sweep over the skew gives the same table whatever the number of
// workers, and its runs are the plain runs of the base with the point's
// values and the run's seed.
func TestSweepWorkersAgree(t *testing.T) {
	base := presetConfig(t, "lww-skew")
	spec := sweep.Spec{Seed: 3, Reps: 3, Knobs: []sweep.Knob{{Name: "Skew", Values: []float64{0.001, 0.02, 0.1}}}}
	res := scenariotest.SameOnAnyWorkers(t, clocks.Sweep, base, spec)
	p := res.Points[2]
	c := base
	c.Skew = p.Duration("Skew")
	c.Seed = sweep.RunSeed(3, p.Values, 0)
	r := mustRun(t, c)
	if got := res.Values(p.Index, "lost writes (physical)")[0]; got != float64(r.Order.LostPhysical) {
		t.Errorf("sweep run lost %v writes, the plain run %d", got, r.Order.LostPhysical)
	}
	// More skew, more writes lost; Lamport stamps lose none.
	if lo, hi := res.Stat(0, "lost writes (physical)").Mean, res.Stat(2, "lost writes (physical)").Mean; !(lo < hi) {
		t.Errorf("skew 1ms: %v lost, 100ms: %v", lo, hi)
	}
	if l := res.Stat(2, "lost writes (lamport)").Mean; l != 0 {
		t.Errorf("Lamport stamps lost %v", l)
	}
}

func TestSweepValidation(t *testing.T) {
	_, err := clocks.Sweep(clocks.Default(), sweep.Spec{Reps: 1, Knobs: []sweep.Knob{{Name: "Skew", Values: []float64{-1}}}})
	if err == nil || !strings.Contains(err.Error(), "Skew=-1s") {
		t.Fatalf("got %v", err)
	}
	_, err = clocks.Sweep(clocks.Default(), sweep.Spec{Reps: 1, Knobs: []sweep.Knob{{Name: "Skw", Values: []float64{1}}}})
	if err == nil || !strings.Contains(err.Error(), `"Skw": unknown knob`) {
		t.Fatalf("got %v", err)
	}
}
