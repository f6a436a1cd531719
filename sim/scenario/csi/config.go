package csi

import (
	"cmp"
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Upstream is system A: it writes orders and calls the downstream with
// each one.
type Upstream struct {
	Name string // zero means "A"
	// Schema is what A writes. Empty Fields mean OrdersV1().
	Schema Schema
	// Next, when its Version is set, is the schema a rolling upgrade moves
	// A's writers to: from Rollout.Start, over Rollout.Duration, a growing
	// share of orders is written with it (all of them afterwards; a zero
	// Duration moves every writer at Rollout.Start).
	Next    Schema
	Rollout sim.Window

	// Timeout is how long A waits for one attempt.
	Timeout time.Duration
	// Retries is how many times A tries again after a timeout or a
	// "queue full" answer; zero means none.
	Retries int
	// Backoff is the wait before each retry: by default full jitter, a
	// uniform draw below Base doubled per retry, at most Cap. The default
	// Cap, 1m, binds no preset (the longest is the config preset's fifth
	// retry once the coherence check raises its retries: 16s), so the
	// lesson's draws are those of plain doubling.
	Backoff resilience.Backoff
	// MaxItems is the largest order A takes.
	MaxItems int

	// What A assumes of the downstream's API (control plane).
	// AssumesSync: A treats the return of a call as the update being
	// applied. AssumesThreadSafe: A sends updates of one account
	// concurrently; otherwise it sends them one at a time, each after the
	// previous one completed (by A's understanding of completion).
	AssumesSync       bool
	AssumesThreadSafe bool
}

// Downstream is system B: it receives A's orders, reads them with its own
// schema, and applies each to its store: the order itself, and the
// account's balance (a read-modify-write).
type Downstream struct {
	Name string // zero means "B"
	// Schema is what B reads with. Empty Fields mean OrdersV1().
	Schema Schema
	// Next, when its Version is set, is the schema B reads with from
	// UpgradeAt on.
	Next      Schema
	UpgradeAt time.Duration
	// StrictDecoding fails loudly on bytes B's encoding cannot read;
	// otherwise each becomes U+FFFD, silently (Java's and Go's default).
	StrictDecoding bool

	// What B really does (control plane). Async: B acknowledges on receipt
	// and applies later on a pool of Workers, finishing in any order.
	// ThreadSafe: B adds an order to its account's balance atomically when
	// the work is done; otherwise it reads the balance when the work
	// starts and writes it back when it ends, so concurrent orders of one
	// account lose updates.
	Async      bool
	ThreadSafe bool
	// Idempotent: B applies an order it has already stored only once.
	Idempotent bool

	// Workers is B's concurrency.
	Workers int
	// QueueLimit is how many orders may wait; more are refused with
	// "queue full".
	QueueLimit int
	// MaxItems is the largest order B takes; larger ones are refused.
	MaxItems int
	// B's time per order is (BaseLatency + PerItem x items) times a draw
	// of LatencyNoise, a distribution of plain factors. Its default,
	// lognormal(1, 0.25), has mean 1, so BaseLatency + PerItem x items is
	// the mean time, and a coefficient of variation of 0.25.
	BaseLatency  time.Duration
	PerItem      time.Duration
	LatencyNoise dist.Dist

	// What B documents its clients must allow (management plane): a
	// timeout and retries (zero: none).
	ExpectTimeout time.Duration
	ExpectRetries int
}

// TestSource is where the write-read test's orders come from.
type TestSource string

// The test data of the write-read test.
const (
	Sampled  TestSource = "sampled"  // drawn like production orders
	Fixtures TestSource = "fixtures" // a few hand-written orders: ASCII names, round prices
)

// Config is one run of two systems exchanging orders; start from Default
// or a preset. A zero field takes its default, except where the knob table
// says what zero means (no retries, no rollout delay). KnobTable() lists
// every knob with its unit, default and range.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed       uint64
	Upstream   Upstream
	Downstream Downstream

	// Rate is orders per second (Poisson).
	Rate float64
	// Duration is how long A writes.
	Duration time.Duration
	// Accounts is the number of customer accounts; orders pick one by a
	// Zipf law, so a few are hot.
	Accounts int
	// NetworkDelay is the one-way delay between A and B, drawn per message.
	NetworkDelay dist.Dist
	// Window is the bucket of the outcome series; zero means Duration/60.
	Window time.Duration

	// Prevention, run before deployment. Each reports what it finds; when
	// it finds a problem, the problem is fixed before the run.
	WriteReadTest  bool // write test orders with A, read them with B, compare
	SchemaRegistry bool // check the schemas' compatibility
	CoherenceCheck bool // compare A's configuration with what B documents
	ContractTest   bool // exercise B's API the way A uses it
	// TestOrders is the write-read test's sample size.
	TestOrders int
	// TestData is where the write-read test's orders come from.
	TestData TestSource
}

