package metastable

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/viz"
)

// request is what a client wants: one answer, by any of its attempts.
// Requests and attempts are pooled and their callbacks are method values
// made once per pooled object, so a long run allocates only while the
// number of requests and attempts alive grows.
type request struct {
	m         *model
	client    int // index of the closed-loop client, or -1
	arrived   sim.Time
	tries     int      // attempts made
	cur       *attempt // the attempt the client waits for, if any
	prevDelay sim.Time // the last backoff, for decorrelated jitter
	retry     func()
}

// attempt is one try of a request as the server sees it. The server keeps
// it until it is served, rejected or dropped, whether or not its client
// still waits: req is nil once the client gave up on it.
type attempt struct {
	m        *model
	req      *request
	id       uint64   // which send this is, so stale timeouts are skipped
	deadline sim.Time // when its client stops waiting for it
	served   func()
}

// model is the state of one run.
type model struct {
	cfg Config
	s   *sim.Sim

	arrivals, thin, service, backoff, think *rand.Rand

	peak     float64 // highest arrival rate, for thinning
	step     int     // schedule cursor: first step not after the last candidate
	arrive   func()
	trigFrom sim.Time
	trigTo   sim.Time
	trig     bool
	meanWork float64  // Service's mean, seconds: the server's own estimate of a request's work
	width    sim.Time // of the metric windows

	active   int // attempts in service
	queue    ring[*attempt]
	requests []*request
	attempts []*attempt
	clients  []func() // closed-loop clients' "send the next request"
	sent     uint64   // attempts sent so far, to number them

	timeouts     ring[timeout]
	timeoutTimer sim.Timer
	expireFn     func()
	budget       *resilience.Budget
	breaker      *resilience.Breaker

	offeredBy, succeededBy []int64 // per arrival window, for the verdict

	res *Result
}

// Run validates cfg and runs the experiment.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run with a context that can interrupt a long run.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := newModel(cfg.withDefaults())
	if err := m.s.Run(ctx); err != nil {
		return nil, err
	}
	m.close()
	return m.res, nil
}

func newModel(cfg Config) *model {
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: sim.FromDuration(cfg.Duration)})
	w := sim.FromDuration(cfg.Window)
	rate := func(name string) *metrics.Rate { return metrics.NewRate(name, w) }
	m := &model{
		cfg:      cfg,
		s:        s,
		arrivals: s.Rand("arrivals"),
		thin:     s.Rand("arrivals/thinning"),
		service:  s.Rand("service"),
		backoff:  s.Rand("clients/backoff"),
		think:    s.Rand("clients/think"),
		peak:     cfg.peakRate(),
		res: &Result{
			Config: cfg,
			Rates: Rates{
				Offered:    rate("offered load"),
				Attempts:   rate("attempts"),
				Retries:    rate("retries"),
				Goodput:    rate("goodput"),
				Throughput: rate("server throughput"),
				Wasted:     rate("wasted work"),
				Timeouts:   rate("timeouts"),
				Rejections: rate("rejections"),
				Failures:   rate("failed requests"),
			},
			Queue:    metrics.NewGauge("queue length", "requests", w),
			InFlight: metrics.NewGauge("in service", "requests", w),
			Latency:  metrics.NewLatency("client latency", w),
		},
	}
	m.width = w
	n := int((cfg.Duration + cfg.Window - 1) / cfg.Window)
	m.offeredBy, m.succeededBy = make([]int64, n), make([]int64, n)
	m.meanWork = cfg.Service.Mean()
	if from, to, ok := cfg.trigger(); ok {
		m.trig, m.trigFrom, m.trigTo = true, sim.FromDuration(from), sim.FromDuration(to)
		if cfg.CapacityDrop > 0 {
			// Slots come back when the trigger ends: start what waits.
			s.At(m.trigTo, m.startWaiting)
		}
	}
	m.expireFn = m.expire
	if cfg.RetryBudget > 0 {
		m.budget = resilience.NewBudget(cfg.RetryBudget, cfg.BudgetBurst)
	}
	if cfg.CircuitBreaker {
		m.breaker = cfg.Breaker.New()
	}
	if cfg.Clients > 0 {
		m.startClients()
	} else {
		m.arrive = m.onArrive
		m.scheduleArrival()
	}
	return m
}

