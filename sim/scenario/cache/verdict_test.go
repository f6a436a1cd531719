package cache_test

import (
	"fmt"
	"strings"
	"testing"

	"dsim/sim/scenario/cache"
	"dsim/sim/scenario/internal/scenariotest"
)

var seeds = []uint64{1, 2, 3, 4, 5}

var runPreset = scenariotest.Runner[*cache.Result](cache.Scenario())

// The flushed look-aside cache never warms again while clients retry:
// the answers come too late to fill it, and each request makes several
// attempts (TestCheckRemedies checks every flush preset's verdict over
// the exercise seeds).
func TestFlushStorm(t *testing.T) {
	res := runPreset(t, "flush-storm", 1)
	if v := res.Verdict(); v.Outcome != cache.Metastable || res.Unfilled == 0 || res.Amplification() < 2 {
		t.Errorf("%v; %d unfilled, %.2f attempts per request", v, res.Unfilled, res.Amplification())
	}
}

// A hot key's expiry sends a burst of queries to the database; coalescing
// cuts the peak to a few, and early refresh keeps the hot key from
// missing at all.
func TestStampede(t *testing.T) {
	for _, seed := range seeds {
		plain, merged, early := runPreset(t, "hot-key", seed), runPreset(t, "hot-key-coalesce", seed), runPreset(t, "hot-key-refresh", seed)
		if plain.PeakDBRate() < 2.5*merged.PeakDBRate() || merged.Coalesced == 0 || early.Refreshes == 0 || early.Expired > merged.Expired {
			t.Errorf("seed %d: database peak %.0f/s plain, %.0f/s coalesced (%d coalesced); expired %d coalesced, %d with %d early refreshes",
				seed, plain.PeakDBRate(), merged.PeakDBRate(), merged.Coalesced, merged.Expired, early.Expired, early.Refreshes)
		}
	}
}

// A cache not told of writes serves stale values until their TTL ends:
// a 2s TTL serves fewer than half the stale hits of a 30s one, and hits
// less.
func TestStaleAgainstTTL(t *testing.T) {
	for _, seed := range seeds {
		long, short := runPreset(t, "stale-ttl", seed), runPreset(t, "stale-short-ttl", seed)
		if !(short.StaleShare() < long.StaleShare()/2 && short.SteadyHitRatio() < long.SteadyHitRatio() && short.Stale > 0) {
			t.Errorf("seed %d: stale hits %.1f%% at 30s, %.1f%% at 2s; hit ratios %.1f%%, %.1f%%",
				seed, 100*long.StaleShare(), 100*short.StaleShare(), 100*long.SteadyHitRatio(), 100*short.SteadyHitRatio())
		}
	}
}

// The steeper popularity hits more from the same cache, and both presets
// run within 1.5 points of Che's approximation.
func TestSkew(t *testing.T) {
	flat, steep := runPreset(t, "hit-ratio", 1), runPreset(t, "skewed", 1)
	if steep.SteadyHitRatio() < flat.SteadyHitRatio()+0.3 {
		t.Errorf("hit ratio %.1f%% at Zipf 0.8, %.1f%% at 1.2", 100*flat.SteadyHitRatio(), 100*steep.SteadyHitRatio())
	}
	for _, r := range []*cache.Result{flat, steep} {
		if d := r.SteadyHitRatio() - r.Che.HitRatio; d > 0.015 || d < -0.015 || r.Verdict().Outcome != cache.Stable {
			t.Errorf("Zipf %g: %.2f%% against Che's %.2f%%; %v", r.Config.Skew, 100*r.SteadyHitRatio(), 100*r.Che.HitRatio, r.Verdict())
		}
	}
}

// Che's row says plainly when the approximation does not apply (every key
// fits) or does not model the run, in its value, never a hit ratio of
// +Inf requests.
func TestCheRow(t *testing.T) {
	for _, c := range []struct{ preset, want string }{
		{"stale-ttl", "does not apply: every key fits in the cache"},
		{"flush-storm", "characteristic time 44804 requests (1m29.6s); not this run (a warm start)"},
	} {
		sum := runPreset(t, c.preset, 1).Summary()
		row := ""
		for _, r := range sum.Rows {
			if s := fmt.Sprint(r[0]); strings.HasPrefix(s, "Che's approximation") {
				if s != "Che's approximation (LRU, cold, no TTL, reads only)" {
					t.Errorf("%s: label %q carries a note", c.preset, s)
				}
				row = fmt.Sprint(r[1])
			}
		}
		if !strings.Contains(row, c.want) || strings.Contains(row, "Inf") {
			t.Errorf("%s: Che's row %q, want %q", c.preset, row, c.want)
		}
	}
}
