package metastable_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dsim/sim/resilience"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/metastable"
	"dsim/sim/sweep"
)

func stormBase(t *testing.T) metastable.Config {
	return scenariotest.Preset[metastable.Config](t, metastable.Scenario(), "storm")
}

// A sweep's run is the plain run of the base with the point's values and
// the run's seed.
func TestSweepSetsTheNamedFields(t *testing.T) {
	base := stormBase(t)
	spec := sweep.Spec{Seed: 4, Reps: 2, Knobs: []sweep.Knob{
		{Name: "Timeout", Values: []float64{0.5, 2}},
		{Name: "MaxRetries", Values: []float64{0, 3}},
		{Name: "Backoff", Labels: []string{"none", "full-jitter"}},
	}}
	res, err := metastable.Sweep(base, spec)
	if err != nil {
		t.Fatal(err)
	}
	scenariotest.FirstColumn(t, res, "Timeout (s)")
	for _, p := range res.Points {
		for rep := 0; rep < 2; rep++ {
			c := base
			c.Seed = sweep.RunSeed(4, p.Values, rep)
			c.Timeout = time.Duration(p.Get("Timeout") * float64(time.Second))
			c.MaxRetries = p.Int("MaxRetries")
			c.Backoff = resilience.Backoff{Kind: resilience.BackoffKind(p.Label("Backoff"))}
			r, err := metastable.Run(c)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Values(p.Index, "amplification")[rep]
			if got != r.Amplification() {
				t.Errorf("%v rep %d: sweep amplification %v, run %v", p, rep, got, r.Amplification())
			}
		}
	}
}