// rateAt is the arrival rate λ(t) of the pattern, per second.
func (m *model) rateAt(t sim.Time) float64 {
	c := &m.cfg
	switch c.Pattern {
	case Spike:
		if m.inTrigger(t) {
			return c.SpikeRate
		}
	case Ramp:
		if m.inTrigger(t) {
			x := float64(t-m.trigFrom) / float64(m.trigTo-m.trigFrom)
			return c.BaseRate + (c.SpikeRate-c.BaseRate)*x
		}
	case Stepped:
		// Candidates come in time order, so a cursor finds the step in O(1).
		for m.step < len(c.Schedule) && sim.FromDuration(c.Schedule[m.step].At) <= t {
			m.step++
		}
		if m.step > 0 {
			return c.Schedule[m.step-1].Rate
		}
	}
	return c.BaseRate
}

func (m *model) inTrigger(t sim.Time) bool { return m.trig && t >= m.trigFrom && t < m.trigTo }

// scheduleArrival draws the next arrival of the non-homogeneous Poisson
// process by thinning (Lewis and Shedler, 1979): candidates come at the peak
// rate and each is kept with probability λ(t)/peak.
func (m *model) scheduleArrival() {
	t := m.s.Now()
	end := m.s.Horizon()
	for {
		t += sim.Seconds(m.arrivals.ExpFloat64() / m.peak)
		if t >= end {
			return
		}
		if m.cfg.Pattern == Constant || m.thin.Float64()*m.peak < m.rateAt(t) {
			break
		}
	}
	m.s.At(t, m.arrive)
}

func (m *model) onArrive() {
	m.scheduleArrival()
	m.newRequest(-1)
}

// startClients starts each closed-loop client after an exponential pause,
// so that they do not all send at time zero.
func (m *model) startClients() {
	m.clients = make([]func(), m.cfg.Clients)
	for i := range m.clients {
		i := i
		m.clients[i] = func() { m.newRequest(i) }
		m.s.After(m.thinkTime(), m.clients[i])
	}
}

func (m *model) thinkTime() sim.Time {
	return sim.Seconds(m.think.ExpFloat64() * m.cfg.ThinkTime.Seconds())
}

// newRequest is a client's new request: it is offered load, and its first
// attempt goes out now.
func (m *model) newRequest(client int) {
	now := m.s.Now()
	r, ok := reuse(&m.requests)
	if !ok {
		r = &request{m: m}
		r.retry = r.send
	}
	r.client, r.arrived, r.tries, r.prevDelay = client, now, 0, 0
	m.res.Requests++
	m.res.Rates.Offered.Add(now, 1)
	m.offeredBy[m.window(now)]++
	if m.budget != nil {
		m.budget.Deposit()
	}
	r.send()
}

func (m *model) window(t sim.Time) int {
	return min(int(t/m.width), len(m.offeredBy)-1)
}

// send makes the request's next attempt, unless an open breaker fails it
// at once.
func (r *request) send() {
	m := r.m
	now := m.s.Now()
	res := m.res
	if m.breaker != nil && !m.breaker.Allow(now) {
		res.ShortCircuited++
		m.fail(r)
		return
	}
	r.tries++
	res.Attempts++
	res.Rates.Attempts.Add(now, 1)
	if r.tries > 1 {
		res.Retries++
		res.Rates.Retries.Add(now, 1)
	} else {
		res.FirstAttempts++
	}
	a, ok := reuse(&m.attempts)
	if !ok {
		a = &attempt{m: m}
		a.served = a.onServed
	}
	a.req = r
	a.deadline = now + sim.FromDuration(m.cfg.Timeout)
	r.cur = a
	m.sent++
	a.id = m.sent
	m.timeouts.push(timeout{a: a, id: a.id})
	if !m.timeoutTimer.Pending() {
		m.timeoutTimer = m.s.At(a.deadline, m.expireFn)
	}
	m.admit(a)
}

// timeout is a pending client timeout. Every attempt has the same timeout,
// so deadlines come in the order attempts are sent: one FIFO and one
// engine timer for its head replace a timer per attempt, which keeps the
// event heap small (thousands of requests in flight, each with a timeout
// that is almost always cancelled). An entry whose attempt was answered or
// rejected since is stale and skipped.
type timeout struct {
	a  *attempt
	id uint64
}

func (t timeout) live() bool { return t.a.id == t.id && t.a.req != nil }

// expire fires the timeouts that are due: the client stops waiting for its
// attempt, which stays with the server (the seed's model, and real life
// without cancellation). Then it sets the timer for the next live one.
func (m *model) expire() {
	now := m.s.Now()
	for m.timeouts.size > 0 {
		t := m.timeouts.front()
		if !t.live() {
			m.timeouts.pop()
			continue
		}
		if t.a.deadline > now {
			// The timer must be at the front's deadline. A retry sent from
			// this loop (no backoff) armed it at its own, later, deadline.
			if m.timeoutTimer.When() != sim.Time(t.a.deadline) {
				m.timeoutTimer.Stop()
				m.timeoutTimer = m.s.At(t.a.deadline, m.expireFn)
			}
			return
		}
		m.timeouts.pop()
		r := t.a.req
		m.res.Timeouts++
		m.res.Rates.Timeouts.Add(now, 1)
		t.a.req = nil
		r.cur = nil
		r.failedAttempt()
	}
}

