package quorum_test

import (
	"testing"

	"dsim/sim/internal/simtest"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/quorum"
	"dsim/sim/sweep"
)

// A sweep gives the same table whatever the number of workers, and each
// of its runs is the plain run of the base with the point's values.
func TestSweepIsTheSameWithOneOrTwoWorkers(t *testing.T) {
	base := scenariotest.Preset[quorum.Config](t, quorum.Scenario(), "partition-strong")
	spec := sweep.Spec{Seed: 3, Reps: 2, Knobs: []sweep.Knob{
		{Name: "R", Values: []float64{1, 3}},
		{Name: "NetworkLatency", Labels: []string{"lognormal(50ms, 0.3)", "exp(5ms)"}},
	}}
	one := scenariotest.SameOnAnyWorkers(t, quorum.Sweep, base, spec)
	for _, p := range one.Points {
		c := base
		c.Seed = sweep.RunSeed(3, p.Values, 0)
		c.R = p.Int("R")
		if err := quorum.Scenario().Knobs.Set(&c, "NetworkLatency", p.Label("NetworkLatency")); err != nil {
			t.Fatal(err)
		}
		r, err := quorum.Run(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := one.Values(p.Index, "lost writes")[0]; got != float64(r.LostWrites) {
			t.Errorf("%v: sweep lost writes %v, run %v", p, got, r.LostWrites)
		}
		if got := one.Values(p.Index, "inconsistent")[0]; (got == 1) != (r.Verdict().Outcome == quorum.Inconsistent) {
			t.Errorf("%v: sweep inconsistent %v, run %v", p, got, r.Verdict())
		}
	}
	// R=1 of 5 under a partition cannot be linearizable; R=3 is.
	for _, p := range one.Points {
		share := one.Stat(p.Index, "inconsistent").Mean
		if p.Int("R") == 3 && share != 0 || p.Int("R") == 1 && share != 1 {
			t.Errorf("%v: inconsistent in %v of runs", p, share)
		}
	}
	t.Logf("\n%s", one.Table().Text())
}

func TestSweepValidation(t *testing.T) {
	scenariotest.SweepRefuses(t, quorum.Sweep, quorum.Default(), []scenariotest.Refusal{
		{Knob: sweep.Knob{Name: "Nods", Values: []float64{3}}, Want: `Knobs[0].Name="Nods": unknown knob; quorum knows Preset, Duration, Window, Model, Nodes`},
		{Knob: sweep.Knob{Name: "R", Values: []float64{3, 6}}, Want: "Knobs[0].Values[1]=6: R=6 is larger than N=5"},
		{Knob: sweep.Knob{Name: "Window", Values: []float64{1e-9}}, Want: "Knobs[0].Values[0]=1e-09: Window=1ns: must be between 1ms and 1h"},
		{Knob: sweep.Knob{Name: "NetworkLatency", Values: []float64{1}}, Want: "NetworkLatency is a distribution: give Labels"},
		{Knob: sweep.Knob{Name: "latency", Labels: []string{"exp(5)"}}, Want: `Knobs[0].Labels[0]="exp(5)": NetworkLatency=exp(5): give a distribution of durations`},
		{Knob: sweep.Knob{Name: "Preset", Labels: []string{"lan", "moon"}}, Want: `Knobs[0].Labels[1]="moon": quorum: unknown preset "moon"`},
	})
}

func TestSweepStopsOnCancel(t *testing.T) {
	scenariotest.SweepStops(t, quorum.SweepContext, quorum.Default(), sweep.Knob{Name: "Clients", Values: []float64{5, 10}})
}

// The descriptor runs a preset and reports the typed verdict's outcome.
func TestScenarioReport(t *testing.T) {
	s := quorum.Scenario()
	scenariotest.Descriptor(t, s, "quorum", len(quorum.Presets()))
	scenariotest.Report(t, s, scenariotest.Preset[quorum.Config](t, s, "lww-skew"), "Inconsistent", 3)
}

// Same seed, same run, whatever GOMAXPROCS; another seed, another run.
func TestDeterminismAcrossProcs(t *testing.T) {
	cfg, _ := quorum.PresetConfig("sloppy-quorum")
	cfg.Seed = 9
	simtest.SameAcrossProcs(t, func() string {
		r, err := quorum.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return r.Summary().Text() + r.Trace()
	})
}
