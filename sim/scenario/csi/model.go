package csi

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/scenario/internal/describe"
)

// Planes and sides of a loud failure.
const (
	DataPlane       = "data"
	ManagementPlane = "management"
	ControlPlane    = "control"
	UpstreamSide    = "upstream"
	DownstreamSide  = "downstream"
)

// wire is an order as A sent it: each field in A's declared type, strings
// as bytes in A's encoding.
type wire struct {
	schema Schema
	types  [nFields]ftype
	vals   [nFields]value
}

// order is one record in flight and its fate.
type order struct {
	rec      *record
	w        *wire
	attempts int
	timer    sim.Timer
	live     int      // the attempt A is waiting for (0: none)
	backoff  sim.Time // the last wait before a retry (decorrelated jitter draws from it)
	done     bool
	bTimes   []sim.Time // B's time per attempt: receipt to work done (-1: not done)

	loud         *Failure
	stored       int
	read         [nFields]value // what B stored, the first time
	readTypes    [nFields]ftype
	readHas      [nFields]bool
	readerSchema Schema
	applied      int      // rank of B's first write of this order (0: never)
	readAt       sim.Time // when that write's job read the balance
	wroteAt      sim.Time // and wrote it back
	released     bool     // A let the account's next order go
	after        *order   // the account's previous order, which A deemed applied before sending this one
}

// job is one attempt at B.
type job struct {
	o       *order
	attempt int
	arrived sim.Time
}

// account is B's balance of one account; prov is the chain of orders the
// balance includes (the checker's view, not B's).
type account struct {
	balance int64
	prov    *provenance
}

type provenance struct {
	id   int64
	next *provenance
}

type run struct {
	cfg    Config
	s      *sim.Sim
	res    *Result
	gen    *generator
	rArr   *rand.Rand
	rSvc   *rand.Rand
	rBack  *rand.Rand
	rRoll  *rand.Rand
	rNet   *rand.Rand
	orders []*order

	// A's per-account serialisation (when it does not assume thread
	// safety).
	aBusy    []bool
	aWaiting [][]*order
	aLast    []*order // per account: the last order A deemed complete

	// B.
	queue    []*job
	head     int
	free     int
	accounts []*account
	applied  int
}

// Run simulates cfg and checks every order.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run, stopping early with ctx's error when it is cancelled.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	return describe.Run(ctx, cfg, Config.Validate, Config.withDefaults, execute)
}

// execute runs cfg, validated and with its defaults filled.
func execute(ctx context.Context, cfg Config) (*Result, error) {
	checks, fixed := prevent(ctx, cfg)
	res, err := simulate(ctx, fixed)
	if err != nil {
		return nil, err
	}
	res.Config, res.Checks = cfg, checks
	res.Deployed = fixed
	return res, nil
}

// horizon bounds a run: writing, then every attempt and backoff A could
// make, then B draining a full queue of its largest orders at twenty times
// their mean time, and an hour to spare. A run ends sooner when no event
// is left; the horizon only stops one that would not. It is worked out in
// seconds and saturates, so no knob value overflows it.
func horizon(c Config) sim.Time {
	a, b := c.Upstream, c.Downstream
	patience := a.Timeout.Seconds() * float64(a.Retries+1)
	for k := 1; k <= a.Retries; k++ {
		patience += a.Backoff.Longest(k).Seconds()
	}
	order := (b.BaseLatency.Seconds() + b.PerItem.Seconds()*float64(b.MaxItems)) * math.Max(1, b.LatencyNoise.Mean())
	drain := 20 * order * (float64(b.QueueLimit)/float64(b.Workers) + 1)
	return sim.Seconds(c.Duration.Seconds() + patience + drain + 3600)
}

func simulate(ctx context.Context, cfg Config) (*Result, error) {
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: horizon(cfg), MaxEvents: maxEvents})
	r := &run{cfg: cfg, s: s, res: newResult(cfg),
		gen:  newGenerator(s.Rand("csi/data"), cfg.Accounts, cfg.Upstream.MaxItems),
		rArr: s.Rand("csi/arrivals"), rSvc: s.Rand("csi/service"), rBack: s.Rand("csi/backoff"), rRoll: s.Rand("csi/rollout"),
		rNet:  s.Rand("csi/network"),
		aBusy: make([]bool, cfg.Accounts), aWaiting: make([][]*order, cfg.Accounts), aLast: make([]*order, cfg.Accounts),
		free: cfg.Downstream.Workers, accounts: make([]*account, cfg.Accounts)}
	for i := range r.accounts {
		r.accounts[i] = &account{}
	}
	s.At(r.gap(), r.arrive)
	if err := s.Run(ctx); err != nil {
		return nil, err
	}
	r.check()
	return r.res, nil
}

