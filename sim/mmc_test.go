package sim

import (
	"context"
	"math/rand/v2"
	"testing"
)

// mmc is the bare M/M/c queue used to measure the engine: Poisson arrivals,
// c servers, exponential service, FIFO. It is the same model SimPy's
// reference benchmark runs, written as plain callbacks on the engine.
type mmc struct {
	s            *Sim
	arrivals     *rand.Rand
	service      *rand.Rand
	meanGap      float64 // seconds between arrivals
	meanService  float64 // seconds
	servers      int
	busy         int
	queue        ring
	toArrive     int
	served       int64
	waitSum      Time
	arrive       func()
	depart       func()
	nextArrivalT Time
}

// ring is a growable FIFO of arrival times.
type ring struct {
	buf        []Time
	head, size int
}

func (q *ring) push(t Time) {
	if q.size == len(q.buf) {
		n := make([]Time, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			n[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
		}
		q.buf, q.head = n, 0
	}
	q.buf[(q.head+q.size)&(len(q.buf)-1)] = t
	q.size++
}

func (q *ring) pop() Time {
	t := q.buf[q.head]
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.size--
	return t
}

func newMMC(seed uint64, servers int, rho, meanService float64, customers int) *mmc {
	m := &mmc{
		s:           New(Config{Seed: seed}),
		servers:     servers,
		meanService: meanService,
		meanGap:     meanService / (rho * float64(servers)),
		toArrive:    customers,
	}
	m.arrivals = m.s.Rand("arrivals")
	m.service = m.s.Rand("service")
	// Method values are created once here and reused for every event,
	// which keeps scheduling allocation-free.
	m.arrive = m.onArrive
	m.depart = m.onDepart
	m.s.After(Seconds(m.arrivals.ExpFloat64()*m.meanGap), m.arrive)
	return m
}

func (m *mmc) onArrive() {
	m.toArrive--
	if m.toArrive > 0 {
		m.s.After(Seconds(m.arrivals.ExpFloat64()*m.meanGap), m.arrive)
	}
	if m.busy < m.servers {
		m.busy++
		m.served++
		m.s.After(Seconds(m.service.ExpFloat64()*m.meanService), m.depart)
		return
	}
	m.queue.push(m.s.Now())
}

func (m *mmc) onDepart() {
	if m.queue.size == 0 {
		m.busy--
		return
	}
	m.waitSum += m.s.Now() - m.queue.pop()
	m.served++
	m.s.After(Seconds(m.service.ExpFloat64()*m.meanService), m.depart)
}

// BenchmarkMMC simulates a bare M/M/4 queue at utilisation 0.8, one customer
// per iteration (an arrival and a departure: two events).
func BenchmarkMMC(b *testing.B) {
	b.ReportAllocs()
	m := newMMC(1, 4, 0.8, 1, b.N)
	// Grow the queue and heap once so the timed loop measures steady state.
	m.queue.buf = make([]Time, 1<<12)
	b.ResetTimer()
	if err := m.s.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(m.s.Events())/float64(b.N), "events/op")
	b.ReportMetric(float64(m.s.Events())/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkBareHeap is the practical limit the engine is compared with: the
// same event pattern on a minimal heap of (time, callback) with no timers,
// no limits and no cancellation.
func BenchmarkBareHeap(b *testing.B) {
	b.ReportAllocs()
	type ev struct {
		at Time
		fn func()
	}
	var h []ev
	push := func(e ev) {
		h = append(h, e)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if h[p].at <= h[i].at {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
	}
	pop := func() ev {
		top := h[0]
		n := len(h) - 1
		h[0] = h[n]
		h = h[:n]
		i := 0
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if c+1 < n && h[c+1].at < h[c].at {
				c++
			}
			if h[i].at <= h[c].at {
				break
			}
			h[i], h[c] = h[c], h[i]
			i = c
		}
		return top
	}
	r := Stream(1, "bare")
	var now Time
	var events int64
	left := b.N
	var arrive, depart func()
	busy := 0
	queued := 0
	arrive = func() {
		left--
		if left > 0 {
			push(ev{now + Seconds(r.ExpFloat64()/3.2), arrive})
		}
		if busy < 4 {
			busy++
			push(ev{now + Seconds(r.ExpFloat64()), depart})
		} else {
			queued++
		}
	}
	depart = func() {
		if queued == 0 {
			busy--
			return
		}
		queued--
		push(ev{now + Seconds(r.ExpFloat64()), depart})
	}
	h = make([]ev, 0, 64)
	b.ResetTimer()
	push(ev{0, arrive})
	for len(h) > 0 {
		e := pop()
		now = e.at
		events++
		e.fn()
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
