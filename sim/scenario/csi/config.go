package csi

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Upstream is system A: it writes orders and calls the downstream with
// each one.
type Upstream struct {
	Name string // zero means "A"
	// Schema is what A writes. Empty Fields mean OrdersV1().
	Schema Schema
	// Next, when its Version is set, is the schema a rolling upgrade moves
	// A's writers to: from RolloutStart, over RolloutDuration, a growing
	// share of orders is written with it (all of them afterwards).
	Next            Schema
	RolloutStart    time.Duration
	RolloutDuration time.Duration

	// Timeout is how long A waits for one attempt. Zero means 5s.
	Timeout time.Duration
	// Retries is how many times A tries again after a timeout or a
	// "queue full" answer. Zero means 3; negative means none.
	Retries int
	// Backoff is the first retry's delay; it doubles per retry, with full
	// jitter. Zero means 200ms.
	Backoff time.Duration
	// MaxItems is the largest order A takes. Zero means 100.
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

	// Workers is B's concurrency. Zero means 64.
	Workers int
	// QueueLimit is how many orders may wait; more are refused with
	// "queue full". Zero means 10000.
	QueueLimit int
	// MaxItems is the largest order B takes; larger ones are refused.
	// Zero means 100.
	MaxItems int
	// B's time per order: BaseLatency + PerItem x items, times lognormal
	// noise with coefficient of variation LatencyCV. Zeros mean 20ms, 2ms
	// and 0.25.
	BaseLatency time.Duration
	PerItem     time.Duration
	LatencyCV   float64

	// What B documents its clients must allow (management plane): a
	// timeout and retries. Zeros mean 5s and 3.
	ExpectTimeout time.Duration
	ExpectRetries int
}

// Config is one run of two systems exchanging orders; start from Default
// or a preset. Zero fields take the defaults Default documents.
type Config struct {
	Seed       uint64
	Upstream   Upstream
	Downstream Downstream

	// Rate is orders per second (Poisson). Zero means 10.
	Rate float64
	// Duration is how long A writes. Zero means 5m.
	Duration time.Duration
	// Accounts is the number of customer accounts; orders pick one by a
	// Zipf law, so a few are hot. Zero means 50.
	Accounts int
	// NetworkDelay is the one-way delay between A and B. Zero means 1ms.
	NetworkDelay time.Duration
	// Window is the bucket of the outcome series. Zero means Duration/60.
	Window time.Duration

	// Prevention, run before deployment. Each reports what it finds; when
	// it finds a problem, the problem is fixed before the run.
	WriteReadTest  bool // write test orders with A, read them with B, compare
	SchemaRegistry bool // check the schemas' compatibility
	CoherenceCheck bool // compare A's configuration with what B documents
	ContractTest   bool // exercise B's API the way A uses it
	// TestOrders is the write-read test's sample size. Zero means 100.
	TestOrders int
	// TestData is where the write-read test's orders come from: "sampled"
	// (drawn like production orders, the default) or "fixtures" (a few
	// hand-written orders, all ASCII, round prices).
	TestData string
}

// Limits.
const (
	maxRecords  = 200_000
	maxAccounts = 100_000
	maxWorkers  = 100_000
	maxRetries  = 20
)

// Default is two coherent systems: the same schema (OrdersV1), B fast
// (20ms + 2ms per item), A's 5s timeout and 3 retries what B documents, A
// assuming a synchronous, thread-safe API and B providing one; 10 orders
// a second for 5 minutes over 50 accounts. Every order arrives intact.
func Default() Config {
	return Config{
		Upstream: Upstream{Name: "A", Schema: OrdersV1(), Timeout: 5 * time.Second, Retries: 3, Backoff: 200 * time.Millisecond,
			MaxItems: 100, AssumesSync: true, AssumesThreadSafe: true},
		Downstream: Downstream{Name: "B", Schema: OrdersV1(), ThreadSafe: true, Workers: 64, QueueLimit: 10000, MaxItems: 100,
			BaseLatency: 20 * time.Millisecond, PerItem: 2 * time.Millisecond, LatencyCV: 0.25,
			ExpectTimeout: 5 * time.Second, ExpectRetries: 3},
		Rate: 10, Duration: 5 * time.Minute, Accounts: 50, NetworkDelay: time.Millisecond, TestOrders: 100, TestData: "sampled",
	}
}

