package cache

import (
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Preset is a named configuration that reproduces one step of the lesson.
type Preset = describe.Named[Config]

// Presets returns the lesson's experiments, in teaching order.
func Presets() []Preset {
	hit := Default()

	skewed := hit
	skewed.Skew = 1.2

	stale := Default()
	stale.Keys, stale.Capacity, stale.Skew = 10_000, 10_000, 1
	stale.Rate, stale.Writes = 1000, 0.01
	stale.WritePolicy, stale.TTL = service.WriteAround, 30*time.Second
	stale.Duration, stale.Warm = 2*time.Minute, true

	staleShort := stale
	staleShort.TTL = 2 * time.Second

	hot := Default()
	hot.Keys, hot.Capacity, hot.Skew = 100, 100, 1.2
	hot.Rate, hot.TTL = 2000, 10*time.Second
	hot.Warm = true
	hot.DBSlots, hot.DBService = 6, dist.MustParse("exp(100ms)")
	hot.Timeout = 500 * time.Millisecond
	hot.Window = 250 * time.Millisecond

	coalesce := hot
	coalesce.Coalesce = true

	refresh := coalesce
	refresh.EarlyRefresh = 1

	storm := Default()
	storm.Rate, storm.Skew, storm.Capacity = 500, 0.6, 30_000
	storm.Warm, storm.LookAside = true, true
	storm.DBSlots, storm.DBService = 2, dist.MustParse("exp(3.6ms)")
	storm.Timeout, storm.MaxRetries = 20*time.Millisecond, 3
	storm.FlushAt, storm.Duration = 40*time.Second, 100*time.Second

	noRetries := storm
	noRetries.MaxRetries = 0

	budget := storm
	budget.RetryBudget = 0.1

	coalesceStorm := storm
	coalesceStorm.Coalesce = true

	return []Preset{
		{Name: "hit-ratio", Description: "An LRU cache of 5% of 100,000 keys whose popularity follows Zipf's law (0.8): the hit ratio the run measures, beside Che's approximation.", Config: hit},
		{Name: "skewed", Description: "The same cache under a steeper popularity (Zipf 1.2): the few hottest keys take most reads, and the same cache hits far more.", Config: skewed},
		{Name: "stale-ttl", Description: "A cache of every key that is not told of writes (write-around), 1% of requests writing: values stay until their 30s TTL ends, and many hits are stale.", Config: stale},
		{Name: "stale-short-ttl", Description: "The same cache with a 2s TTL: fewer stale hits, bought with more misses.", Config: staleShort},
		{Name: "hot-key", Description: "The hottest of 100 keys (3 in 10 of 2000 reads a second) expires every 10s; its query takes 100ms, and every read of it in that shadow misses and queries the database, which has 6 slots: a stampede, and the other keys' queries wait behind it.", Config: hot},
		{Name: "hot-key-coalesce", Description: "The same, with misses of a key being fetched waiting for that fetch: one query per expiry.", Config: coalesce},
		{Name: "hot-key-refresh", Description: "The same with coalescing and early refresh (XFetch, β=1): hot entries are refreshed before they expire, and hardly a read misses.", Config: refresh},
		{Name: "flush-storm", Description: "A warm look-aside cache flushed at 40s: the database, which can just serve every read of a cold cache, slows; clients time out after 20ms and retry three times; the answers come too late to fill the cache, and it never warms again.", Config: storm},
		{Name: "flush-no-retries", Description: "The same flush with clients that do not retry: the database stays under its capacity, most answers fill the cache, and it warms again.", Config: noRetries},
		{Name: "flush-budget", Description: "The same flush with a retry budget of 10% of first attempts: the retries cannot add more than the database has spare.", Config: budget},
		{Name: "flush-coalesce", Description: "The same flush with coalescing: under a popularity this flat (Zipf 0.6), misses seldom share a key, and the storm goes on.", Config: coalesceStorm},
	}
}

// PresetConfig returns the configuration of the named preset, or an error
// listing the presets there are.
func PresetConfig(name string) (Config, error) {
	return describe.Find(knobs, Presets(), name)
}