// Limits beyond what the knob table bounds: past them a run is a mistake,
// not an experiment.
const (
	// maxRecords bounds the orders of a run (Rate x Duration), which the
	// run and its checker hold in memory.
	maxRecords = 200_000
	// maxOrders is the hard bound behind maxRecords: Poisson arrivals
	// never come near it, but a run's memory must not rest on chance.
	maxOrders = maxRecords + maxRecords/10
	// maxWindows bounds the buckets of the outcome series.
	maxWindows = 100_000
	// maxEvents bounds the events of a run: an order takes at most a few
	// per attempt.
	maxEvents = 50_000_000
)

// knobs is the single source of Config's defaults, ranges, flags and
// sweep knobs. The ranges keep every product a run computes (A's patience,
// timeouts times attempts plus backoffs; B's time for the largest order;
// a rollout's end) far from overflow.
var knobs = scenario.NewTable("csi", Config{},
	[]string{
		"Upstream.Name: A's name in the texts (zero: A)",
		"Upstream.Schema: the schema A writes (zero fields: OrdersV1); its encoding is a knob",
		"Upstream.Next: the schema A's rollout moves to (zero version: no rollout)",
		"Downstream.Name: B's name in the texts (zero: B)",
		"Downstream.Schema: the schema B reads with (zero fields: OrdersV1); its encoding is a knob",
		"Downstream.Next: the schema B upgrades to at UpgradeAt (zero version: no upgrade)",
	},
	scenario.Dur("Duration", "how long A writes orders", 5*time.Minute, time.Second, 24*time.Hour),
	derived(scenario.Dur("Window", "bucket of the outcome series", 0, time.Millisecond, time.Hour).DerivedFrom("Duration/60")),
	scenario.Num("Rate", "orders/s", "orders A writes per second (Poisson)", 10, 0.001, 10_000),
	scenario.Int("Accounts", "accounts", "customer accounts, picked by a Zipf law", 50, 1, 100_000),
	scenario.Distribution("NetworkDelay", "one-way delay between A and B, per message", "const(1ms)", 0, time.Minute),

	scenario.OneOf("Upstream.Schema.Encoding", "how A encodes text", "utf-8", encodings...),
	scenario.Dur("Upstream.Rollout.Start", "when A's rollout to its Next schema begins", 0, 0, 24*time.Hour).ZeroMeans("at the start of the run"),
	scenario.Dur("Upstream.Rollout.Duration", "how long A's rollout takes", 0, time.Millisecond, 24*time.Hour).ZeroMeans("every writer at once"),
	scenario.Dur("Upstream.Timeout", "how long A waits for one attempt", 5*time.Second, time.Millisecond, time.Hour).Alias("timeout"),
	scenario.Int("Upstream.Retries", "retries", "A's retries after a timeout or a full queue", 3, 1, 20).ZeroMeans("no retries").Alias("retries"),
	scenario.OneOf("Upstream.Backoff.Kind", "A's wait before each retry", string(resilience.FullJitter), describe.Strings(resilience.BackoffKinds())...),
	scenario.Dur("Upstream.Backoff.Base", "the first retry's backoff (the scale of the others)", 200*time.Millisecond, time.Millisecond, time.Hour).OnlyWithout("Upstream.Backoff.Kind", string(resilience.NoBackoff)),
	scenario.Dur("Upstream.Backoff.Cap", "the longest backoff", time.Minute, time.Millisecond, 24*time.Hour).OnlyWithout("Upstream.Backoff.Kind", string(resilience.NoBackoff)),
	scenario.Num("Upstream.Backoff.Jitter", "share", "exponential backoff's jitter, ± share", 0, 0, 1).ZeroMeans("no jitter").OnlyWith("Upstream.Backoff.Kind", string(resilience.Exponential)),
	scenario.Int("Upstream.MaxItems", "items", "the largest order A takes", 100, 1, 10_000),
	scenario.Bool("Upstream.AssumesSync", "A takes a call's return as the order applied", true),
	scenario.Bool("Upstream.AssumesThreadSafe", "A sends an account's orders concurrently", true),

	scenario.OneOf("Downstream.Schema.Encoding", "how B decodes text", "utf-8", encodings...),
	scenario.Dur("Downstream.UpgradeAt", "when B starts reading with its Next schema", 0, 0, 24*time.Hour).ZeroMeans("from the start"),
	scenario.Bool("Downstream.StrictDecoding", "B fails loudly on bytes its encoding cannot read", false),
	scenario.Bool("Downstream.Async", "B acknowledges on receipt and applies later", false).Alias("async"),
	scenario.Bool("Downstream.ThreadSafe", "B updates a balance atomically", true),
	scenario.Bool("Downstream.Idempotent", "B applies an order it already stored only once", false),
	scenario.Int("Downstream.Workers", "workers", "orders B works on at once", 64, 1, 100_000).Alias("workers"),
	scenario.Int("Downstream.QueueLimit", "orders", "orders that may wait at B; more are refused", 10_000, 1, maxRecords),
	scenario.Int("Downstream.MaxItems", "items", "the largest order B takes", 100, 1, 10_000),
	scenario.Dur("Downstream.BaseLatency", "B's time per order, before its items", 20*time.Millisecond, time.Microsecond, time.Hour),
	scenario.Dur("Downstream.PerItem", "B's time per item of an order", 2*time.Millisecond, time.Microsecond, time.Hour),
	// A distribution of plain factors: the contract has a constructor only
	// for distributions of durations.
	scenario.Knob{Name: "Downstream.LatencyNoise", Kind: scenario.Dist, Doc: "factor on B's time per order, drawn per attempt",
		Default: "lognormal(1, 0.25)", Min: 0.01, Max: 100},
	scenario.Dur("Downstream.ExpectTimeout", "the timeout B documents its clients must allow", 5*time.Second, time.Millisecond, time.Hour),
	scenario.Int("Downstream.ExpectRetries", "retries", "the retries B documents its clients must allow", 3, 1, 20).ZeroMeans("none"),

	scenario.Bool("WriteReadTest", "before deployment, write test orders with A and read them with B", false),
	scenario.Bool("SchemaRegistry", "before deployment, check the schemas' compatibility", false),
	scenario.Bool("CoherenceCheck", "before deployment, compare A's settings with what B documents", false),
	scenario.Bool("ContractTest", "before deployment, exercise B the way A uses it", false),
	scenario.Int("TestOrders", "orders", "the write-read test's sampled orders", 100, 1, 10_000).OnlyWith("TestData", string(Sampled)),
	scenario.OneOf("TestData", "where the write-read test's orders come from", string(Sampled), string(Sampled), string(Fixtures)),
)

