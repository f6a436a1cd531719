package quorum_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"dsim/sim/scenario/quorum"
	"dsim/sim/sweep"
)

// A sweep gives the same table whatever the number of workers, and each
// of its runs is the plain run of the base with the point's values.
func TestSweepIsTheSameWithOneOrTwoWorkers(t *testing.T) {
	base, err := quorum.PresetConfig("partition-strong")
	if err != nil {
		t.Fatal(err)
	}
	spec := func(workers int) sweep.Spec {
		return sweep.Spec{Seed: 3, Reps: 2, Workers: workers, Knobs: []sweep.Knob{
			{Name: "R", Values: []float64{1, 3}},
			{Name: "NetworkLatency", Labels: []string{"lognormal(50ms, 0.3)", "exp(5ms)"}},
		}}
	}
	one, err := quorum.Sweep(base, spec(1))
	if err != nil {
		t.Fatal(err)
	}
	two, err := quorum.Sweep(base, spec(2))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := one.Table().Text(), two.Table().Text(); a != b {
		t.Fatalf("1 worker:\n%s\n2 workers:\n%s", a, b)
	}
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
	for _, tc := range []struct {
		knob sweep.Knob
		want string
	}{
		{sweep.Knob{Name: "Nods", Values: []float64{3}}, `Knobs[0].Name="Nods": unknown knob; quorum knows Preset, Duration, Window, Model, Nodes`},
		{sweep.Knob{Name: "R", Values: []float64{3, 6}}, "Knobs[0].Values[1]=6: R=6 is larger than N=5"},
		{sweep.Knob{Name: "Window", Values: []float64{1e-9}}, "Knobs[0].Values[0]=1e-09: Window=1ns: must be between 1ms and 1h"},
		{sweep.Knob{Name: "NetworkLatency", Values: []float64{1}}, "NetworkLatency is a distribution: give Labels"},
		{sweep.Knob{Name: "latency", Labels: []string{"exp(5)"}}, `Knobs[0].Labels[0]="exp(5)": NetworkLatency=exp(5): give a distribution of durations`},
		{sweep.Knob{Name: "Preset", Labels: []string{"lan", "moon"}}, `Knobs[0].Labels[1]="moon": quorum: unknown preset "moon"`},
	} {
		_, err := quorum.Sweep(quorum.Default(), sweep.Spec{Knobs: []sweep.Knob{tc.knob}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.knob, err, tc.want)
		}
	}
}

func TestSweepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := quorum.SweepContext(ctx, quorum.Default(), sweep.Spec{Knobs: []sweep.Knob{{Name: "Clients", Values: []float64{5, 10}}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want a cancelled sweep", err)
	}
}

// The descriptor runs a preset and reports the typed verdict's outcome.
func TestScenarioReport(t *testing.T) {
	s := quorum.Scenario()
	if s.Name != "quorum" || len(s.Presets) != len(quorum.Presets()) {
		t.Fatalf("descriptor %s with %d presets", s.Name, len(s.Presets))
	}
	cfg, err := s.Preset("lww-skew")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != "Inconsistent" || rep.Summary == nil || len(rep.Figures()) != 3 || rep.Metrics == nil {
		t.Fatalf("report: outcome %q, verdict %v", rep.Outcome, rep.Verdict)
	}
	if _, err := s.Preset("moon"); err == nil || !strings.Contains(err.Error(), `quorum: unknown preset "moon" (want one of lan, wan`) {
		t.Fatalf("unknown preset: %v", err)
	}
}

// Same seed, same run, whatever GOMAXPROCS; another seed, another run.
func TestDeterminismAcrossProcs(t *testing.T) {
	cfg, _ := quorum.PresetConfig("sloppy-quorum")
	cfg.Seed = 9
	run := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := quorum.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return r.Summary().Text() + r.Trace()
	}
	a, b, c := run(1), run(2), run(1)
	if a != b || a != c {
		t.Fatal("same seed, different runs")
	}
}
