package cache

import (
	"fmt"
	"slices"
	"time"

	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Limits beyond what the knob table bounds.
const (
	// maxKeys bounds the key space: the load's table takes 12 bytes a
	// key, and Che's approximation a pass over the keys per step.
	maxKeys    = 1_000_000
	maxWindows = 100_000
	// maxHeld bounds the requests and attempts alive at once; a storm
	// against an unbounded queue stops with an error naming it.
	maxHeld = 2_000_000
)

// Config is one caching experiment: clients reading keys through a cache
// in front of a database. Start from Default or a preset; a zero field
// takes its default, except where the knob table says what zero means
// (no writes, no TTL, no retries, never flushed...). KnobTable lists
// every knob.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is the run's length in virtual time.
	Duration time.Duration
	// Window is the width of the metric windows and of the verdict's
	// judgement.
	Window time.Duration

	// Rate is the requests per second the clients make (Poisson).
	Rate float64
	// Keys is the number of keys; key i is asked for with probability
	// proportional to 1/(i+1)^Skew (Zipf's law).
	Keys int
	// Skew is Zipf's exponent: 0 is uniform, about 0.6 to 1.2 for web
	// caches.
	Skew float64
	// Writes is the share of requests that write their key.
	Writes float64

	// Capacity is the entries the cache holds.
	Capacity int
	// Eviction is which entry a full cache gives up.
	Eviction service.Eviction
	// TTL is how long an entry stays fresh; zero is for ever.
	TTL time.Duration
	// Warm starts the cache holding the Capacity most popular keys.
	Warm bool
	// Coalesce makes misses of a key whose fetch is in flight wait for it.
	Coalesce bool
	// EarlyRefresh is XFetch's β: a hit refreshes its entry early, with a
	// probability that rises as expiry nears. Needs a TTL.
	EarlyRefresh float64
	// WritePolicy is how the cache handles writes.
	WritePolicy service.WritePolicy
	// LookAside makes the clients fill the cache themselves: an answer
	// that comes after the client gave up fills nothing.
	LookAside bool
	// FlushAt is when the cache is flushed (emptied); zero never.
	FlushAt time.Duration

	// DBSlots is the queries the database runs at once.
	DBSlots int
	// DBService is a query's time at the database.
	DBService dist.Dist

	// Timeout is how long a client waits for each attempt.
	Timeout time.Duration
	// MaxRetries is how many times a client retries after a timeout.
	MaxRetries int
	// Backoff is the wait before each retry.
	Backoff resilience.Backoff
	// RetryBudget caps retries at this share of first attempts (a token
	// bucket of BudgetBurst tokens).
	RetryBudget float64
	BudgetBurst float64
	// CircuitBreaker makes the clients share a breaker.
	CircuitBreaker bool
	Breaker        resilience.BreakerConfig

	// HealthyShare is the verdict's threshold: a window is healthy when at
	// least this share of the requests offered in it were answered in time.
	HealthyShare float64
	// SettleTime is how long after the flush a still-degraded run waits
	// before it is judged by its feedback loop.
	SettleTime time.Duration
}

