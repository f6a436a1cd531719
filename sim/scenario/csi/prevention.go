package csi

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"dsim/sim"
)

// Check is one prevention strategy run before deployment: what it found,
// and, when it was enabled and found something, the fix made before the
// run. A check that is off still reports what it would have caught.
type Check struct {
	Name     string
	Enabled  bool
	Caught   bool
	Findings []string // the first few problems found
	Found    int      // how many
	Fix      string   // what changed before the run ("" if nothing)
}

// The checks, in the order they are reported.
const (
	WriteReadTest  = "write-read test"
	SchemaRegistry = "schema registry"
	CoherenceCheck = "configuration coherence check"
	ContractTest   = "contract test"
)

// CheckNames lists the prevention strategies.
func CheckNames() []string {
	return []string{WriteReadTest, SchemaRegistry, CoherenceCheck, ContractTest}
}

const maxFindings = 3

func (c *Check) add(format string, args ...any) {
	c.Found++
	c.Caught = true
	if len(c.Findings) < maxFindings {
		c.Findings = append(c.Findings, fmt.Sprintf(format, args...))
	}
}

// pair is a writer schema and a reader schema that meet in the deployment
// plan: A writes with w while B reads with r.
type pair struct {
	w, r         Schema
	wNext, rNext bool
}

// pairs lists the schema pairs that meet: A writes its schema until its
// rollout ends and its next one from the rollout's start; B reads with its
// schema until UpgradeAt and its next one after.
func pairs(c Config) []pair {
	a, b := c.Upstream, c.Downstream
	end := c.Duration
	type span struct {
		s        Schema
		next     bool
		from, to time.Duration
	}
	writers := []span{{a.Schema, false, 0, end}}
	if a.Next.Version != 0 {
		writers[0].to = min(end, a.Rollout.End())
		writers = append(writers, span{a.Next, true, a.Rollout.Start, end})
	}
	forever := time.Duration(math.MaxInt64)
	readers := []span{{b.Schema, false, 0, forever}}
	if b.Next.Version != 0 {
		readers[0].to = b.UpgradeAt
		readers = append(readers, span{b.Next, true, b.UpgradeAt, forever})
	}
	var ps []pair
	for _, w := range writers {
		for _, r := range readers {
			if w.from < w.to && r.from < r.to && w.from < r.to && r.from < w.to {
				ps = append(ps, pair{w.s, r.s, w.next, r.next})
			}
		}
	}
	return ps
}

// prevent runs the four checks on cfg and returns them with the
// configuration that is deployed: cfg with the fixes of the enabled checks
// that caught something.
func prevent(ctx context.Context, cfg Config) ([]Check, Config) {
	fixed := cfg
	wr := writeReadTest(cfg)
	reg := registryCheck(cfg)
	coh := coherenceCheck(cfg)
	con := contractTest(ctx, cfg)
	wr.Enabled, reg.Enabled, coh.Enabled, con.Enabled = cfg.WriteReadTest, cfg.SchemaRegistry, cfg.CoherenceCheck, cfg.ContractTest
	if (wr.Enabled && wr.Caught) || (reg.Enabled && reg.Caught) {
		how := fixSchemas(&fixed, wr.Enabled && wr.Caught, cfg)
		if wr.Enabled && wr.Caught {
			wr.Fix = how
		}
		if reg.Enabled && reg.Caught {
			reg.Fix = how
		}
	}
	if coh.Enabled && coh.Caught {
		a, b := &fixed.Upstream, fixed.Downstream
		a.Timeout = max(a.Timeout, b.ExpectTimeout)
		a.Retries = max(a.Retries, b.ExpectRetries)
		a.MaxItems = min(a.MaxItems, b.MaxItems)
		coh.Fix = fmt.Sprintf("A now uses a %v timeout, %d retries and a limit of %d items", a.Timeout, a.Retries, a.MaxItems)
	}
	if con.Enabled && con.Caught {
		a, b := &fixed.Upstream, fixed.Downstream
		a.AssumesSync, a.AssumesThreadSafe = !b.Async, b.ThreadSafe
		con.Fix = "A now sends an account's orders one at a time, each after B reports it applied"
		if a.AssumesThreadSafe {
			con.Fix = "A now waits for B's report that an order is applied"
		}
	}
	return []Check{wr, reg, coh, con}, fixed
}

