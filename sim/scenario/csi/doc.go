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
// and from the two sides' schemas and configurations, never from a coin:
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
package csi
