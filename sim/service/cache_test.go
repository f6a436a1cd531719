package service

import (
	"math"
	"strings"
	"testing"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
)

// cacheRun sends rate reads a second of keys to cache in front of a
// dependency answering after latency, for d.
func cacheRun(t *testing.T, cache *Cache, keys Keys, rate float64, writes float64, latency string, d time.Duration) *System {
	t.Helper()
	cache.Name, cache.Backend = "cache", "db"
	sys := New(Config{Seed: 1, Duration: d, Window: time.Second})
	sys.Add(&Source{Name: "load", Target: "cache", Rate: rate, Keys: keys, Writes: writes}, cache,
		&Dependency{Name: "db", Latency: dist.MustParse(latency)})
	run(t, sys)
	return sys
}

// che is Che's approximation of an LRU cache's hit ratio under the
// independent reference model: T solves Σ (1 − e^(−p_i T)) = C and the
// hit ratio is Σ p_i (1 − e^(−p_i T)) (Che, Tung and Wang, 2002; Fricker,
// Robert and Roberts, 2012).
func che(keys Keys, capacity int) float64 {
	p := make([]float64, keys.N)
	sum := 0.0
	for i := range p {
		p[i] = math.Pow(float64(i+1), -keys.Skew)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	held := func(t float64) float64 {
		s := 0.0
		for _, pi := range p {
			s += 1 - math.Exp(-pi*t)
		}
		return s
	}
	lo, hi := 0.0, 1.0
	for held(hi) < float64(capacity) {
		hi *= 2
	}
	for i := 0; i < 100; i++ {
		if m := (lo + hi) / 2; held(m) < float64(capacity) {
			lo = m
		} else {
			hi = m
		}
	}
	h := 0.0
	for _, pi := range p {
		h += pi * (1 - math.Exp(-pi*lo))
	}
	return h
}

// LRU's hit ratio is within a point of Che's approximation; LFU, which
// keeps the most popular keys, does at least as well under a fixed
// popularity; FIFO does worse.
func TestCacheHitRatioMatchesChe(t *testing.T) {
	for _, skew := range []float64{0.8, 1.2} {
		keys := Keys{N: 10_000, Skew: skew}
		lru := &Cache{Capacity: 500}
		cacheRun(t, lru, keys, 20_000, 0, "0s", 100*time.Second)
		want := che(keys, 500)
		if got := lru.HitRatio(); math.Abs(got-want) > 0.01 {
			t.Errorf("Zipf(%v): LRU hit ratio %.4f, Che %.4f", skew, got, want)
		}
		lfu := &Cache{Capacity: 500, Eviction: EvictLFU}
		cacheRun(t, lfu, keys, 20_000, 0, "0s", 100*time.Second)
		fifo := &Cache{Capacity: 500, Eviction: EvictFIFO}
		cacheRun(t, fifo, keys, 20_000, 0, "0s", 100*time.Second)
		if lfu.HitRatio() < lru.HitRatio() || fifo.HitRatio() > lru.HitRatio() {
			t.Errorf("Zipf(%v): hit ratio LFU %.4f, LRU %.4f, FIFO %.4f", skew, lfu.HitRatio(), lru.HitRatio(), fifo.HitRatio())
		}
	}
}

// A hot key expiring sends every read in the fetch's shadow to the
// backend, unless misses coalesce on one fetch or the entry is refreshed
// early (XFetch), when hardly a read misses at all.
func TestCacheStampede(t *testing.T) {
	hot := Keys{N: 1}
	plain := &Cache{Capacity: 10, TTL: time.Second}
	cacheRun(t, plain, hot, 1000, 0, "100ms", time.Minute)
	merged := &Cache{Capacity: 10, TTL: time.Second, Coalesce: true}
	cacheRun(t, merged, hot, 1000, 0, "100ms", time.Minute)
	early := &Cache{Capacity: 10, TTL: time.Second, Coalesce: true, EarlyRefresh: 1}
	cacheRun(t, early, hot, 1000, 0, "100ms", time.Minute)
	perExpiry := func(c *Cache) float64 { return float64(c.Fetches.Total()) / float64(max(c.Expired, 1)) }
	if p := perExpiry(plain); p < 80 || merged.Fetches.Total() > merged.Expired+1 || merged.Coalesced < 50*merged.Expired {
		t.Errorf("%.0f fetches per expiry without coalescing; with it %d fetches, %d expiries, %d coalesced",
			p, merged.Fetches.Total(), merged.Expired, merged.Coalesced)
	}
	if early.Expired > 2 || early.Refreshes < 50 || early.Misses.Total() > 150 { // the first fetch's ~100
		t.Errorf("early refresh: %d expired, %d refreshes, %d misses", early.Expired, early.Refreshes, early.Misses.Total())
	}
}

// Writes. Cache-aside drops the entry once the backend has the write, so
// stale reads come only from the race of a fill sent before a write that
// finished first (the stale set that memcache's leases close; Nishtala et
// al., NSDI 2013); write-through keeps the entry and hits more;
// write-back answers writes at once, writes them on eviction, and a flush
// loses those not written yet.
func TestCacheWrites(t *testing.T) {
	keys := Keys{N: 100, Skew: 1}
	aside := &Cache{Capacity: 100}
	cacheRun(t, aside, keys, 1000, 0.1, "exp(5ms)", time.Minute)
	through := &Cache{Capacity: 100, WritePolicy: WriteThrough}
	cacheRun(t, through, keys, 1000, 0.1, "exp(5ms)", time.Minute)
	if s := float64(aside.Stale) / float64(aside.Hits.Total()); s == 0 || s > 0.05 || aside.HitRatio() > through.HitRatio() {
		t.Errorf("cache-aside: %.2f%% stale, hit ratio %.3f against write-through's %.3f", 100*s, aside.HitRatio(), through.HitRatio())
	}
	back := &Cache{Capacity: 50, WritePolicy: WriteBack}
	sys := New(Config{Seed: 1, Duration: time.Minute})
	back.Name, back.Backend = "cache", "db"
	sys.Add(&Source{Name: "load", Target: "cache", Rate: 1000, Keys: keys, Writes: 0.3}, back,
		&Dependency{Name: "db", Latency: dist.MustParse("exp(5ms)")})
	sys.Schedule(Fault{Target: "cache", Kind: Flush, Window: sim.Window{Start: 30 * time.Second}})
	run(t, sys)
	if back.WriteBacks == 0 || back.LostWrites == 0 || back.Stale != 0 {
		t.Errorf("write-back: %d written back, %d lost to the flush, %d stale", back.WriteBacks, back.LostWrites, back.Stale)
	}
}

// A flush turns a warm cache cold: the misses jump, then fall back as it
// fills again.
func TestCacheFlush(t *testing.T) {
	cache := &Cache{Name: "cache", Backend: "db", Capacity: 2000}
	sys := New(Config{Seed: 1, Duration: time.Minute, Window: time.Second})
	sys.Add(&Source{Name: "load", Target: "cache", Rate: 2000, Keys: Keys{N: 10_000, Skew: 0.8}}, cache,
		&Dependency{Name: "db", Latency: dist.MustParse("exp(5ms)")})
	sys.Schedule(Fault{Target: "cache", Kind: Flush, Window: sim.Window{Start: 30 * time.Second}})
	run(t, sys)
	m := cache.Misses.Series()
	before, after, later := m.Between(25*sim.Second, 30*sim.Second), m.Between(30*sim.Second, 31*sim.Second), m.Between(50*sim.Second, 60*sim.Second)
	if after < 1.3*before || later > 1.1*before {
		t.Errorf("misses per second: %.0f before the flush, %.0f just after, %.0f later", before, after, later)
	}
}

// Write-around leaves the cache out of writes: a cached value stays until
// its TTL ends, so stale hits grow with the TTL, and are far more common
// than cache-aside's, which only its race leaves.
func TestCacheWriteAround(t *testing.T) {
	keys := Keys{N: 1000, Skew: 1}
	stale := func(c *Cache) float64 { return float64(c.Stale) / float64(c.Hits.Total()) }
	short := &Cache{Capacity: 100, TTL: time.Second, WritePolicy: WriteAround}
	cacheRun(t, short, keys, 1000, 0.01, "exp(5ms)", time.Minute)
	long := &Cache{Capacity: 100, TTL: 10 * time.Second, WritePolicy: WriteAround}
	cacheRun(t, long, keys, 1000, 0.01, "exp(5ms)", time.Minute)
	aside := &Cache{Capacity: 100, TTL: 10 * time.Second}
	cacheRun(t, aside, keys, 1000, 0.01, "exp(5ms)", time.Minute)
	if !(stale(short) > 0.01 && stale(long) > 2*stale(short) && stale(aside) < stale(short)/5) || long.HitRatio() < short.HitRatio() {
		t.Errorf("stale hits: write-around TTL 1s %.1f%%, 10s %.1f%%; cache-aside %.2f%%; hit ratios %.3f, %.3f",
			100*stale(short), 100*stale(long), 100*stale(aside), short.HitRatio(), long.HitRatio())
	}
}

// A look-aside cache is filled by its caller: when every answer comes
// after the client's timeout, nothing is filled and every read misses;
// a read-through cache fills itself with the same late answers. With
// coalescing, an answer fills when one waiting call still wants it: a
// miss that joined the fetch late is still waiting when it comes.
func TestCacheLookAside(t *testing.T) {
	for _, coalesce := range []bool{false, true} {
		var caches [2]*Cache
		for i, aside := range []bool{false, true} {
			cache := &Cache{Name: "cache", Backend: "db", Capacity: 100, LookAside: aside, Coalesce: coalesce}
			sys := New(Config{Seed: 1, Duration: 10 * time.Second})
			sys.Add(&Source{Name: "load", Target: "client", Rate: 100, Keys: Keys{N: 50}},
				&Client{Name: "client", Target: "cache", Timeout: 50 * time.Millisecond}, cache,
				&Dependency{Name: "db", Latency: dist.MustParse("100ms")})
			run(t, sys)
			caches[i] = cache
		}
		through, aside := caches[0], caches[1]
		filled := aside.Hits.Total() != 0
		if through.HitRatio() < 0.5 || through.Unfilled != 0 || filled != coalesce || aside.Unfilled < 50 || aside.HitRatio() > through.HitRatio() {
			t.Errorf("coalesce=%v: read-through hit ratio %.2f (%d unfilled); look-aside %d hits, %d unfilled",
				coalesce, through.HitRatio(), through.Unfilled, aside.Hits.Total(), aside.Unfilled)
		}
	}
}

// A preloaded cache hits from the first read, holds the most popular
// keys, and with a TTL its entries expire spread over it, not at once.
func TestCachePreload(t *testing.T) {
	keys := Keys{N: 1000, Skew: 1}
	warm := &Cache{Capacity: 100, Preload: 100, TTL: 10 * time.Second}
	cacheRun(t, warm, keys, 1000, 0, "exp(5ms)", 20*time.Second)
	first := warm.Hits.Series().V[0] / warm.Reads.Series().V[0]
	misses := warm.Misses.Series()
	peak := misses.Max()
	if first < 0.5 || peak > 3*misses.Mean() {
		t.Errorf("first second's hit ratio %.2f; misses peak %.0f/s against %.0f/s on average", first, peak, misses.Mean())
	}
	cold := &Cache{Capacity: 100}
	cacheRun(t, cold, keys, 1000, 0, "exp(5ms)", 20*time.Second)
	if c := cold.Hits.Series().V[0] / cold.Reads.Series().V[0]; c >= first {
		t.Errorf("cold first second %.2f, warm %.2f", c, first)
	}
	sys := New(Config{})
	sys.Add(&Source{Name: "load", Target: "cache", Rate: 1}, &Cache{Name: "cache", Backend: "db", Capacity: 10, Preload: 11},
		&Dependency{Name: "db", Latency: dist.MustParse("1ms")})
	if err := sys.Check(); err == nil || !strings.Contains(err.Error(), "Preload=11: must be between 0 and Capacity=10") {
		t.Errorf("got %v", err)
	}
}