// fixSchemas mends the data plane. When the only failing pairs are A's
// next schema meeting B's current one and B has a next schema that reads
// it, the fix is the rollout order: B upgrades first. Otherwise every
// field the two sides declare differently goes back to its registered
// (logical) type, and both sides encode text in UTF-8, the one encoding
// that holds every name.
func fixSchemas(fixed *Config, byTest bool, cfg Config) string {
	a, b := &fixed.Upstream, &fixed.Downstream
	onlyOrder := b.Next.Version != 0 && a.Next.Version != 0
	for _, p := range pairs(cfg) {
		bad := len(comparePair(cfg, p, byTest)) > 0
		if bad && !(p.wNext && !p.rNext) {
			onlyOrder = false
		}
	}
	if onlyOrder {
		if ok := len(comparePair(cfg, pair{w: a.Next, r: b.Next}, byTest)) == 0; ok {
			b.UpgradeAt = min(b.UpgradeAt, a.Rollout.Start)
			return fmt.Sprintf("B upgrades to v%d before A's rollout (at %v)", b.Next.Version, b.UpgradeAt)
		}
	}
	for _, s := range []*Schema{&a.Schema, &a.Next, &b.Schema, &b.Next} {
		if s.Version == 0 {
			continue
		}
		s.Fields = append([]Field(nil), s.Fields...)
		for i, f := range s.Fields {
			s.Fields[i].Type = catalogue[fieldIndex(f.Name)].t.String()
		}
		s.Encoding = "utf-8"
	}
	return "both systems use the registered schema: every field in its logical type, text in UTF-8"
}

// comparePair is the check behind the write-read test (byTest) or the
// registry for one pair of schemas: the problems it finds.
func comparePair(cfg Config, p pair, byTest bool) []string {
	if !byTest {
		return compatibility(p.w, p.r)
	}
	var problems []string
	for _, rec := range testOrders(cfg, p.w) {
		w, err := write(rec, p.w)
		if err != nil {
			problems = append(problems, fmt.Sprintf("order %d: %v", rec.id, err))
			continue
		}
		vals, types, has, err := read(w, p.r, cfg.Downstream.StrictDecoding)
		if err != nil {
			problems = append(problems, fmt.Sprintf("order %d: %v", rec.id, err))
			continue
		}
		if k, wrote, got := differs(rec, vals, types, has); k >= 0 {
			problems = append(problems, fmt.Sprintf("order %d: %s written %s, read %s", rec.id, catalogue[k].name, wrote, got))
		}
	}
	return problems
}

func versions(p pair) string { return fmt.Sprintf("A v%d -> B v%d", p.w.Version, p.r.Version) }

// writeReadTest writes test orders with each writer schema of the plan and
// reads them with each reader schema it meets, comparing every field
// (the version compatibility matrix).
func writeReadTest(cfg Config) Check {
	c := Check{Name: WriteReadTest}
	for _, p := range pairs(cfg) {
		for _, problem := range comparePair(cfg, p, true) {
			c.add("%s, %s", versions(p), problem)
		}
	}
	return c
}

// registryCheck checks each pair's schemas for compatibility, the way a
// schema registry does (Avro's rules): the same encoding; every field the
// reader needs is written, in the same type or one it promotes to (long
// to double, a decimal to a wider one); a field the writer may leave null
// is nullable for the reader. A field the reader does not know is fine:
// readers ignore it. The registry sees structure, not meaning.
func registryCheck(cfg Config) Check {
	c := Check{Name: SchemaRegistry}
	for _, p := range pairs(cfg) {
		for _, problem := range compatibility(p.w, p.r) {
			c.add("%s: %s", versions(p), problem)
		}
	}
	return c
}

func compatibility(w, r Schema) []string {
	var problems []string
	if w.Encoding != r.Encoding {
		problems = append(problems, fmt.Sprintf("A encodes text in %s, B decodes %s", w.Encoding, r.Encoding))
	}
	for _, rf := range r.Fields {
		wf, ok := w.Field(rf.Name)
		if !ok {
			if !rf.Nullable {
				problems = append(problems, fmt.Sprintf("B requires %s, which A does not write", rf.Name))
			}
			continue
		}
		wt, _ := parseType(wf.Type)
		rt, _ := parseType(rf.Type)
		if !promotes(wt, rt) {
			problems = append(problems, fmt.Sprintf("%s: A writes %v, B reads %v", rf.Name, wt, rt))
		}
		if wf.Nullable && !rf.Nullable {
			problems = append(problems, fmt.Sprintf("%s: A may write null, B requires a value", rf.Name))
		}
	}
	return problems
}

func promotes(from, to ftype) bool {
	switch {
	case from == to:
		return true
	case from.k == kLong && to.k == kDouble:
		return true
	case from.k == kDecimal && to.k == kDecimal:
		return to.s >= from.s && to.p-to.s >= from.p-from.s
	}
	return false
}

// coherenceCheck compares A's client settings with what B documents, and
// says how often B's own latency model exceeds A's timeout.
func coherenceCheck(cfg Config) Check {
	c := Check{Name: CoherenceCheck}
	a, b := cfg.Upstream, cfg.Downstream
	if a.Timeout < b.ExpectTimeout {
		c.add("A's timeout is %v; B documents %v. B's latency exceeds %v for %.1f%% of orders (%d sampled)",
			a.Timeout, b.ExpectTimeout, a.Timeout, 100*exceeds(cfg, a.Timeout, 2000), 2000)
	}
	if a.Retries < b.ExpectRetries {
		c.add("A retries %d times; B documents %d", a.Retries, b.ExpectRetries)
	}
	if a.MaxItems > b.MaxItems {
		c.add("A takes orders of up to %d items; B refuses more than %d", a.MaxItems, b.MaxItems)
	}
	return c
}

