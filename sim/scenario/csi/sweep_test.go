package csi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/csi"
	"dsim/sim/sweep"
)

func configBase(t *testing.T) csi.Config {
	t.Helper()
	c, err := csi.PresetConfig("config")
	if err != nil {
		t.Fatal(err)
	}
	c.Duration = 2 * time.Minute
	return c
}

// A sweep gives the same table on one worker and on two, and each of its
// runs is the plain run of the base with the point's values and seed.
func TestSweepIsTheSameOnAnyWorkers(t *testing.T) {
	base := configBase(t)
	spec := func(workers int) sweep.Spec {
		return sweep.Spec{Seed: 3, Reps: 2, Workers: workers, Knobs: []sweep.Knob{
			{Name: "Upstream.Timeout", Values: []float64{30, 60}},
			{Name: "Downstream.Idempotent", Values: []float64{0, 1}},
		}}
	}
	one, err := csi.Sweep(base, spec(1))
	if err != nil {
		t.Fatal(err)
	}
	two, err := csi.Sweep(base, spec(2))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := one.Table().Text(), two.Table().Text(); a != b {
		t.Fatalf("one worker:\n%s\ntwo workers:\n%s", a, b)
	}
	if got := one.Table().Columns[0]; got != "Upstream.Timeout (s)" {
		t.Errorf("first column %q: the knob's unit should come from the scenario", got)
	}
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
	for _, tc := range []struct {
		knob sweep.Knob
		want string
	}{
		{sweep.Knob{Name: "Upstream.Timeot", Values: []float64{1}}, `csi: sweep: Knobs[0].Name="Upstream.Timeot": unknown knob`},
		{sweep.Knob{Name: "Upstream.Timeout", Values: []float64{7200}}, "csi: sweep: Knobs[0].Values[0]=7200: Upstream.Timeout=2h0m0s: must be between 1ms and 1h"},
		{sweep.Knob{Name: "Window", Values: []float64{600}}, "Window=10m0s: is longer than Duration=2m0s"},
		{sweep.Knob{Name: "TestData", Labels: []string{"prod"}}, `Knobs[0].Labels[0]="prod": TestData=prod: want one of sampled, fixtures`},
		{sweep.Knob{Name: "Downstream.LatencyNoise", Labels: []string{"exp(1s)"}}, "Downstream.LatencyNoise=exp(1s): is a factor"},
	} {
		_, err := csi.Sweep(configBase(t), sweep.Spec{Reps: 1, Knobs: []sweep.Knob{tc.knob}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.knob, err, tc.want)
		}
	}
}

// The descriptor runs a preset and reports the typed verdict's outcome.
func TestScenarioDescriptor(t *testing.T) {
	s := csi.Scenario()
	if s.Name != "csi" || len(s.Presets) != len(csi.Presets()) {
		t.Fatalf("descriptor %s with %d presets", s.Name, len(s.Presets))
	}
	cfg, err := s.Preset("encoding")
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.(csi.Config)
	c.Duration = 30 * time.Second
	rep, err := s.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != csi.SilentOnly.String() || rep.Verdict.String() == "" || len(rep.Figures()) != 2 {
		t.Errorf("report: outcome %q, verdict %v", rep.Outcome, rep.Verdict)
	}
	if _, err := s.Preset("nope"); err == nil || !strings.Contains(err.Error(), "metadata") {
		t.Errorf("unknown preset: %v", err)
	}
}
