package balance_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim/scenario/balance"
	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/service"
	"dsim/sim/sweep"
)

// The lesson's claims, each over three seeds.
var seeds = []uint64{1, 2, 3}

func each(t *testing.T, preset string, check func(seed uint64, r *balance.Result)) {
	t.Helper()
	cfg := presetConfig(t, preset)
	for _, s := range seeds {
		cfg.Seed = s
		check(s, mustRun(t, cfg))
	}
}

func p99(r *balance.Result) time.Duration { return r.Latency.Quantile(0.99).Duration() }

// At 70% load, least-outstanding gives the shortest tail, two random
// choices nearly as short, round robin longer and random choice the
// longest: it alone lets queues form while other servers idle.
func TestPoliciesOrder(t *testing.T) {
	for _, s := range seeds {
		cfg := balance.Default()
		cfg.Seed = s
		cmp, err := balance.ComparePolicies(cfg, service.LeastOutstanding, service.PowerOfChoices, service.RoundRobin, service.Random)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(cmp.Results); i++ {
			if a, b := p99(cmp.Results[i-1]), p99(cmp.Results[i]); !(a < b) {
				t.Errorf("seed %d: p99 %v under %s, %v under %s", s, a, cmp.Policies[i-1], b, cmp.Policies[i])
			}
		}
		for i, r := range cmp.Results {
			if v := r.Verdict().Outcome; v != balance.Balanced {
				t.Errorf("seed %d: %s: %v", s, cmp.Policies[i], r.Verdict())
			}
		}
		if len(cmp.Bars()) != 3 || cmp.Table() == nil || cmp.Figure() == nil {
			t.Error("the comparison's table and figures")
		}
	}
}

// A gray failure: round robin sends the slow server its even share, which
// it cannot serve, and its queue grows to the end; least-outstanding sends
// it what it can take.
func TestGrayFailure(t *testing.T) {
	each(t, "gray-failure", func(s uint64, r *balance.Result) {
		share := float64(r.Servers[0].Calls) / float64(r.Requests)
		if v := r.Verdict(); v.Outcome != balance.Overloaded || v.Longest != "s1" || math.Abs(share-0.125) > 0.005 || p99(r) < time.Minute {
			t.Errorf("seed %d: s1 took %.3f; %v", s, share, v)
		}
	})
	each(t, "gray-failure-least", func(s uint64, r *balance.Result) {
		share := float64(r.Servers[0].Calls) / float64(r.Requests)
		if v := r.Verdict(); v.Outcome == balance.Overloaded || share > 0.06 || p99(r) > 2*time.Second {
			t.Errorf("seed %d: s1 took %.3f; %v", s, share, v)
		}
	})
}

// Load a second old makes least-outstanding herd: a server's queue reaches
// 50 calls; two random choices on the same load split the herd.
func TestStaleLoadHerds(t *testing.T) {
	herd := map[uint64]time.Duration{}
	each(t, "stale-load", func(s uint64, r *balance.Result) {
		herd[s] = p99(r)
		if v := r.Verdict(); v.Outcome != balance.Overloaded {
			t.Errorf("seed %d: %v", s, v)
		}
	})
	each(t, "stale-two-choices", func(s uint64, r *balance.Result) {
		if v := r.Verdict(); v.Outcome == balance.Overloaded || p99(r) > herd[s]/2 {
			t.Errorf("seed %d: p99 %v against %v herding; %v", s, p99(r), herd[s], v)
		}
	})
}

// Sticky sessions whose activity is skewed pile onto a few servers: the
// heaviest session's server gets more than it can serve.
func TestStickyPiles(t *testing.T) {
	each(t, "sticky", func(s uint64, r *balance.Result) {
		if v := r.Verdict(); v.Outcome != balance.Overloaded || v.Busiest < 1.5 {
			t.Errorf("seed %d: %v", s, v)
		}
	})
}