// failedAttempt retries after the backoff, or gives up when the retries or
// the budget are spent.
func (r *request) failedAttempt() {
	m := r.m
	if m.breaker != nil {
		m.breaker.Record(m.s.Now(), true)
	}
	if r.tries > m.cfg.MaxRetries {
		m.fail(r)
		return
	}
	if m.budget != nil && !m.budget.Withdraw() {
		m.res.BudgetDenied++
		m.fail(r)
		return
	}
	d := m.cfg.Backoff.Delay(r.tries, r.prevDelay, m.backoff)
	r.prevDelay = d
	if d == 0 {
		r.send()
		return
	}
	m.s.After(d, r.retry)
}

func (m *model) fail(r *request) {
	now := m.s.Now()
	m.res.Failed++
	m.res.Rates.Failures.Add(now, 1)
	m.finish(r)
}

func (m *model) succeed(r *request) {
	now := m.s.Now()
	if m.breaker != nil {
		m.breaker.Record(now, false)
	}
	r.cur = nil
	m.res.Succeeded++
	m.res.Rates.Goodput.Add(now, 1)
	m.res.Latency.Record(now, now-r.arrived)
	m.succeededBy[m.window(r.arrived)]++
	m.finish(r)
}

// finish ends a request; a closed-loop client thinks, then sends its next.
func (m *model) finish(r *request) {
	if r.client >= 0 {
		m.s.After(m.thinkTime(), m.clients[r.client])
	}
	m.requests = append(m.requests, r)
}

// capacity is the number of slots at time t.
func (m *model) capacity(t sim.Time) int {
	if m.cfg.CapacityDrop > 0 && m.inTrigger(t) {
		return int(math.Round(float64(m.cfg.Capacity) * (1 - m.cfg.CapacityDrop)))
	}
	return m.cfg.Capacity
}

// serviceTime is the time a request of work seconds (a draw from Service,
// or its mean for an estimate) starting now takes, with m.active requests
// in service (itself included).
func (m *model) serviceTime(now sim.Time, work float64) float64 {
	c := &m.cfg
	d := work + c.Slope.Seconds()*float64(m.active)
	if c.Slowdown > 1 && m.inTrigger(now) {
		d *= c.Slowdown
	}
	return d
}

// admit is an attempt arriving at the server: it starts, waits, or is
// turned away by the queue bound or deadline-aware admission.
func (m *model) admit(a *attempt) {
	now := m.s.Now()
	c := &m.cfg
	if m.active < m.capacity(now) && m.queue.size == 0 {
		m.start(a)
		return
	}
	if c.MaxQueue > 0 && m.queue.size >= c.MaxQueue {
		m.reject(a)
		return
	}
	if c.DeadlineAdmission {
		// Ahead of it: the queue, served capacity at a time, each taking
		// about the current service time; then its own service.
		slots := float64(max(m.capacity(now), 1))
		per := m.serviceTime(now, m.meanWork)
		if now+sim.Seconds(per*(float64(m.queue.size)/slots+1)) > a.deadline {
			m.reject(a)
			return
		}
	}
	if m.queue.size+m.active >= maxInSystem {
		m.s.Errorf("metastable: more than %d attempts held by the server: set MaxQueue to bound the queue", maxInSystem)
		return
	}
	m.queue.push(a)
	m.res.Queue.Set(now, float64(m.queue.size))
}

// reject turns an attempt away; its client learns at once.
func (m *model) reject(a *attempt) {
	now := m.s.Now()
	m.res.Rejected++
	m.res.Rates.Rejections.Add(now, 1)
	r := a.req
	m.release(a)
	if r != nil {
		r.cur = nil
		r.failedAttempt()
	}
}

func (m *model) release(a *attempt) {
	a.req = nil
	m.attempts = append(m.attempts, a)
}

// start gives a a slot; its service time is fixed now.
func (m *model) start(a *attempt) {
	now := m.s.Now()
	m.active++
	m.res.InFlight.Set(now, float64(m.active))
	d := m.serviceTime(now, m.cfg.Service.Sample(m.service))
	m.s.After(sim.Seconds(d), a.served)
}

