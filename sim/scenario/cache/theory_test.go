package cache_test

import (
	"math"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/cache"
)

// An LRU cache's steady hit ratio is within 1.5 percentage points of
// Che's approximation, for Zipf 0.8 and 1.2 over 100,000 keys, at caches
// of 1%, 5% and 20% of the keys (Che, Tung and Wang 2002).
func TestHitRatioMatchesChe(t *testing.T) {
	if testing.Short() {
		t.Skip("six runs of 300,000 requests")
	}
	for _, skew := range []float64{0.8, 1.2} {
		for _, share := range []float64{0.01, 0.05, 0.2} {
			cfg := cache.Default()
			cfg.Keys, cfg.Skew, cfg.Capacity = 100_000, skew, int(share*100_000)
			cfg.Rate, cfg.Duration = 10_000, 30*time.Second
			cfg.DBSlots, cfg.DBService = 1000, dist.MustParse("exp(1ms)")
			res, err := cache.Run(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, want := res.SteadyHitRatio(), res.Che.HitRatio
			t.Logf("Zipf %g, cache %g%%: LRU %.2f%%, Che %.2f%%", skew, 100*share, 100*got, 100*want)
			if math.Abs(got-want) > 0.015 || !res.CheApplies() {
				t.Errorf("Zipf %g, cache %g%% of the keys: LRU hit ratio %.2f%%, Che's approximation %.2f%%", skew, 100*share, 100*got, 100*want)
			}
		}
	}
}

// Che's approximation by the grouped sums agrees with the sums over every
// key, and its characteristic time holds the capacity.
func TestCheApprox(t *testing.T) {
	for _, c := range []struct {
		keys     int
		skew     float64
		capacity int
	}{{1000, 0.8, 50}, {10_000, 1.2, 500}, {50_000, 0.6, 10_000}, {10, 0, 5}} {
		got := cache.CheApprox(c.keys, c.skew, c.capacity)
		p := make([]float64, c.keys)
		sum := 0.0
		for i := range p {
			p[i] = math.Pow(float64(i+1), -c.skew)
			sum += p[i]
		}
		held, hit := 0.0, 0.0
		for _, pi := range p {
			pi /= sum
			held += 1 - math.Exp(-pi*got.Requests)
			hit += pi * (1 - math.Exp(-pi*got.Requests))
		}
		if math.Abs(held-float64(c.capacity)) > 0.01*float64(c.capacity) || math.Abs(hit-got.HitRatio) > 0.001 {
			t.Errorf("%+v: T=%.0f holds %.1f keys, hit ratio %.4f by every key against %.4f", c, got.Requests, held, hit, got.HitRatio)
		}
	}
	if c := cache.CheApprox(100, 1, 100); c.HitRatio != 1 {
		t.Errorf("a cache of every key: %+v", c)
	}
	if c := cache.CheApprox(10, 0, 5); math.Abs(c.HitRatio-0.5) > 1e-9 {
		t.Errorf("uniform, half the keys: %+v", c)
	}
}