func orDur(v *time.Duration, def time.Duration) {
	if *v == 0 {
		*v = def
	}
}

func orInt(v *int, def int) {
	if *v == 0 {
		*v = def
	}
}

func withSchema(s Schema) Schema {
	if len(s.Fields) == 0 {
		s.Fields = OrdersV1().Fields
		if s.Version == 0 {
			s.Version = 1
		}
	}
	if s.Name == "" {
		s.Name = "orders"
	}
	if s.Encoding == "" {
		s.Encoding = "utf-8"
	}
	return s
}

func withNext(s Schema) Schema {
	if s.Version == 0 {
		return s
	}
	return withSchema(s)
}

func (c Config) withDefaults() Config {
	d := Default()
	a, b := &c.Upstream, &c.Downstream
	if a.Name == "" {
		a.Name = "A"
	}
	if b.Name == "" {
		b.Name = "B"
	}
	a.Schema, b.Schema = withSchema(a.Schema), withSchema(b.Schema)
	a.Next, b.Next = withNext(a.Next), withNext(b.Next)
	orDur(&a.Timeout, d.Upstream.Timeout)
	orDur(&a.Backoff, d.Upstream.Backoff)
	orInt(&a.Retries, d.Upstream.Retries)
	if a.Retries < 0 {
		a.Retries = 0
	}
	orInt(&a.MaxItems, d.Upstream.MaxItems)
	orInt(&b.Workers, d.Downstream.Workers)
	orInt(&b.QueueLimit, d.Downstream.QueueLimit)
	orInt(&b.MaxItems, d.Downstream.MaxItems)
	orDur(&b.BaseLatency, d.Downstream.BaseLatency)
	orDur(&b.PerItem, d.Downstream.PerItem)
	if b.LatencyCV == 0 {
		b.LatencyCV = d.Downstream.LatencyCV
	}
	orDur(&b.ExpectTimeout, d.Downstream.ExpectTimeout)
	orInt(&b.ExpectRetries, d.Downstream.ExpectRetries)
	if c.Rate == 0 {
		c.Rate = d.Rate
	}
	orDur(&c.Duration, d.Duration)
	orInt(&c.Accounts, d.Accounts)
	orDur(&c.NetworkDelay, d.NetworkDelay)
	orDur(&c.Window, c.Duration/60)
	orInt(&c.TestOrders, d.TestOrders)
	if c.TestData == "" {
		c.TestData = d.TestData
	}
	return c
}