// onServed: the work is done. It is goodput if its client still waits,
// wasted work if not. Then the slot goes to the next waiting attempt.
func (a *attempt) onServed() {
	m := a.m
	now := m.s.Now()
	res := m.res
	m.active--
	res.InFlight.Set(now, float64(m.active))
	res.Served++
	res.Rates.Throughput.Add(now, 1)
	if a.req != nil && a.deadline <= now {
		// Finished just as the client's timeout fell due: the timeout
		// wins ties, whatever order the engine runs the two events in.
		m.timeoutTimer.Stop()
		m.expire()
	}
	r := a.req
	m.release(a)
	if r != nil {
		m.succeed(r)
	} else {
		res.Wasted++
		res.Rates.Wasted.Add(now, 1)
	}
	m.startWaiting()
}

// startWaiting fills free slots from the queue, dropping abandoned
// attempts (with Cancellation) and those that can no longer finish in time
// (with DeadlineAdmission) as they come to the head.
func (m *model) startWaiting() {
	now := m.s.Now()
	c := &m.cfg
	changed := false
	for m.queue.size > 0 && m.active < m.capacity(now) {
		a := m.queue.take(c.Discipline == LIFO)
		changed = true
		switch {
		case a.req == nil && c.Cancellation:
			m.res.Dropped++
			m.release(a)
		case c.DeadlineAdmission && now+sim.Seconds(m.serviceTime(now, m.meanWork)) > a.deadline:
			if a.req == nil {
				m.res.Dropped++
				m.release(a)
			} else {
				m.reject(a)
			}
		default:
			m.start(a)
		}
	}
	if changed {
		m.res.Queue.Set(now, float64(m.queue.size))
	}
}

// close ends the recorders at the horizon and fills in the result.
func (m *model) close() {
	end := m.s.Horizon()
	res := m.res
	rs := &res.Rates
	for _, r := range []*metrics.Rate{rs.Offered, rs.Attempts, rs.Retries, rs.Goodput, rs.Throughput, rs.Wasted, rs.Timeouts, rs.Rejections, rs.Failures} {
		r.Close(end)
	}
	res.Queue.Close(end)
	res.InFlight.Close(end)
	res.Latency.Close(end)
	res.Unfinished = res.Requests - res.Succeeded - res.Failed
	res.HeldAtEnd = int64(m.active + m.queue.size)
	res.Events = m.s.Events()
	if m.breaker != nil {
		res.BreakerOpened = m.breaker.Opened()
	}
	res.offeredBy, res.succeededBy = m.offeredBy, m.succeededBy
	if m.trig {
		res.Spans = []viz.Span{{From: m.trigFrom, To: m.trigTo, Label: m.cfg.triggerLabel()}}
	}
}

// triggerLabel names the trigger for figure legends.
func (c Config) triggerLabel() string {
	var parts []string
	switch c.Pattern {
	case Spike:
		parts = append(parts, fmt.Sprintf("spike to %g/s", c.SpikeRate))
	case Ramp:
		parts = append(parts, fmt.Sprintf("ramp to %g/s", c.SpikeRate))
	case Stepped:
		parts = append(parts, "load step")
	}
	if c.CapacityDrop > 0 {
		parts = append(parts, fmt.Sprintf("%.0f%% of slots lost", 100*c.CapacityDrop))
	}
	if c.Slowdown > 1 {
		parts = append(parts, fmt.Sprintf("%g× slower", c.Slowdown))
	}
	return strings.Join(parts, ", ")
}

// reuse takes an object from a pool, if it holds one.
func reuse[T any](pool *[]T) (T, bool) {
	var zero T
	n := len(*pool)
	if n == 0 {
		return zero, false
	}
	v := (*pool)[n-1]
	*pool = (*pool)[:n-1]
	return v, true
}

// ring is a growable ring buffer: pushed at the back, popped at the front
// (FIFO) or the back (LIFO).
type ring[T any] struct {
	buf        []T
	head, size int
}

func (q *ring[T]) push(v T) {
	if q.size == len(q.buf) {
		n := make([]T, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			n[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = n, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = v
	q.size++
}

func (q *ring[T]) front() T { return q.buf[q.head] }

func (q *ring[T]) pop() T { return q.take(false) }

// take removes the front (FIFO) or the back (LIFO) element.
func (q *ring[T]) take(back bool) T {
	var zero T
	i := q.head
	if back {
		i = (q.head + q.size - 1) % len(q.buf)
	} else {
		q.head = (q.head + 1) % len(q.buf)
	}
	v := q.buf[i]
	q.buf[i] = zero
	q.size--
	return v
}