func TestSweepPresetKnobComesFirst(t *testing.T) {
	// The preset replaces the configuration; Timeout, listed before it,
	// must still apply.
	res, err := metastable.Sweep(metastable.Default(), sweep.Spec{Reps: 1, Knobs: []sweep.Knob{
		{Name: "Timeout", Values: []float64{60}},
		{Name: "Preset", Labels: []string{"storm"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Stat(0, "amplification").Mean; a != 1 {
		t.Errorf("with a 60s timeout the storm should send no retries; amplification %v", a)
	}
}

func TestSweepValidation(t *testing.T) {
	scenariotest.SweepRefuses(t, metastable.Sweep, metastable.Default(), []scenariotest.Refusal{
		{Knob: sweep.Knob{Name: "Timeot", Values: []float64{1}}, Want: `Knobs[0].Name="Timeot": unknown knob; metastable knows Preset, Duration, Window, Pattern, BaseRate`},
		{Knob: sweep.Knob{Name: "Timeout", Values: []float64{1, -1}}, Want: "Knobs[0].Values[1]=-1: Timeout=-1s: must be between 1ms and 1h"},
		{Knob: sweep.Knob{Name: "Capacity", Values: []float64{2.5}}, Want: "Knobs[0].Values[0]=2.5: Capacity=2.5: must be a whole number"},
		{Knob: sweep.Knob{Name: "CircuitBreaker", Values: []float64{2}}, Want: "a switch takes 0 (off) or 1 (on)"},
		{Knob: sweep.Knob{Name: "Backoff", Values: []float64{1}}, Want: "Knobs[0].Labels=[]: Backoff.Kind is a choice: give Labels"},
		{Knob: sweep.Knob{Name: "Backoff", Labels: []string{"linear"}}, Want: `Knobs[0].Labels[0]="linear": Backoff.Kind=linear: want one of none, exponential`},
		{Knob: sweep.Knob{Name: "SpikeRate", Labels: []string{"big"}}, Want: "SpikeRate is numeric: give Values"},
	})
	// A combination only the run finds wrong is named with its point.
	spiky := metastable.Default()
	spiky.Pattern = metastable.Spike
	_, err := metastable.Sweep(spiky, sweep.Spec{Reps: 1, Knobs: []sweep.Knob{
		{Name: "TriggerStart", Values: []float64{50}}, {Name: "Duration", Values: []float64{40}}}})
	if err == nil || !strings.Contains(err.Error(), "Trigger.Start=50s") || !strings.Contains(err.Error(), "Duration=40") {
		t.Errorf("a trigger past the end: %v", err)
	}
}

func TestSweepStopsOnCancel(t *testing.T) {
	scenariotest.SweepStops(t, metastable.SweepContext, stormBase(t), sweep.Knob{Name: "SpikeRate", Values: []float64{60, 80}})
}

// The lesson's boundary: the storm preset over the spike's size and
// length. At 15 requests/s the clients' four attempts per request (60/s)
// exceed the 50/s the server finishes, so a backlog, once formed, grows:
// every run either rides the spike out with no degraded window (Stable) or
// is Metastable. None recovers, drains or sits at the edge. Whether a
// backlog forms is the only question, and chance decides it near the edge,
// also below capacity: a long 45/s spike lets Poisson bursts build one.
func TestBoundaryIsSharp(t *testing.T) {
	sizes := []float64{30, 40, 45, 50, 60, 70, 80, 100}
	lengths := []float64{1, 2, 3, 4, 6, 8, 12}
	res, err := metastable.Sweep(stormBase(t), sweep.Spec{Name: "boundary", Seed: 1, Reps: 5, Knobs: []sweep.Knob{
		{Name: "SpikeRate", Values: sizes}, {Name: "TriggerDuration", Values: lengths}}})
	if err != nil {
		t.Fatal(err)
	}
	share := func(size, length float64) float64 { return shareAt(t, res, "metastable", "SpikeRate", size, length) }
	var grid strings.Builder
	between := 0
	for _, s := range sizes {
		fmt.Fprintf(&grid, "%5.0f:", s)
		for _, l := range lengths {
			v := share(s, l)
			fmt.Fprintf(&grid, " %.1f", v)
			if v > 0.2 && v < 0.8 {
				between++
			}
			if b := v + shareAt(t, res, "stable", "SpikeRate", s, l); b != 1 {
				t.Errorf("%v req/s for %vs: %.1f of runs neither stable nor metastable; at 15 req/s a backlog that forms should grow", s, l, 1-b)
			}
		}
		grid.WriteString("\n")
	}
	t.Logf("share metastable (rows: spike req/s, columns: %v s):\n%s", lengths, grid.String())
	switch {
	case share(30, 12) != 0 || share(40, 12) != 0:
		t.Errorf("spikes well below the server's 50 req/s should pass whatever their length")
	case share(45, 1) != 0 || share(45, 12) < 0.6:
		t.Errorf("a 45 req/s spike should pass when short and tip most runs when long: %v, %v", share(45, 1), share(45, 12))
	case share(100, 2) != 1 || share(70, 3) != 1:
		t.Errorf("large spikes of a few seconds should leave the server in a storm")
	case share(70, 1) != 0 || share(70, 2) != 1:
		t.Errorf("at 70 req/s one second more should tip every run: %v → %v", share(70, 1), share(70, 2))
	case between > len(sizes)*len(lengths)/10:
		t.Errorf("%d cells are mixed (between 0.2 and 0.8); the edge should be sharp", between)
	}
}

// The same trigger against offered load: the edge is where the clients'
// attempts while every attempt times out, 4 × BaseRate, meet the 50/s the
// server finishes: 12.5 requests/s. Below it the backlog a spike leaves
// drains (Recovering, or Recovered once drained); above it the backlog
// grows (Metastable); at 12 and 13 two minutes may not tell.
func TestBoundaryMovesWithLoad(t *testing.T) {
	base := stormBase(t)
	base.SpikeRate = 80
	rates := []float64{5, 10, 12, 13, 15, 20, 25, 30}
	lengths := []float64{1, 2, 4, 6, 8, 12}
	res, err := metastable.Sweep(base, sweep.Spec{Name: "load", Seed: 1, Reps: 5, Knobs: []sweep.Knob{
		{Name: "BaseRate", Values: rates}, {Name: "TriggerDuration", Values: lengths}}})
	if err != nil {
		t.Fatal(err)
	}
	at := func(metric string, rate, length float64) float64 {
		return shareAt(t, res, metric, "BaseRate", rate, length)
	}
	for _, l := range lengths {
		for _, r := range rates {
			meta, drains := at("metastable", r, l), at("recovering", r, l)+at("recovered", r, l)
			switch {
			case r <= 12 && meta != 0:
				t.Errorf("%v req/s, %vs spike: %.1f metastable below the edge", r, l, meta)
			case r <= 10 && l >= 6 && drains != 1:
				t.Errorf("%v req/s, %vs spike: %.1f of runs drain; every one should degrade and drain", r, l, drains)
			case r >= 15 && l >= 2 && meta != 1:
				t.Errorf("%v req/s, %vs spike: %.1f metastable above the edge", r, l, meta)
			case r != 12 && r != 13 && at("inconclusive", r, l) != 0:
				t.Errorf("%v req/s, %vs spike: inconclusive away from the edge", r, l)
			}
		}
	}
	if at("recovering", 10, 12) != 1 || at("metastable", 20, 1) != 1 {
		t.Errorf("a 12s spike at 10 req/s should leave every run draining (%v), a 1s spike at 20 req/s should tip every run (%v)",
			at("recovering", 10, 12), at("metastable", 20, 1))
	}
}

// shareAt is the share of runs with the metric's verdict at the point
// where knob is v and TriggerDuration is length.
func shareAt(t *testing.T, res *sweep.Result, metric, knob string, v, length float64) float64 {
	t.Helper()
	for _, p := range res.Points {
		if p.Get(knob) == v && p.Get("TriggerDuration") == length {
			return res.Stat(p.Index, metric).Mean
		}
	}
	t.Fatalf("no point %s=%v, TriggerDuration=%v", knob, v, length)
	return 0
}
