// Package cache is the caching lesson: clients read keys through a cache
// in front of a database. How much does the cache hit, against its size
// and the keys' popularity? How stale are its values under writes, against
// its TTL? What does a hot key expiring do to the database? And why can a
// cache flush leave a system that was fine before it down for good?
//
// The textbook chapter: Gorton, "Foundations of Scalable Systems", ch. 6
// (distributed caching).
//
// # The model
//
// A composition of sim/service components: a Source of Rate requests a
// second (Poisson) asking for Keys keys with Zipf popularity Skew (key i
// with probability proportional to 1/(i+1)^Skew; Breslau et al., INFOCOM
// 1999, find 0.6 to 0.9 in web caches), a share Writes of them writes; a
// Client with a Timeout per attempt, MaxRetries retries after a
// resilience.Backoff, an optional retry budget and circuit breaker; a
// service.Cache of Capacity entries (LRU, LFU or FIFO, a TTL, coalescing,
// early refresh, a write policy, look-aside fills); and the database, a
// service.Server of DBSlots slots at DBService a query, with an unbounded
// FIFO queue. A flush (FlushAt) empties the cache; Warm starts it holding
// the Capacity most popular keys, their ages spread over the TTL.
// service.Cache's doc gives the cache's rules.
//
// # Che's approximation
//
// For an LRU cache under the independent reference model, Che, Tung and
// Wang (IEEE JSAC 2002) give the hit ratio from a single characteristic
// time T, which solves Σ_i (1 − e^(−p_i T)) = C: the hit ratio is
// Σ_i p_i (1 − e^(−p_i T)). Fricker, Robert and Roberts (ITC 2012) show
// why it is so accurate for large key spaces. CheApprox computes it (keys
// of nearly equal probability grouped, so a million keys cost a few
// thousand terms) and every run shows it beside its steady hit ratio, the
// hit ratio from a quarter of the run on (before any flush), once a cold
// cache has filled. The package's tests pin the run within 1.5 percentage
// points of it for Zipf 0.8 and 1.2 over 100,000 keys at 1%, 5% and 20%.
// It describes LRU from a cold start with no TTL and no writes; other runs
// show it with a note.
//
// # Stale reads
//
// With write-around (service.WriteAround) the cache is not told of
// writes, as when another service writes the database: a cached value
// stays until its TTL ends, and hits on it are stale meanwhile. A shorter
// TTL serves fewer stale values and misses more (presets stale-ttl and
// stale-short-ttl). Cache-aside drops the entry on a write and is stale
// only in a race (a fill read before a write that lands first).
//
// # A hot key expiring
//
// When a hot key expires, every read of it until its fetch returns is a
// miss that queries the database (a stampede, or thundering herd).
// Coalescing makes those misses wait for the one fetch; early refresh
// (XFetch: Vattani, Chierichetti and Lowenstein, VLDB 2015) refreshes the
// entry before it expires, with a probability that rises as expiry nears.
//
// # A cold cache that stays cold
//
// The flush presets reproduce a metastable failure of the kind Bronson,
// Aghayev, Charapko and Zhu describe (HotOS 2021): a trigger (the flush)
// moves the system into a bad state that a feedback loop sustains after
// the trigger is gone. Here the cache is look-aside: the client fills it
// after reading the database, so an answer that comes after the client
// timed out fills nothing. The database can serve every read of a cold
// cache only just; with retries, each timeout comes back as more queries,
// the database's queue grows, every answer comes too late to fill the
// cache, and it never warms again, although the database could serve the
// misses of a warm cache several times over. Without retries, or with a
// retry budget, the database stays under its capacity, answers in time,
// and the cache warms. Coalescing does not help when misses seldom share
// a key (a flat popularity).
//
// # The verdict
//
// A window is healthy when at least HealthyShare of the requests offered
// in it were answered in time; windows whose requests had not spent their
// patience by the end are not judged. Stable: every window healthy.
// Degraded (no flush): some windows were degraded, not the last.
// Overloaded: degraded at the end with no flush, or before the flush, or
// with more misses than the database can finish even at the hit ratio the
// cache had before the flush. Recovered: healthy again after the flush. A
// run still degraded SettleTime after the flush is judged by its loop over
// the tail (from the later of SettleTime and the clients' patience after
// the flush): Recovering when the database's backlog falls beyond chance
// (two standard errors of its mean step); Metastable when the backlog
// grows or the database is sent more than it finishes beyond chance, or
// it runs at its capacity (sent 95% of it or more) while the cache stays
// colder than before (a hit ratio under 80% of the warm one);
// Inconclusive otherwise, or when the tail holds fewer than 5 windows.
//
// # Cost and limits
//
// A run costs about a microsecond of wall time per request and attempt;
// the storm's presets hold hundreds of thousands of queries in the
// database's queue. The run stops with an error past 2,000,000 requests
// and attempts held at once; keys are at most 1,000,000, and a run at most
// 1e9 requests.
//
// # Examples
//
// Example runs the default and the flush-storm preset; ExampleCheApprox
// computes Che's approximation; scripts/cache.go compares the flush's
// remedies over seeds.
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim cache -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Duration | -duration | duration | 1m | 100ms to 100h | the run's length in virtual time |
//	| Window | -window | duration | 1s | 1ms to 1h | width of the metric windows and of the verdict's judgement |
//	| Rate | -rate | req/s | 2000 | 0.01 to 1e+06 | requests per second from the clients (Poisson) |
//	| Keys | -keys | keys | 100000 | 1 to 1e+06 | keys the requests ask for |
//	| Skew | -skew | exponent | 0.8 | 0.01 to 5; 0: uniform | Zipf's exponent of key popularity (0: uniform) |
//	| Writes | -writes | share | 0 | 0.0001 to 1; 0: reads only | share of requests that write their key |
//	| Capacity | -capacity | entries | 5000 | 1 to 1e+06 | entries the cache holds |
//	| Eviction | -eviction | choice | lru | lru, lfu, fifo | which entry a full cache gives up |
//	| TTL | -ttl | duration | 0s | 1ms to 1000h; 0: for ever | how long an entry stays fresh |
//	| Warm | -warm | on/off | off | off, on | the cache starts holding the most popular keys |
//	| Coalesce | -coalesce | on/off | off | off, on | misses of a key being fetched wait for that fetch |
//	| EarlyRefresh | -early-refresh | β | 0 | 0.01 to 100; 0: off | XFetch's β: refresh hot entries before they expire (only with -ttl other than 0s) |
//	| WritePolicy | -write-policy | choice | cache-aside | cache-aside, write-through, write-back, write-around | how the cache handles writes (only with -writes other than 0) |
//	| LookAside | -look-aside | on/off | off | off, on | clients fill the cache: an answer after they gave up fills nothing |
//	| FlushAt | -flush-at | duration | 0s | 1ms to 100h; 0: never | when the cache is emptied |
//	| DBSlots | -db-slots | slots | 20 | 1 to 100000 | queries the database runs at once |
//	| DBService | -db-service | distribution | exp(5ms) | mean 1µs to 1m | a query's time at the database |
//	| Timeout | -timeout | duration | 1s | 1ms to 1h | how long a client waits for each attempt |
//	| MaxRetries | -max-retries | retries | 0 | 1 to 20; 0: no retries | retries after a timeout |
//	| Backoff.Kind | -backoff-kind | choice | exponential | none, exponential, full-jitter, decorrelated-jitter | the wait before each retry (only with -max-retries other than 0) |
//	| Backoff.Base | -backoff-base | duration | 50ms | 1µs to 1h | the first retry's backoff (only with -max-retries other than 0 and -backoff-kind other than none) |
//	| Backoff.Cap | -backoff-cap | duration | 2s | 1µs to 24h | the longest backoff (only with -max-retries other than 0 and -backoff-kind other than none) |
//	| Backoff.Jitter | -backoff-jitter | share | 0.5 | 0 to 1; 0: no jitter | exponential backoff's jitter, ± share (only with -max-retries other than 0 and -backoff-kind exponential) |
//	| RetryBudget | -retry-budget | share | 0 | 0.001 to 100; 0: no budget | retries allowed per first attempt |
//	| BudgetBurst | -budget-burst | tokens | 10 | 1 to 1e+09 | tokens the retry budget can save up (only with -retry-budget other than 0) |
//	| CircuitBreaker | -circuit-breaker | on/off | off | off, on | clients share a circuit breaker |
//	| Breaker.Threshold | -breaker-threshold | share | 0.5 | 0.01 to 1 | share of failed attempts that opens the breaker (only with -circuit-breaker on) |
//	| Breaker.Window | -breaker-window | attempts | 20 | 1 to 1e+06 | attempts the breaker remembers (only with -circuit-breaker on) |
//	| Breaker.Cooldown | -breaker-cooldown | duration | 2s | 1ms to 1h | how long the breaker stays open (only with -circuit-breaker on) |
//	| HealthyShare | -healthy-share | share | 0.9 | 0.01 to 1 | a window is healthy when this share of its requests was answered in time |
//	| SettleTime | -settle-time | duration | 20s | 1ms to 100h | how long after the flush a degraded run waits to be judged by its loop (only with -flush-at other than 0s) |
package cache
