package queueing_test

import (
	"math"
	"testing"
	"time"

	"dsim/sim/dist"

	"dsim/sim/scenario/internal/scenariotest"
	"dsim/sim/scenario/queueing"
)

// Lesson 00: two servers are Healthy under all eight seeds; one is
// Healthy under some seeds only, which is the plausible wrong answer of a
// student who tried one seed; three are more than needed.
func TestCheckHealthyServers(t *testing.T) {
	scenariotest.Says(t, "2", queueing.CheckHealthyServers(2), true, "all 8 seeds", "With 1, only")
	scenariotest.Says(t, "1", queueing.CheckHealthyServers(1), false, "of 8 seeds were Healthy", "Strained")
	scenariotest.Says(t, "3", queueing.CheckHealthyServers(3), false, "fewer will do")
	scenariotest.Says(t, "0", queueing.CheckHealthyServers(0), false, "set answer")
	scenariotest.Says(t, "-4", queueing.CheckHealthyServers(-4), false, "answer=-4")
	scenariotest.Says(t, "huge", queueing.CheckHealthyServers(1_000_000), false, "try far fewer")
}

func TestCheckWhyOneServerWaits(t *testing.T) {
	scenariotest.Says(t, "b", queueing.CheckWhyOneServerWaits("b"), true, "bunch", "Pollaczek–Khinchine")
	scenariotest.Says(t, "B with spaces", queueing.CheckWhyOneServerWaits(" B "), true)
	scenariotest.Says(t, "a", queueing.CheckWhyOneServerWaits("a"), false, "keeps up")
	scenariotest.Says(t, "c", queueing.CheckWhyOneServerWaits("c"), false, "no retries")
	scenariotest.Says(t, "blank", queueing.CheckWhyOneServerWaits(""), false, "set answer")
	scenariotest.Says(t, "e", queueing.CheckWhyOneServerWaits("e"), false, `answer="e"`)
}

// Lesson 01: the runs vary because waits are correlated (c); the model is
// not biased (a: theory inside the interval), the empty start does not
// explain runs above theory (b), and independent waits would vary twenty
// times less (d).
func TestCheckWhyRunsVary(t *testing.T) {
	scenariotest.Says(t, "c", queueing.CheckWhyRunsVary("c"), true, "independent samples", "Erlang C")
	scenariotest.Says(t, "a", queueing.CheckWhyRunsVary("a"), false, "lies inside it")
	scenariotest.Says(t, "b", queueing.CheckWhyRunsVary("b"), false, "waited longer than Erlang C")
	scenariotest.Says(t, "d", queueing.CheckWhyRunsVary("d"), false, "times as much")
	scenariotest.Says(t, "ab", queueing.CheckWhyRunsVary("ab"), false, "pick one of a, b, c, d")
}

// Erlang C says 7 servers for 10/s of 0.5 s under 100 ms, and 6 give
// 294 ms: the simulation over eight seeds agrees on both sides.
func TestCheckServersForTarget(t *testing.T) {
	scenariotest.Says(t, "7", queueing.CheckServersForTarget(7), true, "Erlang C: 81.04ms", "6 to 7")
	scenariotest.Says(t, "6", queueing.CheckServersForTarget(6), false, "above the 100ms target")
	scenariotest.Says(t, "8", queueing.CheckServersForTarget(8), false, "Fewer will do")
	scenariotest.Says(t, "5", queueing.CheckServersForTarget(5), false, "grows without end")
	scenariotest.Says(t, "0", queueing.CheckServersForTarget(0), false, "set answer")
	scenariotest.Says(t, "huge", queueing.CheckServersForTarget(5000), false, "try fewer")
}

// Lesson 01's first table: twelve two-hour runs of M/M/4 at ρ = 0.9, each
// of about 52,000 requests, miss Erlang C's mean wait by up to a fifth.
func TestTwelveRunsMissByUpToAFifth(t *testing.T) {
	cfg := queueing.Default()
	cfg.Servers = 4
	cfg.ServiceTime = dist.MustParse("exp(500ms)")
	cfg.Dependencies = 0
	cfg.ArrivalRate = 7.2
	cfg.Duration = 2 * time.Hour
	m, err := cfg.Theory()
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for seed := uint64(1); seed <= 12; seed++ {
		cfg.Seed = seed
		r, err := queueing.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.Arrivals < 50_000 || r.Arrivals > 54_000 {
			t.Errorf("seed %d: %d requests, want about 52,000", seed, r.Arrivals)
		}
		worst = math.Max(worst, math.Abs(r.Wait.Mean().Seconds()/m.Wq().Seconds()-1))
	}
	if worst < 0.15 || worst > 0.3 {
		t.Errorf("the runs miss Erlang C by at most %.0f%%, want about a fifth", 100*worst)
	}
}