// When a server leaves a ring, only its keys move: about 1/8 of them, far
// from the 7/8 modulo hashing moves; bounded loads keep skewed keys from
// overloading any server.
func TestConsistentHashLeave(t *testing.T) {
	each(t, "hash-leave", func(s uint64, r *balance.Result) {
		moved, ring := r.KeysMoved()
		if math.Abs(moved-ring) > 0.04 || r.Failed > 20 {
			t.Errorf("seed %d: %.3f of the keys moved (ring %.3f), %d failed", s, moved, ring, r.Failed)
		}
		if _, most := r.LoadAfter(); !(most > 1 && most < 1.5) {
			t.Errorf("seed %d: the busiest server after the leave took %.2f× an even share", s, most)
		}
	})
	if m := balance.ModuloMoved(8); m != 0.875 {
		t.Errorf("modulo hashing moves %v", m)
	}
	each(t, "hash-leave-skewed", func(s uint64, r *balance.Result) {
		if v := r.Verdict(); v.Outcome != balance.Overloaded {
			t.Errorf("seed %d: %v", s, v)
		}
	})
	each(t, "hash-bounded", func(s uint64, r *balance.Result) {
		if v := r.Verdict(); v.Outcome == balance.Overloaded || v.Busiest > 1.4 {
			t.Errorf("seed %d: %v", s, v)
		}
	})
}

// The supermarket preset (100 servers) is near T_2, and its summary and
// figures show the model beside the run.
func TestSupermarketPreset(t *testing.T) {
	r := mustRun(t, presetConfig(t, "supermarket"))
	th, ok := r.Theory()
	if !ok || math.Abs(th.Off()) > 0.03 {
		t.Fatalf("theory %v (%v)", th, ok)
	}
	if s := r.Summary().Text(); !strings.Contains(s, "supermarket model T_2") {
		t.Errorf("summary:\n%s", s)
	}
	if n := len(r.Figures()); n != 4 {
		t.Errorf("%d figures", n)
	}
	if _, ok := mustRun(t, presetConfig(t, "round-robin")).Theory(); ok {
		t.Error("round robin has a supermarket model")
	}
}

// A sweep gives the same table whatever the number of workers, and a run
// of it is the plain run of the base with the point's values and seed.
func TestSweepWorkersAgree(t *testing.T) {
	base := presetConfig(t, "stale-load")
	base.Duration = 2 * time.Minute
	spec := sweep.Spec{Seed: 3, Reps: 2, Knobs: []sweep.Knob{{Name: "LoadAge", Values: []float64{0.1, 1}}}}
	res := scenariotest.SameOnAnyWorkers(t, balance.Sweep, base, spec)
	p := res.Points[1]
	c := base
	c.LoadAge = p.Duration("LoadAge")
	c.Seed = sweep.RunSeed(3, p.Values, 0)
	if got, want := res.Values(p.Index, "max queue")[0], float64(mustRun(t, c).MaxQueue()); got != want {
		t.Errorf("sweep run's max queue %v, the plain run's %v", got, want)
	}
	if lo, hi := res.Stat(0, "p99 time in system (s)").Mean, res.Stat(1, "p99 time in system (s)").Mean; !(lo < hi) {
		t.Errorf("p99 %v at 100ms old, %v at 1s", lo, hi)
	}
	_, err := balance.Sweep(base, sweep.Spec{Reps: 1, Knobs: []sweep.Knob{{Name: "Load", Values: []float64{2}}}})
	if err == nil || !strings.Contains(err.Error(), "Load=2") {
		t.Errorf("got %v", err)
	}
}

// The scenario's descriptor lays runs side by side.
func TestCompare(t *testing.T) {
	s := balance.Scenario()
	a, err := s.Run(nil, presetConfig(t, "gray-failure"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Run(nil, presetConfig(t, "gray-failure-least"))
	if err != nil {
		t.Fatal(err)
	}
	tab, figs, err := s.Compare([]string{"rr", "least"}, a, b)
	if err != nil || len(figs) != 1 || !strings.Contains(tab.Text(), "Overloaded") {
		t.Fatalf("%v %d\n%v", err, len(figs), tab)
	}
}
