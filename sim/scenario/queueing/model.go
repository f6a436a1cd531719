package queueing

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/viz"
)

// request is one customer. Requests are pooled and their callbacks are
// method values made once per pooled request, so a long run allocates only
// while the number of requests in the system grows.
type request struct {
	m       *model
	arrived sim.Time
	dep     int // index of the dependency being called
	attempt int // retries made on the current call
	// lastBackoff is the current call's previous wait (decorrelated
	// jitter draws the next from it).
	lastBackoff sim.Time
	served      func()
	called      func()
	retry       func()
}

// model is the state of one run.
type model struct {
	cfg      Config
	s        *sim.Sim
	arrivals *rand.Rand
	thin     *rand.Rand
	service  *rand.Rand
	deps     *rand.Rand
	failures *rand.Rand
	backoff  *rand.Rand

	peakPerSec float64 // the highest arrival rate of the pattern, for thinning
	bursts     []viz.Span
	burst      int // first burst that has not ended before the last candidate
	arrive     func()

	busy     int
	queue    fifo
	pool     []*request
	breakers []*resilience.Breaker

	res *Result
}

// fifo is a growable ring buffer of waiting requests.
type fifo struct {
	buf        []*request
	head, size int
}

func (q *fifo) push(r *request) {
	if q.size == len(q.buf) {
		n := make([]*request, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			n[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = n, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = r
	q.size++
}

func (q *fifo) pop() *request {
	r := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return r
}

// Run validates cfg and runs the experiment.
func Run(cfg Config) (*Result, error) { return RunContext(context.Background(), cfg) }

// RunContext is Run with a context that can interrupt a long run.
func RunContext(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m := newModel(cfg)
	if err := m.s.Run(ctx); err != nil {
		return nil, err
	}
	m.close()
	return m.res, nil
}

func newModel(cfg Config) *model {
	s := sim.New(sim.Config{Seed: cfg.Seed, Horizon: sim.FromDuration(cfg.Duration)})
	w := sim.FromDuration(cfg.Window)
	m := &model{
		cfg:      cfg,
		s:        s,
		arrivals: s.Rand("arrivals"),
		thin:     s.Rand("arrivals/thinning"),
		service:  s.Rand("service"),
		deps:     s.Rand("dependencies/latency"),
		failures: s.Rand("dependencies/failures"),
		backoff:  s.Rand("dependencies/backoff"),
		res: &Result{
			Config:     cfg,
			Offered:    metrics.NewRate("offered load", w),
			Throughput: metrics.NewRate("completed", w),
			Failures:   metrics.NewRate("failed", w),
			Rejections: metrics.NewRate("rejected", w),
			Queue:      metrics.NewGauge("queue length", "requests", w),
			Busy:       metrics.NewGauge("busy servers", "servers", w),
			InSystem:   metrics.NewGauge("in system", "requests", w),
			Wait:       metrics.NewLatency("wait", w),
			Response:   metrics.NewLatency("response time", w),
		},
	}
	m.peakPerSec = cfg.peakPerSec()
	if cfg.Pattern == Bursty {
		m.bursts = burstSchedule(s.Rand("arrivals/bursts"), sim.FromDuration(cfg.Duration), sim.FromDuration(cfg.BurstMean))
	}
	if cfg.CircuitBreaker {
		for i := 0; i < cfg.Dependencies; i++ {
			m.breakers = append(m.breakers, cfg.Breaker.New())
		}
	}
	m.arrive = m.onArrive
	m.scheduleArrival()
	return m
}

// burstSchedule draws the bursts of the Bursty pattern: calm spells with
// mean 4×mean and bursts with mean `mean`, both exponential.
func burstSchedule(r *rand.Rand, end, mean sim.Time) []viz.Span {
	var spans []viz.Span
	t := sim.Seconds(r.ExpFloat64() * 4 * mean.Seconds())
	for t < end && len(spans) < 10_000 {
		d := sim.Seconds(r.ExpFloat64() * mean.Seconds())
		spans = append(spans, viz.Span{From: t, To: min(t+d, end)})
		t += d + sim.Seconds(r.ExpFloat64()*4*mean.Seconds())
	}
	return spans
}

// rateAt is the arrival rate λ(t) of the pattern, per second.
func (m *model) rateAt(t sim.Time) float64 {
	c := &m.cfg
	base := c.ArrivalRate
	x := t.Seconds() / c.Duration.Seconds() // fraction of the run
	k := c.Multiplier - 1
	switch c.Pattern {
	case RampUp:
		return base * (1 + k*x)
	case RampUpDown:
		return base * (1 + k*(1-math.Abs(2*x-1)))
	case Spike:
		if c.Spike.Contains(t) {
			return base * c.Multiplier
		}
	case Diurnal:
		phase := 2 * math.Pi * t.Seconds() / c.DiurnalPeriod.Seconds()
		return base * (1 + k*(1-math.Cos(phase))/2)
	case Bursty:
		// Candidates come in time order, so a cursor finds the burst in O(1).
		for m.burst < len(m.bursts) && m.bursts[m.burst].To <= t {
			m.burst++
		}
		if m.burst < len(m.bursts) && t >= m.bursts[m.burst].From {
			return base * c.Multiplier
		}
	}
	return base
}

// scheduleArrival draws the next arrival of the non-homogeneous Poisson
// process by thinning (Lewis and Shedler, 1979): candidates come at the peak
// rate and each is kept with probability λ(t)/peak. For the constant
// pattern every candidate is kept and no extra number is drawn.
func (m *model) scheduleArrival() {
	t := m.s.Now()
	end := sim.FromDuration(m.cfg.Duration)
	for {
		t += sim.Seconds(m.arrivals.ExpFloat64() / m.peakPerSec)
		if t >= end {
			return
		}
		if m.cfg.Pattern == Constant || m.thin.Float64()*m.peakPerSec < m.rateAt(t) {
			break
		}
	}
	m.s.At(t, m.arrive)
}

func (m *model) newRequest() *request {
	if n := len(m.pool); n > 0 {
		r := m.pool[n-1]
		m.pool = m.pool[:n-1]
		return r
	}
	r := &request{m: m}
	r.served = r.onServed
	r.called = r.onCalled
	r.retry = r.call
	return r
}

func (m *model) onArrive() {
	now := m.s.Now()
	m.scheduleArrival()
	res := m.res
	res.Arrivals++
	res.Offered.Add(now, 1)
	if m.busy >= m.cfg.Servers && m.cfg.MaxQueue > 0 && m.queue.size >= m.cfg.MaxQueue {
		res.Rejected++
		res.Rejections.Add(now, 1)
		return
	}
	if m.busy+m.queue.size >= maxHeld {
		m.s.Fail(fmt.Errorf("queueing: %d requests in the system, the limit: the load outruns %d servers and MaxQueue=0 leaves the queue unbounded; set MaxQueue to shed load, add Servers or shorten Duration", maxHeld, m.cfg.Servers))
		return
	}
	r := m.newRequest()
	r.arrived = now
	res.InSystem.Add(now, 1)
	if m.busy < m.cfg.Servers {
		m.start(r)
		return
	}
	res.Waited++
	m.queue.push(r)
	res.Queue.Set(now, float64(m.queue.size))
}

// start gives r a server: its own work first, then its dependency calls.
func (m *model) start(r *request) {
	now := m.s.Now()
	m.busy++
	m.res.Busy.Set(now, float64(m.busy))
	m.res.Wait.Record(now, now-r.arrived)
	r.dep, r.attempt = 0, 0
	m.s.After(dist.Time(m.cfg.ServiceTime, m.service), r.served)
}

func (r *request) onServed() { r.next() }

// next calls the next dependency, or finishes when all were called.
func (r *request) next() {
	m := r.m
	if r.dep >= m.cfg.Dependencies {
		m.finish(r, false)
		return
	}
	r.attempt, r.lastBackoff = 0, 0
	r.call()
}

func (r *request) call() {
	m := r.m
	if m.breakers != nil && !m.breakers[r.dep].Allow(m.s.Now()) {
		m.res.ShortCircuited++
		m.finish(r, true)
		return
	}
	m.res.DependencyCalls++
	m.s.After(dist.Time(m.cfg.DependencyLatency, m.deps), r.called)
}

func (r *request) onCalled() {
	m := r.m
	failed := m.cfg.DependencyFailure > 0 && m.failures.Float64() < m.cfg.DependencyFailure
	if m.breakers != nil {
		m.breakers[r.dep].Record(m.s.Now(), failed)
	}
	if !failed {
		r.dep++
		r.next()
		return
	}
	m.res.DependencyFailures++
	if r.attempt >= m.cfg.MaxRetries {
		m.finish(r, true)
		return
	}
	r.attempt++
	backoff := m.cfg.Backoff.Delay(r.attempt, r.lastBackoff, m.backoff)
	r.lastBackoff = backoff
	m.res.Retries++
	m.s.After(backoff, r.retry)
}

// finish frees r's server and hands it to the next waiting request.
func (m *model) finish(r *request, failed bool) {
	now := m.s.Now()
	res := m.res
	res.Response.Record(now, now-r.arrived)
	if failed {
		res.Failed++
		res.Failures.Add(now, 1)
	} else {
		res.Completed++
		res.Throughput.Add(now, 1)
	}
	res.InSystem.Add(now, -1)
	m.pool = append(m.pool, r)
	m.busy--
	if m.queue.size > 0 {
		next := m.queue.pop()
		res.Queue.Set(now, float64(m.queue.size))
		m.start(next)
		return
	}
	res.Busy.Set(now, float64(m.busy))
}

// close ends the recorders at the horizon and fills in the result.
func (m *model) close() {
	end := sim.FromDuration(m.cfg.Duration)
	res := m.res
	for _, r := range []*metrics.Rate{res.Offered, res.Throughput, res.Failures, res.Rejections} {
		r.Close(end)
	}
	for _, g := range []*metrics.Gauge{res.Queue, res.Busy, res.InSystem} {
		g.Close(end)
	}
	res.Wait.Close(end)
	res.Response.Close(end)
	res.InProgress = res.Arrivals - res.Rejected - res.Completed - res.Failed
	res.Events = m.s.Events()
	for _, b := range m.breakers {
		res.BreakerOpened += b.Opened()
	}
	switch m.cfg.Pattern {
	case Spike:
		from := sim.FromDuration(m.cfg.Spike.Start)
		res.Spans = []viz.Span{{From: from, To: min(end, sim.FromDuration(m.cfg.Spike.End())), Label: "spike"}}
	case Bursty:
		res.Spans = m.bursts
		if len(res.Spans) > 0 {
			res.Spans[0].Label = "bursts"
		}
	}
}
