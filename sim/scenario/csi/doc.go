// Package csi simulates cross-system interaction failures: two systems
// that each pass their own tests fail together because of what flows
// between them. Some failures are loud, some silent; prevention catches
// some of them and not others.
//
// # Model
//
// An upstream system A writes orders and calls a downstream system B with
// each one; B reads the order with its own schema and stores it, adding
// the amount to the account's balance. Each side has:
//
//   - a schema (Schema): field names and types, nullability, a text
//     encoding and a version. Fields come from one catalogue (FieldNames):
//     id, account, customer, amount, items, created_at, shipped_at, note,
//     discount;
//   - a configuration: A's timeout, retries and backoff, B's workers,
//     queue and item limits, its time per order, and what B documents
//     clients must allow;
//   - API semantics: whether B answers before applying (Async) and
//     whether concurrent updates of an account are safe (ThreadSafe), and
//     what A assumes of both.
//
// Orders are realistic: timestamps in 2026, prices that mostly end in .99,
// names from many languages (about a quarter with letters Latin-1 holds,
// a tenth beyond it), optional shipping dates and notes, a few hot
// accounts (Zipf). Whether an order fails follows from what it contains
// and from the two sides' schemas and configurations; no coin is tossed
// for it. Timing is the exception: B's time per attempt is drawn (see
// below), so whether an attempt outlasts A's timeout, and so whether an
// order is retried and stored twice, is a matter of chance whose odds the
// order's size sets:
//
//   - A puts each value in the type its schema declares (a timestamp in a
//     long is epoch milliseconds, an amount in a double is in units) and
//     encodes text; a character its encoding lacks becomes '?' (Java's
//     String.getBytes does the same).
//   - B's connector converts each field to B's type the way Hive, Spark
//     and common connectors do: a long or double cast to a timestamp is
//     seconds since 1970, and out of range (years 1 to 9999) is an error;
//     a double becomes decimal(P,S) by scaling and truncating, so 19.99
//     (19.98999... in binary) becomes 19.98; bytes that are not valid UTF-8
//     become U+FFFD, or an error with StrictDecoding; Latin-1 decodes
//     anything, into mojibake. A field B requires that A does not write is
//     an error; a field A writes that B lacks is ignored.
//   - B's time per order is (BaseLatency + PerItem x items) times a draw
//     of LatencyNoise, lognormal with mean 1 and a coefficient of
//     variation of 0.25 by default; each message between the two takes
//     NetworkDelay. A retries after a timeout, waiting its Backoff (full
//     jitter by default: a uniform draw below Base doubled per retry,
//     Brooker, "Exponential Backoff And Jitter", 2015), and B, which never
//     learns that A gave up, may store a retried order twice unless it is
//     Idempotent.
//   - A non-thread-safe B reads the balance when the work starts and
//     writes it back when it ends: two orders of one account that overlap
//     lose an update. An asynchronous B acknowledges at once, so an
//     upstream that waits for the call before sending the account's next
//     order does not wait for the work.
//
// # Configuration
//
// Config nests the two sides (Upstream, Downstream) beside the run's own
// knobs and the prevention switches. KnobTable lists every knob with its
// command-line flag, unit, default and range; a side's knob is named with
// a dot ("Upstream.Timeout", "Downstream.Workers", flag
// -upstream-timeout). Zero fields take the default, except where the
// table says what zero means: Upstream.Retries and
// Downstream.ExpectRetries of zero are none; a zero Upstream.Rollout
// starts at once, and moves every writer at once. The schemas (Schema,
// Next) and the names are set in Go; each schema's encoding is also a
// knob. Validate checks the knobs' ranges, then the schemas and the rules
// across fields: Window at most Duration and at most 100,000 windows,
// Rate x Duration at most 200,000 orders, a backoff cap no shorter than
// its base, a noise of plain factors, next versions that differ. A run
// holds at most 220,000 orders and runs at most 50 million events (either
// bound is an error that says so); B's times and the run's horizon
// saturate instead of overflowing. RunContext stops when its context is
// done.
//
// # Outcomes
//
// Every order ends ok, as a loud failure (an error someone sees: which
// side raised it, and the plane, data, management or control), or as
// silent corruption, which only the checker finds: after the run it
// compares what A meant to write with what B stored, field by field, and
// checks every balance and the order of B's writes. The verdict's typed
// Outcome says which outcomes the orders had: Clean, LoudOnly, SilentOnly
// or LoudSilent. Result.Errors counts
// what monitoring sees; silent corruption never adds to it.
// Result.Explain finds the order properties (character set, shipped or
// not, binary form of the amount, size, traffic on the account, versions)
// that account for the failures, and Result.Examples lists failed orders
// with the reason, from their data.
//
// # Prevention
//
// Four checks run before deployment; each reports what it finds whether
// or not it is on, and when it is on and finds something, the fix ships
// and the run changes:
//
//   - write-read test: write test orders with A, read them with B, compare
//     (for every pair of schema versions the rollout plan makes meet). It
//     catches what its data exercise: "fixtures" (hand-written ASCII
//     orders) miss the encoding problem. Fix: both sides use the registered
//     schema, or, for a rollout, B upgrades first.
//   - schema registry: Avro-style compatibility of the schemas. It sees
//     structure, not meaning: an added optional field passes.
//   - configuration coherence check: A's timeout, retries and limits
//     against what B documents, with the share of orders B's latency puts
//     beyond A's timeout.
//   - contract test: B exercised the way A uses it (orders of one account
//     sent as A sends them), checking A's assumptions.
//
// Prevention and PreventionTable run every scenario against each check.
//
// # Exercises
//
// The lesson's exercises are checked here, over several seeds, so that the
// notebook's exercise cell does not hold its answer: CheckConfigFix takes
// a ConfigFix (A's timeout and retries, B's idempotence) and passes it
// when, on each of seeds 1 to FixSeeds, fewer than FixMaxLoud of the
// orders fail loudly and B stores none twice (StoredTwice), within the
// rules' limits (FixMaxTimeout, FixMinRetries). CheckWhySmallOrdersFail
// checks the "why" question's choice against the config preset run with
// and without B's random factor. AttemptsOver gives the share of B's
// attempts that outlast a timeout.
//
// # Sweeps
//
// Scenario describes the lesson to the front ends; Sweep runs it over a
// grid of knobs named as in KnobTable ("Upstream.Timeout"), several seeds
// per point, in parallel: each run reports the share of each verdict, the
// orders by outcome, the errors monitoring sees, A's attempts per order
// and B's time per attempt.
//
// # Scenarios
//
// Scenarios returns the six of the lesson: metadata (Hive writes a long
// where Spark reads a timestamp), encoding (Latin-1 producer, UTF-8
// consumer), config (30s and 3 retries against 60s and 5), api
// (synchronous, thread-safe assumed; asynchronous, unsafe provided), type
// (double against decimal) and version-skew (A rolls out a schema with a
// discount while B lags). Presets adds the coherent baseline and
// variations.
//
// # Sources
//
//   - L. Tang et al., "An Empirical Study of Cross-System Interaction
//     Failures in Cloud Systems", EuroSys 2023: CSI failures are 20% of
//     catastrophic cloud incidents; data plane 51%, management 32%,
//     control 17%; most fixes go in the upstream's connector; write-read
//     testing found 15 Spark-Hive discrepancies.
//   - Apache Hive and Spark documentation: numeric to timestamp casts are
//     seconds since the epoch.
//   - Apache Avro specification: schema resolution and type promotion.
//
// # Knobs
//
// Every field of Config is a knob of this table, or named below it
// (generated from the knob table: go test ./sim/scenario/registry -update).
// A flag is -NAME on the command line (dsim csi -h); a sweep
// knob takes the Name.
//
//	| knob | flag | unit | default | range | what it sets |
//	| --- | --- | --- | --- | --- | --- |
//	| Duration | -duration | duration | 5m | 1s to 24h | how long A writes orders |
//	| Window | -window | duration | Duration/60 | 1ms to 1h; 0: auto (Duration/60) | bucket of the outcome series |
//	| Rate | -rate | orders/s | 10 | 0.001 to 10000 | orders A writes per second (Poisson) |
//	| Accounts | -accounts | accounts | 50 | 1 to 100000 | customer accounts, picked by a Zipf law |
//	| NetworkDelay | -network-delay | distribution | const(1ms) | mean 0s to 1m | one-way delay between A and B, per message |
//	| Upstream.Schema.Encoding | -upstream-schema-encoding | choice | utf-8 | utf-8, latin-1, ascii | how A encodes text |
//	| Upstream.Rollout.Start | -upstream-rollout-start | duration | 0s | 0s to 24h; 0: at the start of the run | when A's rollout to its Next schema begins |
//	| Upstream.Rollout.Duration | -upstream-rollout-duration | duration | 0s | 1ms to 24h; 0: every writer at once | how long A's rollout takes |
//	| Upstream.Timeout | -upstream-timeout | duration | 5s | 1ms to 1h | how long A waits for one attempt |
//	| Upstream.Retries | -upstream-retries | retries | 3 | 1 to 20; 0: no retries | A's retries after a timeout or a full queue |
//	| Upstream.Backoff.Kind | -upstream-backoff-kind | choice | full-jitter | none, exponential, full-jitter, decorrelated-jitter | A's wait before each retry |
//	| Upstream.Backoff.Base | -upstream-backoff-base | duration | 200ms | 1ms to 1h | the first retry's backoff (the scale of the others) (only with -upstream-backoff-kind other than none) |
//	| Upstream.Backoff.Cap | -upstream-backoff-cap | duration | 1m | 1ms to 24h | the longest backoff (only with -upstream-backoff-kind other than none) |
//	| Upstream.Backoff.Jitter | -upstream-backoff-jitter | share | 0 | 0 to 1; 0: no jitter | exponential backoff's jitter, ± share (only with -upstream-backoff-kind exponential) |
//	| Upstream.MaxItems | -upstream-max-items | items | 100 | 1 to 10000 | the largest order A takes |
//	| Upstream.AssumesSync | -upstream-assumes-sync | on/off | on | off, on | A takes a call's return as the order applied |
//	| Upstream.AssumesThreadSafe | -upstream-assumes-thread-safe | on/off | on | off, on | A sends an account's orders concurrently |
//	| Downstream.Schema.Encoding | -downstream-schema-encoding | choice | utf-8 | utf-8, latin-1, ascii | how B decodes text |
//	| Downstream.UpgradeAt | -downstream-upgrade-at | duration | 0s | 0s to 24h; 0: from the start | when B starts reading with its Next schema |
//	| Downstream.StrictDecoding | -downstream-strict-decoding | on/off | off | off, on | B fails loudly on bytes its encoding cannot read |
//	| Downstream.Async | -downstream-async | on/off | off | off, on | B acknowledges on receipt and applies later |
//	| Downstream.ThreadSafe | -downstream-thread-safe | on/off | on | off, on | B updates a balance atomically |
//	| Downstream.Idempotent | -downstream-idempotent | on/off | off | off, on | B applies an order it already stored only once |
//	| Downstream.Workers | -downstream-workers | workers | 64 | 1 to 100000 | orders B works on at once |
//	| Downstream.QueueLimit | -downstream-queue-limit | orders | 10000 | 1 to 200000 | orders that may wait at B; more are refused |
//	| Downstream.MaxItems | -downstream-max-items | items | 100 | 1 to 10000 | the largest order B takes |
//	| Downstream.BaseLatency | -downstream-base-latency | duration | 20ms | 1µs to 1h | B's time per order, before its items |
//	| Downstream.PerItem | -downstream-per-item | duration | 2ms | 1µs to 1h | B's time per item of an order |
//	| Downstream.LatencyNoise | -downstream-latency-noise | distribution | lognormal(1, 0.25) | mean 0.01 to 100 | factor on B's time per order, drawn per attempt |
//	| Downstream.ExpectTimeout | -downstream-expect-timeout | duration | 5s | 1ms to 1h | the timeout B documents its clients must allow |
//	| Downstream.ExpectRetries | -downstream-expect-retries | retries | 3 | 1 to 20; 0: none | the retries B documents its clients must allow |
//	| WriteReadTest | -write-read-test | on/off | off | off, on | before deployment, write test orders with A and read them with B |
//	| SchemaRegistry | -schema-registry | on/off | off | off, on | before deployment, check the schemas' compatibility |
//	| CoherenceCheck | -coherence-check | on/off | off | off, on | before deployment, compare A's settings with what B documents |
//	| ContractTest | -contract-test | on/off | off | off, on | before deployment, exercise B the way A uses it |
//	| TestOrders | -test-orders | orders | 100 | 1 to 10000 | the write-read test's sampled orders (only with -test-data sampled) |
//	| TestData | -test-data | choice | sampled | sampled, fixtures | where the write-read test's orders come from |
//
// Set in Go only: Upstream.Name: A's name in the texts (zero: A); Upstream.Schema: the schema A writes (zero fields: OrdersV1); its encoding is a knob; Upstream.Next: the schema A's rollout moves to (zero version: no rollout); Downstream.Name: B's name in the texts (zero: B); Downstream.Schema: the schema B reads with (zero fields: OrdersV1); its encoding is a knob; Downstream.Next: the schema B upgrades to at UpgradeAt (zero version: no upgrade).
package csi