// Validate reports the first bad field, naming it and its value.
func (c Config) Validate() error {
	c = c.withDefaults()
	bad := func(field string, v any, why string) error { return fmt.Errorf("csi: %s=%v: %s", field, v, why) }
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
	switch {
	case a.Next.Version != 0 && a.Next.Version == a.Schema.Version:
		return bad("Upstream.Next.Version", a.Next.Version, "must differ from Upstream.Schema.Version")
	case b.Next.Version != 0 && b.Next.Version == b.Schema.Version:
		return bad("Downstream.Next.Version", b.Next.Version, "must differ from Downstream.Schema.Version")
	case a.RolloutStart < 0:
		return bad("Upstream.RolloutStart", a.RolloutStart, "must not be negative")
	case a.RolloutDuration < 0:
		return bad("Upstream.RolloutDuration", a.RolloutDuration, "must not be negative")
	case b.UpgradeAt < 0:
		return bad("Downstream.UpgradeAt", b.UpgradeAt, "must not be negative")
	case a.Timeout < 0 || a.Timeout > time.Hour:
		return bad("Upstream.Timeout", a.Timeout, "must be in (0, 1h]")
	case a.Retries > maxRetries:
		return bad("Upstream.Retries", a.Retries, fmt.Sprintf("must be at most %d", maxRetries))
	case a.Backoff < 0 || a.Backoff > time.Hour:
		return bad("Upstream.Backoff", a.Backoff, "must be in (0, 1h]")
	case a.MaxItems < 1 || a.MaxItems > 10_000:
		return bad("Upstream.MaxItems", a.MaxItems, "must be 1..10000")
	case b.Workers < 1 || b.Workers > maxWorkers:
		return bad("Downstream.Workers", b.Workers, fmt.Sprintf("must be 1..%d", maxWorkers))
	case b.QueueLimit < 1 || b.QueueLimit > maxRecords:
		return bad("Downstream.QueueLimit", b.QueueLimit, fmt.Sprintf("must be 1..%d", maxRecords))
	case b.MaxItems < 1 || b.MaxItems > 10_000:
		return bad("Downstream.MaxItems", b.MaxItems, "must be 1..10000")
	case b.BaseLatency < 0 || b.BaseLatency > time.Hour:
		return bad("Downstream.BaseLatency", b.BaseLatency, "must be in [0, 1h]")
	case b.PerItem < 0 || b.PerItem > time.Hour:
		return bad("Downstream.PerItem", b.PerItem, "must be in [0, 1h]")
	case !(b.LatencyCV > 0 && b.LatencyCV <= 3):
		return bad("Downstream.LatencyCV", b.LatencyCV, "must be in (0, 3]")
	case b.ExpectTimeout < 0:
		return bad("Downstream.ExpectTimeout", b.ExpectTimeout, "must not be negative")
	case b.ExpectRetries < 0 || b.ExpectRetries > maxRetries:
		return bad("Downstream.ExpectRetries", b.ExpectRetries, fmt.Sprintf("must be 0..%d", maxRetries))
	case !(c.Rate > 0 && c.Rate <= 10_000) || math.IsNaN(c.Rate):
		return bad("Rate", c.Rate, "must be in (0, 10000] orders per second")
	case c.Duration < 0 || c.Duration > 24*time.Hour:
		return bad("Duration", c.Duration, "must be in (0, 24h]")
	case c.Rate*c.Duration.Seconds() > maxRecords:
		return bad("Rate", c.Rate, fmt.Sprintf("with Duration=%v makes about %.0f orders; the limit is %d", c.Duration, c.Rate*c.Duration.Seconds(), maxRecords))
	case c.Accounts < 1 || c.Accounts > maxAccounts:
		return bad("Accounts", c.Accounts, fmt.Sprintf("must be 1..%d", maxAccounts))
	case c.NetworkDelay < 0 || c.NetworkDelay > time.Minute:
		return bad("NetworkDelay", c.NetworkDelay, "must be in [0, 1m]")
	case c.Window < 0 || (c.Window > 0 && c.Duration/c.Window > 100_000):
		return bad("Window", c.Window, "must be positive, and at most 100000 windows long")
	case c.TestOrders < 1 || c.TestOrders > 10_000:
		return bad("TestOrders", c.TestOrders, "must be 1..10000")
	case c.TestData != "sampled" && c.TestData != "fixtures":
		return bad("TestData", fmt.Sprintf("%q", c.TestData), `want "sampled" or "fixtures"`)
	}
	return nil
}

func validateSchema(field string, s Schema) error {
	bad := func(f string, v any, why string) error { return fmt.Errorf("csi: %s.%s=%v: %s", field, f, v, why) }
	switch {
	case s.Version < 1:
		return bad("Version", s.Version, "must be at least 1")
	case !slices.Contains(encodings, s.Encoding):
		return bad("Encoding", fmt.Sprintf("%q", s.Encoding), fmt.Sprintf("unknown encoding (want one of %v)", encodings))
	case len(s.Fields) == 0:
		return bad("Fields", "[]", "a schema needs fields")
	}
	seen := map[string]bool{}
	for i, f := range s.Fields {
		at := fmt.Sprintf("Fields[%d]", i)
		k := fieldIndex(f.Name)
		if k < 0 {
			return bad(at+".Name", fmt.Sprintf("%q", f.Name), fmt.Sprintf("not in the record catalogue (want one of %v)", FieldNames()))
		}
		if seen[f.Name] {
			return bad(at+".Name", fmt.Sprintf("%q", f.Name), "appears twice")
		}
		seen[f.Name] = true
		t, err := parseType(f.Type)
		if err != nil {
			return bad(at+".Type", fmt.Sprintf("%q", f.Type), err.Error())
		}
		if !allowed(k, t) {
			return bad(at+".Type", fmt.Sprintf("%q", f.Type), fmt.Sprintf("cannot hold %s, which is a %v", f.Name, catalogue[k].t))
		}
	}
	if !seen["id"] || !seen["account"] || !seen["amount"] {
		return bad("Fields", s, "a schema must carry id, account and amount")
	}
	return nil
}