// derived leaves a derived knob without a default of its own, so that its
// zero (derive it) is not checked against its range.
func derived(k scenario.Knob) scenario.Knob {
	k.Default = nil
	return k
}

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default is two coherent systems: the same schema (OrdersV1), B fast
// (20ms + 2ms per item), A's 5s timeout and 3 retries what B documents, A
// assuming a synchronous, thread-safe API and B providing one; 10 orders
// a second for 5 minutes over 50 accounts. Every order arrives intact.
func Default() Config {
	var c Config
	_ = knobs.Defaults(&c)
	c.Upstream.Name, c.Downstream.Name = "A", "B"
	c.Upstream.Schema, c.Downstream.Schema = OrdersV1(), OrdersV1()
	return c
}

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	a, b := &c.Upstream, &c.Downstream
	a.Name = cmp.Or(a.Name, "A")
	b.Name = cmp.Or(b.Name, "B")
	a.Schema, b.Schema = withSchema(a.Schema), withSchema(b.Schema)
	a.Next, b.Next = withNext(a.Next), withNext(b.Next)
	if c.Window == 0 {
		c.Window = c.Duration / 60
	}
	return c
}

func withSchema(s Schema) Schema {
	if len(s.Fields) == 0 {
		s.Fields = OrdersV1().Fields
		s.Version = cmp.Or(s.Version, 1)
	}
	s.Name = cmp.Or(s.Name, "orders")
	s.Encoding = cmp.Or(s.Encoding, "utf-8")
	return s
}

func withNext(s Schema) Schema {
	if s.Version == 0 {
		return s
	}
	return withSchema(s)
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the schemas and the rules
// across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

// rules reports the first rule across fields that c, filled and with its
// knobs in range, breaks.
func (c Config) rules() error {
	a, b := c.Upstream, c.Downstream
	schemas := []struct {
		field string
		s     Schema
	}{{"Upstream.Schema", a.Schema}, {"Upstream.Next", a.Next}, {"Downstream.Schema", b.Schema}, {"Downstream.Next", b.Next}}
	for _, x := range schemas {
		if x.s.Version == 0 && len(x.s.Fields) == 0 {
			continue
		}
		if err := validateSchema(x.field, x.s); err != nil {
			return err
		}
	}
	orders := c.Rate * c.Duration.Seconds()
	switch {
	case a.Next.Version != 0 && a.Next.Version == a.Schema.Version:
		return bad("Upstream.Next.Version", a.Next.Version, fmt.Sprintf("must differ from Upstream.Schema.Version=%d", a.Schema.Version))
	case b.Next.Version != 0 && b.Next.Version == b.Schema.Version:
		return bad("Downstream.Next.Version", b.Next.Version, fmt.Sprintf("must differ from Downstream.Schema.Version=%d", b.Schema.Version))
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case orders > maxRecords:
		return bad("Rate", c.Rate, fmt.Sprintf("with Duration=%v makes about %.0f orders; the limit is %d", c.Duration, orders, maxRecords))
	case a.Backoff.Cap < a.Backoff.Base:
		return bad("Upstream.Backoff.Cap", a.Backoff.Cap, fmt.Sprintf("is shorter than Upstream.Backoff.Base=%v", a.Backoff.Base))
	case dist.IsDuration(b.LatencyNoise):
		return bad("Downstream.LatencyNoise", b.LatencyNoise, "is a factor: give a distribution of plain numbers, like lognormal(1, 0.25)")
	}
	return nil
}