// exceeds samples orders and B's service time for them: the share whose
// time is over t. It uses streams of its own, so it never shifts a run.
func exceeds(cfg Config, t time.Duration, n int) float64 {
	g := newGenerator(sim.Stream(cfg.Seed, "csi/coherence-orders"), cfg.Accounts, cfg.Upstream.MaxItems)
	r := &run{cfg: cfg, rSvc: sim.Stream(cfg.Seed, "csi/coherence-service")}
	over := 0
	for i := 0; i < n; i++ {
		rec := g.next(int64(i+1), 0, cfg.Upstream.Schema, 0)
		if r.serviceTime(rec.items) > sim.FromDuration(t) {
			over++
		}
	}
	return float64(over) / float64(n)
}

// contractTest exercises B the way A uses it, on a test instance: 40
// orders of one account sent 10ms apart, each checked the way A relies on
// it: applied once it is answered (if A assumes a synchronous API), and
// all of them applied in order (if A sends concurrently).
func contractTest(ctx context.Context, cfg Config) Check {
	c := Check{Name: ContractTest}
	t := cfg
	t.WriteReadTest, t.SchemaRegistry, t.CoherenceCheck, t.ContractTest = false, false, false, false
	t.Upstream.Schema, t.Upstream.Next, t.Downstream.Next = t.Downstream.Schema, Schema{}, Schema{}
	t.Upstream.Timeout, t.Upstream.MaxItems = time.Hour, t.Downstream.MaxItems
	t.Accounts, t.Rate, t.Duration = 1, 100, 400*time.Millisecond
	res, err := simulate(ctx, t)
	if err != nil {
		c.add("the test did not run: %v", err)
		return c
	}
	early, bad := 0, map[string]int{}
	var example []string
	for _, o := range res.Orders {
		if o.AnsweredEarly && cfg.Upstream.AssumesSync {
			early++
		}
		if o.Outcome == Silent {
			if bad[o.Cause] == 0 {
				example = append(example, o.Cause)
				c.Findings = append(c.Findings, fmt.Sprintf("order %d: %s", o.ID, o.Why))
			}
			bad[o.Cause]++
		}
	}
	var what []string
	for _, cause := range example {
		what = append(what, fmt.Sprintf("%d %s", bad[cause], cause))
	}
	if len(what) > 0 {
		c.Caught = true
		c.Found += len(what)
		c.Findings = append([]string{fmt.Sprintf("of %d orders of one account sent as A sends them: %s", len(res.Orders), strings.Join(what, ", "))}, c.Findings...)
		c.Findings = c.Findings[:min(len(c.Findings), maxFindings)]
	}
	if early > 0 {
		c.add("B answered %d of %d calls before applying the order; A assumes a call returns once applied", early, len(res.Orders))
	}
	return c
}

// testOrders are the write-read test's orders for a writer schema: drawn
// like production orders from a stream of their own, or fixtures.
func testOrders(cfg Config, w Schema) []*record {
	if cfg.TestData == Fixtures {
		return fixtures(w)
	}
	g := newGenerator(sim.Stream(cfg.Seed, "csi/test-orders/v"+strconv.Itoa(w.Version)), cfg.Accounts, cfg.Upstream.MaxItems)
	out := make([]*record, cfg.TestOrders)
	for i := range out {
		out[i] = g.next(int64(i+1), int64(i)*int64(sim.Second), w, 0)
	}
	return out
}

// fixtures are the orders a team writes by hand: ASCII names, round
// prices, one shipped.
func fixtures(w Schema) []*record {
	type fx struct {
		customer string
		cents    int64
		items    int64
		shipped  bool
	}
	list := []fx{{"John Smith", 1000, 1, false}, {"Jane Doe", 2550, 2, true}, {"Test User", 10000, 3, false}, {"Bob Jones", 500, 1, false}}
	var out []*record
	for i, f := range list {
		rec := &record{id: int64(i + 1), items: f.items}
		t := &rec.truth
		t[fID], t[fAccount], t[fCustomer] = value{i: rec.id}, value{s: accountName(0)}, value{s: f.customer}
		t[fAmount], t[fItems], t[fCreatedAt] = value{i: f.cents}, value{i: f.items}, value{i: epoch}
		t[fShippedAt], t[fNote], t[fDiscount] = value{null: true}, value{null: true}, value{null: true}
		if f.shipped {
			t[fShippedAt] = value{i: epoch + 3600_000_000}
		}
		for k, c := range catalogue {
			_, rec.has[k] = w.Field(c.name)
			if !rec.has[k] {
				t[k] = value{null: true}
			}
		}
		out = append(out, rec)
	}
	return out
}