var knobs = scenario.NewTable("cache", Config{}, nil,
	slices.Concat([]scenario.Knob{
		scenario.Dur("Duration", "the run's length in virtual time", time.Minute, 100*time.Millisecond, 100*time.Hour),
		scenario.Dur("Window", "width of the metric windows and of the verdict's judgement", time.Second, time.Millisecond, time.Hour),
		scenario.Num("Rate", "req/s", "requests per second from the clients (Poisson)", 2000, 0.01, 1e6),
		scenario.Int("Keys", "keys", "keys the requests ask for", 100_000, 1, maxKeys),
		scenario.Num("Skew", "exponent", "Zipf's exponent of key popularity (0: uniform)", 0.8, 0.01, 5).ZeroMeans("uniform"),
		scenario.Num("Writes", "share", "share of requests that write their key", 0, 0.0001, 1).ZeroMeans("reads only"),
		scenario.Int("Capacity", "entries", "entries the cache holds", 5000, 1, maxKeys),
		scenario.OneOf("Eviction", "which entry a full cache gives up", string(service.EvictLRU), describe.Strings(service.Evictions())...),
		scenario.Dur("TTL", "how long an entry stays fresh", 0, time.Millisecond, 1000*time.Hour).ZeroMeans("for ever"),
		scenario.Bool("Warm", "the cache starts holding the most popular keys", false),
		scenario.Bool("Coalesce", "misses of a key being fetched wait for that fetch", false),
		scenario.Num("EarlyRefresh", "β", "XFetch's β: refresh hot entries before they expire", 0, 0.01, 100).ZeroMeans("off").OnlyWithout("TTL", "0s"),
		scenario.OneOf("WritePolicy", "how the cache handles writes", string(service.CacheAside), describe.Strings(service.WritePolicies())...).OnlyWithout("Writes", "0"),
		scenario.Bool("LookAside", "clients fill the cache: an answer after they gave up fills nothing", false),
		scenario.Dur("FlushAt", "when the cache is emptied", 0, time.Millisecond, 100*time.Hour).ZeroMeans("never").Alias("flush"),
		scenario.Int("DBSlots", "slots", "queries the database runs at once", 20, 1, 100_000),
		scenario.Distribution("DBService", "a query's time at the database", "exp(5ms)", time.Microsecond, time.Minute),
	}, describe.ClientKnobs(describe.Client{Timeout: time.Second, RetryAfter: "a timeout", BackoffBase: 50 * time.Millisecond, BackoffCap: 2 * time.Second, BreakerCooldown: 2 * time.Second}), []scenario.Knob{
		scenario.Num("HealthyShare", "share", "a window is healthy when this share of its requests was answered in time", 0.9, 0.01, 1),
		scenario.Dur("SettleTime", "how long after the flush a degraded run waits to be judged by its loop", 20*time.Second, time.Millisecond, 100*time.Hour).OnlyWithout("FlushAt", "0s"),
	})...,
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the defaults: 2000 reads a second of 100,000 keys with
// Zipf popularity 0.8, through an LRU cache of 5000 entries (5% of the
// keys) with no TTL, in front of a database of 20 slots at exp(5ms) a
// query; clients wait 1s and do not retry; a minute, never flushed.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	describe.FillClient(knobs, &c, &c.Backoff)
	return c
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

func (c Config) rules() error {
	switch {
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Capacity > c.Keys:
		return bad("Capacity", c.Capacity, fmt.Sprintf("is more than Keys=%d: a cache of every key needs Capacity=%d", c.Keys, c.Keys))
	case c.FlushAt >= c.Duration:
		return bad("FlushAt", c.FlushAt, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.Backoff.Cap < c.Backoff.Base:
		return bad("Backoff.Cap", c.Backoff.Cap, fmt.Sprintf("is shorter than Backoff.Base=%v", c.Backoff.Base))
	case c.Rate*c.Duration.Seconds() > 1e9:
		return bad("Rate", c.Rate, fmt.Sprintf("sends %.3g requests over Duration=%v; at most 1e9", c.Rate*c.Duration.Seconds(), c.Duration))
	}
	return nil
}

// patience is the longest a request can take: every attempt's timeout
// and the longest backoffs between them.
func (c Config) patience() time.Duration {
	p := time.Duration(c.MaxRetries+1) * c.Timeout
	for k := 1; k <= c.MaxRetries; k++ {
		p += c.Backoff.Longest(k).Duration()
	}
	return p
}

// dbCapacity is the queries per second the database finishes when busy.
func (c Config) dbCapacity() float64 { return float64(c.DBSlots) / c.DBService.Mean() }

// flushed reports whether the run has a flush.
func (c Config) flushed() bool { return c.FlushAt > 0 }