func (r *run) gap() sim.Time {
	return sim.Time(r.rArr.ExpFloat64() / r.cfg.Rate * 1e9)
}

// writerFor picks the schema A writes an order with at time t: during a
// rollout, the share of upgraded writers grows linearly.
func (r *run) writerFor(t sim.Time) (Schema, int) {
	a := r.cfg.Upstream
	if a.Next.Version == 0 {
		return a.Schema, 0
	}
	start := sim.FromDuration(a.Rollout.Start)
	share := 0.0
	switch span := sim.FromDuration(a.Rollout.Duration); {
	case t < start:
	case span == 0 || t >= start+span:
		share = 1
	default:
		share = float64(t-start) / float64(span)
	}
	if r.rRoll.Float64() < share {
		return a.Next, 1
	}
	return a.Schema, 0
}

func (r *run) arrive() {
	now := r.s.Now()
	if now >= sim.FromDuration(r.cfg.Duration) {
		return
	}
	if len(r.orders) >= maxOrders {
		// Rate x Duration is checked against maxRecords; Poisson arrivals
		// do not reach this bound, but memory must not depend on it.
		r.s.Fail(fmt.Errorf("csi: more than %d orders in one run (Rate=%v, Duration=%v): the limit of a run", maxOrders, r.cfg.Rate, r.cfg.Duration))
		return
	}
	schema, writer := r.writerFor(now)
	rec := r.gen.next(int64(100001+len(r.orders)), int64(now), schema, writer)
	o := &order{rec: rec}
	r.orders = append(r.orders, o)
	r.s.After(r.gap(), r.arrive)
	var err error
	o.w, err = write(rec, schema)
	if err != nil {
		o.fail(UpstreamSide, DataPlane, err.Error())
		return
	}
	if r.cfg.Upstream.AssumesThreadSafe {
		r.send(o)
		return
	}
	if r.aBusy[rec.account] {
		r.aWaiting[rec.account] = append(r.aWaiting[rec.account], o)
		return
	}
	r.aBusy[rec.account] = true
	o.after = r.aLast[rec.account]
	r.send(o)
}

// write is A putting an order in its schema's types and encoding. A value
// its schema cannot hold is A's own loud failure.
func write(rec *record, s Schema) (*wire, error) {
	w := &wire{schema: s}
	for _, f := range s.Fields {
		k := fieldIndex(f.Name)
		t, _ := parseType(f.Type)
		v := rec.truth[k]
		if v.null && !f.Nullable {
			return nil, fmt.Errorf("%s cannot write %s: it is null, and its schema v%d says required", "A", f.Name, s.Version)
		}
		d, err := toDeclared(k, t, v)
		if err != nil {
			return nil, fmt.Errorf("A cannot write %s: %v", f.Name, err)
		}
		if t.k == kString && !d.null {
			d.b, _ = encode(d.s, s.Encoding)
		}
		w.types[k], w.vals[k] = t, d
	}
	return w, nil
}

// fail records the order's first loud failure.
func (o *order) fail(side, plane, why string) {
	if o.loud == nil {
		o.loud = &Failure{Side: side, Plane: plane, Error: why}
	}
}

// send makes one attempt: the request reaches B after the network delay;
// A waits Timeout for the answer.
func (r *run) send(o *order) {
	o.attempts++
	attempt := o.attempts
	o.live = attempt
	o.bTimes = append(o.bTimes, -1)
	r.s.After(r.network(), func() { r.receive(o, attempt) })
	o.timer = r.s.After(sim.FromDuration(r.cfg.Upstream.Timeout), func() { r.timeout(o, attempt) })
}

func (r *run) timeout(o *order, attempt int) {
	if o.live != attempt || o.done {
		return
	}
	o.live = 0
	if o.attempts <= r.cfg.Upstream.Retries {
		r.retry(o)
		return
	}
	o.fail(UpstreamSide, ManagementPlane, r.timeoutStory(o))
	r.finish(o)
}

