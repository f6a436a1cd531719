package crdt_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dsim/sim/scenario/crdt"
	"dsim/sim/sweep"
)

// A sweep over the gossip period gives the same table whatever the
// number of workers, and its runs are the plain runs of the base with the
// point's values and the run's seed.
func TestSweepWorkersAgree(t *testing.T) {
	base, _ := crdt.PresetConfig("seed")
	base.MergeProbability = 0 // off: periodic gossip only
	spec := sweep.Spec{Seed: 3, Reps: 3, Knobs: []sweep.Knob{{Name: "GossipPeriod", Values: []float64{0.2, 1, 5}}}}
	tables := map[int]string{}
	var res *sweep.Result
	for _, w := range []int{1, 2} {
		spec.Workers = w
		r, err := crdt.Sweep(base, spec)
		if err != nil {
			t.Fatal(err)
		}
		tables[w], res = r.Table().Text(), r
	}
	if tables[1] != tables[2] {
		t.Fatalf("1 worker:\n%s\n2 workers:\n%s", tables[1], tables[2])
	}
	if got := res.Table().Columns[0]; got != "GossipPeriod (s)" {
		t.Errorf("first column %q", got)
	}
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
	for _, tc := range []struct {
		knob sweep.Knob
		want string
	}{
		{sweep.Knob{Name: "GosipPeriod", Values: []float64{1}}, `Knobs[0].Name="GosipPeriod": unknown knob; crdt knows Preset, Type, Replicas`},
		{sweep.Knob{Name: "GossipPeriod", Values: []float64{1, -1}}, "Knobs[0].Values[1]=-1: GossipPeriod=-1s: must be between 1ms and 1h (or 0: off)"},
		{sweep.Knob{Name: "Window", Values: []float64{120}}, "Knobs[0].Values[0]=120: Window=2m0s: is longer than MaxTime=1m0s"},
		{sweep.Knob{Name: "Type", Labels: []string{"bag"}}, `Knobs[0].Labels[0]="bag": Type=bag: want one of`},
		{sweep.Knob{Name: "NetworkDelay", Labels: []string{"exp(2h)"}}, "NetworkDelay=exp(7200s): its mean must be between 0s and 1h"},
		{sweep.Knob{Name: "Replicas", Values: []float64{2.5}}, "Replicas=2.5: must be a whole number"},
	} {
		_, err := crdt.Sweep(crdt.Default(), sweep.Spec{Knobs: []sweep.Knob{tc.knob}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.knob, err, tc.want)
		}
	}
}

func TestSweepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := crdt.SweepContext(ctx, crdt.Default(), sweep.Spec{Knobs: []sweep.Knob{{Name: "Replicas", Values: []float64{3, 4}}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want a cancelled sweep", err)
	}
}

// The descriptor runs a preset and reports its verdict and metrics; an
// OR-Set keeps tombstones, so it has a third figure.
func TestScenarioReport(t *testing.T) {
	s := crdt.Scenario()
	cfg, err := s.Preset("partition")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != "Converged" || rep.Summary == nil || len(rep.Figures()) != 3 || rep.Metrics == nil {
		t.Fatalf("%+v", rep)
	}
	if _, err := s.Preset("nope"); err == nil || !strings.Contains(err.Error(), "shopping-cart") {
		t.Errorf("unknown preset: %v", err)
	}
}
