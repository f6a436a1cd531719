package csi_test

import (
	"testing"
	"time"

	"dsim/sim/scenario/csi"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/sweep"
)

func configBase(t *testing.T) csi.Config {
	c := scenariotest.Preset[csi.Config](t, csi.Scenario(), "config")
	c.Duration = 2 * time.Minute
	return c
}

// A sweep gives the same table on one worker and on two, and each of its
// runs is the plain run of the base with the point's values and seed.
func TestSweepIsTheSameOnAnyWorkers(t *testing.T) {
	base := configBase(t)
	one := scenariotest.SameOnAnyWorkers(t, csi.Sweep, base, sweep.Spec{Seed: 3, Reps: 2, Knobs: []sweep.Knob{
		{Name: "Upstream.Timeout", Values: []float64{30, 60}},
		{Name: "Downstream.Idempotent", Values: []float64{0, 1}},
	}})
	scenariotest.FirstColumn(t, one, "Upstream.Timeout (s)")
	for _, p := range one.Points {
		for rep := 0; rep < 2; rep++ {
			c := base
			c.Seed = sweep.RunSeed(3, p.Values, rep)
			c.Upstream.Timeout = time.Duration(p.Get("Upstream.Timeout")) * time.Second
			c.Downstream.Idempotent = p.Get("Downstream.Idempotent") == 1
			r, err := csi.Run(c)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := one.Values(p.Index, "silent (%)")[rep], 100*r.Rate(csi.Silent); got != want {
				t.Errorf("%v rep %d: sweep silent %v, run %v", p, rep, got, want)
			}
		}
	}
	// Idempotence removes the duplicates, the silent part of the lesson.
	for _, p := range one.Points {
		if p.Get("Downstream.Idempotent") == 1 && one.Stat(p.Index, "silent (%)").Mean != 0 {
			t.Errorf("%v: an idempotent B still stored orders twice", p)
		}
	}
}

func TestSweepRefusesBadKnobs(t *testing.T) {
	scenariotest.SweepRefuses(t, csi.Sweep, configBase(t), []scenariotest.Refusal{
		{Knob: sweep.Knob{Name: "Upstream.Timeot", Values: []float64{1}}, Want: `csi: sweep: Knobs[0].Name="Upstream.Timeot": unknown knob`},
		{Knob: sweep.Knob{Name: "Upstream.Timeout", Values: []float64{7200}}, Want: "csi: sweep: Knobs[0].Values[0]=7200: Upstream.Timeout=2h: must be between 1ms and 1h"},
		{Knob: sweep.Knob{Name: "Window", Values: []float64{600}}, Want: "Window=10m: is longer than Duration=2m"},
		{Knob: sweep.Knob{Name: "TestData", Labels: []string{"prod"}}, Want: `Knobs[0].Labels[0]="prod": TestData=prod: want one of sampled, fixtures`},
		{Knob: sweep.Knob{Name: "Downstream.LatencyNoise", Labels: []string{"exp(1s)"}}, Want: "Downstream.LatencyNoise=exp(1s): give a distribution of plain numbers"},
	})
}

// The descriptor runs a preset and reports the typed verdict's outcome.
func TestScenarioDescriptor(t *testing.T) {
	s := csi.Scenario()
	scenariotest.Descriptor(t, s, "csi", len(csi.Presets()))
	c := scenariotest.Preset[csi.Config](t, s, "encoding")
	c.Duration = 30 * time.Second
	scenariotest.Report(t, s, c, csi.SilentOnly.String(), 2)
}