func (r *run) timeoutStory(o *order) string {
	var took []string
	for _, t := range o.bTimes {
		if t < 0 {
			took = append(took, "not done")
			continue
		}
		took = append(took, fmt.Sprint(t.Duration().Round(100*time.Millisecond)))
	}
	return fmt.Sprintf("A gave up after %d attempts of %v each; B took %s for this order of %d items",
		o.attempts, r.cfg.Upstream.Timeout, strings.Join(took, ", "), o.rec.items)
}

// network is one message's trip between A and B.
func (r *run) network() sim.Time { return dist.Time(r.cfg.NetworkDelay, r.rNet) }

// retry waits A's backoff before the next attempt; retry number k follows
// attempt k.
func (r *run) retry(o *order) {
	o.backoff = r.cfg.Upstream.Backoff.Delay(o.attempts, o.backoff, r.rBack)
	r.s.After(o.backoff, func() { r.send(o) })
}

// answer reaches A: ok, or B's error (retryable when B was only full).
func (r *run) answer(o *order, attempt int, err *Failure, retryable bool) {
	r.s.After(r.network(), func() {
		if o.live != attempt || o.done {
			return
		}
		o.live = 0
		o.timer.Stop()
		switch {
		case err == nil:
		case retryable && o.attempts <= r.cfg.Upstream.Retries:
			r.retry(o)
			return
		default:
			o.fail(err.Side, err.Plane, err.Error)
		}
		r.finish(o)
	})
}

// finish is A done with an order (answered, or given up): under per-account
// serialisation the account's next order may go when A deems this one
// complete, which is now if A assumes a synchronous API.
func (r *run) finish(o *order) {
	if o.done {
		return
	}
	o.done = true
	if r.cfg.Upstream.AssumesSync || !r.cfg.Downstream.Async || o.loud != nil {
		r.release(o)
	}
}

// release lets the next order of o's account go, once.
func (r *run) release(o *order) {
	if r.cfg.Upstream.AssumesThreadSafe || o.released {
		return
	}
	o.released = true
	acct := o.rec.account
	r.aLast[acct] = o
	if q := r.aWaiting[acct]; len(q) > 0 {
		next := q[0]
		r.aWaiting[acct] = q[1:]
		next.after = o
		r.send(next)
		return
	}
	r.aBusy[acct] = false
}

// receive is an attempt reaching B.
func (r *run) receive(o *order, attempt int) {
	b := r.cfg.Downstream
	if o.rec.items > int64(b.MaxItems) {
		r.answer(o, attempt, &Failure{Side: DownstreamSide, Plane: ManagementPlane,
			Error: fmt.Sprintf("B refused an order of %d items: its limit is %d (A allows %d)", o.rec.items, b.MaxItems, r.cfg.Upstream.MaxItems)}, false)
		return
	}
	if len(r.queue)-r.head >= b.QueueLimit {
		r.answer(o, attempt, &Failure{Side: DownstreamSide, Plane: ManagementPlane,
			Error: fmt.Sprintf("B's queue was full (%d orders)", b.QueueLimit)}, true)
		return
	}
	if b.Async {
		r.answer(o, attempt, nil, false)
	}
	r.queue = append(r.queue, &job{o: o, attempt: attempt, arrived: r.s.Now()})
	r.dispatch()
}

// dispatch gives waiting jobs to free workers, in arrival order.
func (r *run) dispatch() {
	for r.free > 0 && r.head < len(r.queue) {
		j := r.queue[r.head]
		r.queue[r.head] = nil
		r.head++
		if r.head > 1024 && r.head*2 > len(r.queue) {
			r.queue = append(r.queue[:0], r.queue[r.head:]...)
			r.head = 0
		}
		r.start(j)
	}
}

// serviceTime is B's time for an order of items: (BaseLatency + PerItem x
// items) times a draw of LatencyNoise. It truncates to the nanosecond (a
// rounding would shift every time of the lesson's pinned runs), and a
// factor below zero or beyond any time saturates.
func (r *run) serviceTime(items int64) sim.Time {
	b := r.cfg.Downstream
	mean := float64(sim.FromDuration(b.BaseLatency + b.PerItem*time.Duration(items)))
	x := mean * b.LatencyNoise.Sample(r.rSvc)
	switch {
	case !(x > 0):
		return 0
	case x >= float64(sim.MaxTime):
		return sim.MaxTime
	}
	return sim.Time(x)
}

