package crdt_test

import (
	"testing"

	"dsim/sim/scenario/crdt"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/sweep"
)

// A sweep over the gossip period gives the same table whatever the
// number of workers, and its runs are the plain runs of the base with the
// point's values and the run's seed.
func TestSweepWorkersAgree(t *testing.T) {
	base, _ := crdt.PresetConfig("seed")
	base.MergeProbability = 0 // off: periodic gossip only
	spec := sweep.Spec{Seed: 3, Reps: 3, Knobs: []sweep.Knob{{Name: "GossipPeriod", Values: []float64{0.2, 1, 5}}}}
	res := scenariotest.SameOnAnyWorkers(t, crdt.Sweep, base, spec)
	scenariotest.FirstColumn(t, res, "GossipPeriod (s)")
	p := res.Points[2]
	c := base
	c.GossipPeriod = p.Duration("GossipPeriod")
	c.Seed = sweep.RunSeed(3, p.Values, 0)
	r, err := crdt.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Values(p.Index, "messages")[0]; got != float64(r.Messages) {
		t.Errorf("sweep run sent %v messages, the plain run %d", got, r.Messages)
	}
	// More gossip, faster agreement.
	fast, slow := res.Stat(0, "converged after (s)").Mean, res.Stat(2, "converged after (s)").Mean
	if !(fast < slow) || res.Stat(0, "converged").Mean != 1 {
		t.Errorf("gossip every 200ms: %vs, every 5s: %vs", fast, slow)
	}
}

func TestSweepValidation(t *testing.T) {
	scenariotest.SweepRefuses(t, crdt.Sweep, crdt.Default(), []scenariotest.Refusal{
		{Knob: sweep.Knob{Name: "GosipPeriod", Values: []float64{1}}, Want: `Knobs[0].Name="GosipPeriod": unknown knob; crdt knows Preset, Type, Replicas`},
		{Knob: sweep.Knob{Name: "GossipPeriod", Values: []float64{1, -1}}, Want: "Knobs[0].Values[1]=-1: GossipPeriod=-1s: must be between 1ms and 1h (or 0: off)"},
		{Knob: sweep.Knob{Name: "Window", Values: []float64{120}}, Want: "Knobs[0].Values[0]=120: Window=2m: is longer than MaxTime=1m"},
		{Knob: sweep.Knob{Name: "Type", Labels: []string{"bag"}}, Want: `Knobs[0].Labels[0]="bag": Type=bag: want one of`},
		{Knob: sweep.Knob{Name: "NetworkDelay", Labels: []string{"exp(2h)"}}, Want: "NetworkDelay=exp(7200s): its mean must be between 0s and 1h"},
		{Knob: sweep.Knob{Name: "Replicas", Values: []float64{2.5}}, Want: "Replicas=2.5: must be a whole number"},
	})
}

func TestSweepStopsOnCancel(t *testing.T) {
	scenariotest.SweepStops(t, crdt.SweepContext, crdt.Default(), sweep.Knob{Name: "Replicas", Values: []float64{3, 4}})
}

// The descriptor runs a preset and reports its verdict and metrics; an
// OR-Set keeps tombstones, so it has a third figure.
func TestScenarioReport(t *testing.T) {
	s := crdt.Scenario()
	scenariotest.Report(t, s, scenariotest.Preset[crdt.Config](t, s, "partition"), "Converged", 3)
}