// start runs a job on a worker: read the order with the schema B uses
// now, work, and add the amount to the account's balance. A thread-safe B
// adds atomically at the end; one that is not reads the balance when the
// job starts and writes it back when it ends, so two jobs of one account
// that overlap lose an update.
func (r *run) start(j *job) {
	r.free--
	acct := r.accounts[j.o.rec.account]
	reader := r.cfg.Downstream.Schema
	if r.cfg.Downstream.Next.Version != 0 && r.s.Now() >= sim.FromDuration(r.cfg.Downstream.UpgradeAt) {
		reader = r.cfg.Downstream.Next
	}
	vals, types, has, err := read(j.o.w, reader, r.cfg.Downstream.StrictDecoding)
	took := r.serviceTime(j.o.rec.items)
	if err != nil {
		took = r.serviceTime(0) / 10
	}
	balance, prov := acct.balance, acct.prov
	readAt := r.s.Now()
	r.s.After(took, func() {
		o := j.o
		o.bTimes[j.attempt-1] = r.s.Now() - j.arrived
		var fail *Failure
		switch {
		case err != nil:
			fail = &Failure{Side: DownstreamSide, Plane: DataPlane, Error: err.Error()}
			o.fail(fail.Side, fail.Plane, fail.Error)
		case r.cfg.Downstream.Idempotent && o.stored > 0:
		default:
			if r.cfg.Downstream.ThreadSafe {
				balance, prov, readAt = acct.balance, acct.prov, r.s.Now()
			}
			if o.stored == 0 {
				o.read, o.readTypes, o.readHas, o.readerSchema = vals, types, has, reader
				r.applied++
				o.applied, o.readAt, o.wroteAt = r.applied, readAt, r.s.Now()
			}
			o.stored++
			acct.balance = balance + canonCents(vals[fAmount], types[fAmount])
			acct.prov = &provenance{id: o.rec.id, next: prov}
		}
		r.free++
		r.done(j, fail)
	})
}

// canonCents is an amount as B read it, in cents, for the balance.
func canonCents(v value, t ftype) int64 {
	switch {
	case v.null:
		return 0
	case t.k == kDecimal:
		return rescale(v.i, t.s, 2)
	case t.k == kDouble:
		return int64(math.Round(v.f * 100))
	}
	return v.i
}

// done ends a job: a synchronous B answers now; an asynchronous one has
// answered already and tells A the work is complete.
func (r *run) done(j *job, fail *Failure) {
	if !r.cfg.Downstream.Async {
		r.answer(j.o, j.attempt, fail, false)
	} else if !r.cfg.Upstream.AssumesSync && !r.cfg.Upstream.AssumesThreadSafe {
		// A waits for B's completion notice before the account's next order.
		o := j.o
		r.s.After(r.network(), func() { r.release(o) })
	}
	r.dispatch()
}

// read is B's connector: each field of B's schema from A's, converted by
// coerce. A field B requires that A does not write is a loud failure.
func read(w *wire, s Schema, strict bool) (vals [nFields]value, types [nFields]ftype, has [nFields]bool, err error) {
	for _, f := range s.Fields {
		k := fieldIndex(f.Name)
		t, _ := parseType(f.Type)
		types[k], has[k] = t, true
		if _, ok := w.schema.Field(f.Name); !ok {
			if !f.Nullable {
				return vals, types, has, fmt.Errorf("B cannot read %s: A's schema v%d does not have it, and B's v%d requires it", f.Name, w.schema.Version, s.Version)
			}
			vals[k] = value{null: true}
			continue
		}
		v, cerr := coerce(w.vals[k], w.types[k], t, s.Encoding, strict)
		if cerr != nil {
			return vals, types, has, fmt.Errorf("B cannot read %s (A writes %v, B reads %v): %v", f.Name, w.types[k], t, cerr)
		}
		if v.null && !f.Nullable {
			return vals, types, has, fmt.Errorf("B cannot read %s: it is null, and B's schema v%d requires it", f.Name, s.Version)
		}
		vals[k] = v
	}
	return vals, types, has, nil
}
