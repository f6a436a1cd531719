package service

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// Discipline is the order in which waiting calls get a slot.
type Discipline string

// The queue disciplines.
const (
	FIFO Discipline = "fifo" // oldest first: under overload every call waits longest
	LIFO Discipline = "lifo" // newest first: under overload the fresh calls still make it
)

// MaxSlots bounds a server's slots and a pool's connections.
const MaxSlots = 1_000_000

// Server serves calls on Slots slots, one call each. A call that finds
// every slot busy waits in the server's queue, FIFO or LIFO, bounded by
// MaxQueue. A call holds its slot for its service time and then for each
// of Calls, one after another (a thread per request); a failed
// dependency fails the call.
//
// The rules:
//   - The service time is fixed when the call starts: a draw from Service
//     plus Slope × the calls in service, itself included (contention: each
//     slows the others), times the slowdown of any fault running then.
//   - A call that finds the queue full is rejected at once (load shedding).
//     With DeadlineAdmission a call is also rejected when the server's
//     estimate of its finish, its place in the queue times the current
//     service time per slot, lies past its deadline; and one that reaches
//     a slot too late to finish in time is rejected there. With MaxWait,
//     a call that waited longer than that when it reaches a slot is
//     rejected (a queue timeout, as in adaptive LIFO with CoDel).
//   - A call whose caller gave up stays in the queue and is served for
//     nobody, unless Cancellation drops it when it reaches the head. Work
//     in service is never cancelled. Work finished for nobody, or at or
//     after its deadline, is wasted.
//   - Faults (see Fault) slow it down, take slots away (calls in service
//     finish) or crash it: a crash fails every call it holds at once and
//     refuses calls until the restart, which comes back empty.
//
// Random stream: NAME/service.
type Server struct {
	Name    string
	Slots   int       // calls served at once, 1 to MaxSlots
	Service dist.Dist // a call's own work, with no contention
	// Slope is the service time added per call in service (contention).
	Slope time.Duration
	// Discipline is the queue order; "" is FIFO.
	Discipline Discipline
	// MaxQueue bounds the waiting calls; zero leaves the queue bounded
	// only by Config.MaxCalls.
	MaxQueue int
	// MaxWait, when positive, rejects a call that waited longer than this
	// for a slot.
	MaxWait time.Duration
	// Cancellation drops a waiting call whose caller gave up on it when it
	// reaches the head of the queue.
	Cancellation bool
	// DeadlineAdmission rejects a call that cannot finish before its
	// deadline by the server's estimate, on arrival and at the head.
	DeadlineAdmission bool
	// Calls are the components each call calls, in order, after its own
	// work and while holding its slot.
	Calls []string

	ServerStats
	part
	faulty
	service  *rand.Rand
	deps     []node
	lifo     bool
	meanWork float64
	slope    float64
	maxWait  sim.Time
	active   int
	shown    int // the level Busy was last set to
	queue    ring[*call]
	working  []*call // in service, for a crash
}

// ServerStats is what a Server measured.
type ServerStats struct {
	Arrivals   *metrics.Rate // calls that came
	Throughput *metrics.Rate // calls finished with success (wasted ones included)
	Failures   *metrics.Rate // calls finished with a failure (a dependency failed)
	Rejections *metrics.Rate // calls turned away: queue full, deadline, queue timeout, down
	Wasted     *metrics.Rate // calls finished for nobody, or at or after their deadline
	Queue      *metrics.Gauge
	Busy       *metrics.Gauge // calls in service
	InSystem   *metrics.Gauge // queued and in service
	// Wait is from arrival to a slot; Response from arrival to the answer,
	// for every call served.
	Wait, Response *metrics.Latency
	Waited         int64 // arrivals that had to queue
	Dropped        int64 // abandoned calls discarded unserved
	Reset          int64 // calls a crash failed
}

func (*Server) Kind() string        { return "Server" }
func (s *Server) ID() string        { return s.Name }
func (s *Server) targets() []string { return s.Calls }

func (s *Server) validate() error {
	switch {
	case s.Slots < 1 || s.Slots > MaxSlots:
		return bad(s, "Slots", s.Slots, fmt.Sprintf("must be between 1 and %d", MaxSlots))
	case s.Slope < 0 || s.Slope > time.Minute:
		return bad(s, "Slope", s.Slope, "must be between 0 and 1m")
	case s.Discipline != "" && s.Discipline != FIFO && s.Discipline != LIFO:
		return bad(s, "Discipline", s.Discipline, fmt.Sprintf("want %s or %s", FIFO, LIFO))
	case s.MaxQueue < 0 || s.MaxQueue > 100_000_000:
		return bad(s, "MaxQueue", s.MaxQueue, "must be between 0 (unbounded) and 100000000")
	case s.MaxWait < 0 || s.MaxWait > time.Hour:
		return bad(s, "MaxWait", s.MaxWait, "must be between 0 (none) and 1h")
	case len(s.Calls) > 100:
		return bad(s, "Calls", fmt.Sprintf("[%d names]", len(s.Calls)), "at most 100 calls per request")
	}
	for i, t := range s.Calls {
		if err := checkTarget(s, fmt.Sprintf("Calls[%d]", i), t); err != nil {
			return err
		}
	}
	return checkDuration(s, "Service", s.Service, true)
}

func (s *Server) start() {
	sys := s.sys
	w := sys.window
	rate := func(what string) *metrics.Rate { return metrics.NewRate(s.Name+" "+what, w) }
	s.Arrivals, s.Throughput, s.Failures = rate("arrivals"), rate("throughput"), rate("failures")
	s.Rejections, s.Wasted = rate("rejections"), rate("wasted")
	s.Queue = metrics.NewGauge(s.Name+" queue", "calls", w)
	s.Busy = metrics.NewGauge(s.Name+" in service", "calls", w)
	s.InSystem = metrics.NewGauge(s.Name+" in system", "calls", w)
	s.Wait = metrics.NewLatency(s.Name+" wait", w)
	s.Response = metrics.NewLatency(s.Name+" response", w)
	s.service = sys.rand(s.Name + "/service")
	for _, t := range s.Calls {
		s.deps = append(s.deps, sys.node(t))
	}
	s.lifo = s.Discipline == LIFO
	s.meanWork = s.Service.Mean()
	s.slope = s.Slope.Seconds()
	s.maxWait = sim.FromDuration(s.MaxWait)
	s.faulty.init(s.Slots)
}

// serviceTime is the time a call of work seconds (a draw from Service,
// or its mean for an estimate) starting now takes, with s.active calls in
// service (itself included).
func (s *Server) serviceTime(work float64) float64 {
	d := work + s.slope*float64(s.active)
	if s.slow != 1 {
		d *= s.slow
	}
	return d
}

func (s *Server) up() bool { return !s.down }

// accept is a call arriving: it starts, waits, or is turned away.
func (s *Server) accept(c *call) {
	now := s.sys.sim.Now()
	s.Arrivals.Add(now, 1)
	switch {
	case s.down:
		s.reject(c, now)
	case s.active < s.capacity && s.queue.size == 0:
		s.InSystem.Add(now, 1)
		s.begin(c, now)
	case s.MaxQueue > 0 && s.queue.size >= s.MaxQueue:
		s.reject(c, now)
	case s.DeadlineAdmission && s.late(c, now, float64(s.queue.size)/float64(max(s.capacity, 1))+1):
		s.reject(c, now)
	default:
		s.Waited++
		s.queue.push(c)
		s.Queue.Set(now, float64(s.queue.size))
		s.InSystem.Add(now, 1)
	}
}

// late reports whether a call that waits for ahead service times and is
// then served would finish after its deadline, by the server's estimate.
func (s *Server) late(c *call, now sim.Time, ahead float64) bool {
	return now+sim.Seconds(s.serviceTime(s.meanWork)*ahead) > c.deadline
}

func (s *Server) reject(c *call, now sim.Time) {
	s.Rejections.Add(now, 1)
	c.answer(rejected)
}

// begin gives c a slot; its service time is fixed now.
func (s *Server) begin(c *call, now sim.Time) {
	s.active++
	s.shown = s.active
	s.Busy.Set(now, float64(s.active))
	s.Wait.Record(now, now-c.start)
	c.began, c.n, c.a1 = now, 0, nil
	c.slot = int32(len(s.working))
	s.working = append(s.working, c)
	x := s.Service.Sample(s.service)
	if !(x >= 0) {
		panic(fmt.Sprintf("service: Server %q: Service %v drew %v, which is not a duration", s.Name, s.Service, x))
	}
	c.after(s, sim.Seconds(s.serviceTime(x)))
}

// fired is the end of a call's own work: its dependencies come next.
func (s *Server) fired(c *call) { s.next(c) }

// next calls c's next dependency, or finishes c when none is left.
func (s *Server) next(c *call) {
	if int(c.n) >= len(s.deps) {
		s.finish(c, ok)
		return
	}
	d := s.sys.newCall(c, s)
	c.a1 = d
	s.deps[c.n].accept(d)
}

// answered takes a dependency's answer.
func (s *Server) answered(d *call) {
	c, st, gone := d.parent, d.status, d.gaveUp
	s.sys.release(d)
	if gone {
		return // its call was failed by a crash
	}
	c.a1 = nil
	if st != ok {
		s.finish(c, failed)
		return
	}
	c.n++
	s.next(c)
}

// finish answers c, frees its slot and fills the free slots from the queue.
func (s *Server) finish(c *call, st status) {
	now := s.sys.sim.Now()
	s.leave(c)
	s.InSystem.Add(now, -1)
	s.Response.Record(now, now-c.start)
	if st == ok {
		s.Throughput.Add(now, 1)
	} else {
		s.Failures.Add(now, 1)
	}
	if c.deadline <= now || c.abandoned() {
		s.Wasted.Add(now, 1)
	}
	c.answer(st)
	s.startWaiting()
	if s.active != s.shown {
		// Set once the slot is taken again or left free, not in between.
		s.shown = s.active
		s.Busy.Set(now, float64(s.active))
	}
}

// leave takes c out of service.
func (s *Server) leave(c *call) {
	s.active--
	last := len(s.working) - 1
	moved := s.working[last]
	s.working[c.slot] = moved
	moved.slot = c.slot
	s.working[last] = nil
	s.working = s.working[:last]
}

// startWaiting fills free slots from the queue, dropping abandoned calls
// (with Cancellation) and refusing those that can no longer finish in
// time (DeadlineAdmission) or waited too long (MaxWait) as they come to
// the head.
func (s *Server) startWaiting() {
	now := s.sys.sim.Now()
	changed := false
	for s.queue.size > 0 && s.active < s.capacity {
		c := s.queue.take(s.lifo)
		changed = true
		switch {
		case s.Cancellation && c.abandoned():
			s.drop(c, now)
		case s.DeadlineAdmission && s.late(c, now, 1), s.maxWait > 0 && now-c.start > s.maxWait:
			if c.abandoned() {
				s.drop(c, now)
			} else {
				s.InSystem.Add(now, -1)
				s.reject(c, now)
			}
		default:
			s.begin(c, now)
		}
	}
	if changed {
		s.Queue.Set(now, float64(s.queue.size))
	}
}

func (s *Server) drop(c *call, now sim.Time) {
	s.Dropped++
	s.InSystem.Add(now, -1)
	c.answer(dropped)
}

// Held is the calls queued and in service.
func (s *Server) Held() int { return s.active + s.queue.size }

// crash fails every call the server holds and refuses calls until restart.
func (s *Server) crash() {
	now := s.sys.sim.Now()
	for len(s.working) > 0 {
		c := s.working[len(s.working)-1]
		c.timer.Stop()
		if c.a1 != nil {
			c.a1.abandon() // its dependency's answer will find nobody
		}
		s.leave(c)
		s.reset(c, now)
	}
	for s.queue.size > 0 {
		s.reset(s.queue.pop(), now)
	}
	s.shown = 0
	s.Busy.Set(now, 0)
	s.Queue.Set(now, 0)
}

func (s *Server) reset(c *call, now sim.Time) {
	s.Reset++
	s.InSystem.Add(now, -1)
	s.Failures.Add(now, 1)
	c.answer(failed)
}

// restart and capacity changes let waiting calls start.
func (s *Server) changed() { s.startWaiting() }

func (s *Server) close(end sim.Time) {
	for _, r := range []*metrics.Rate{s.Arrivals, s.Throughput, s.Failures, s.Rejections, s.Wasted} {
		r.Close(end)
	}
	for _, g := range []*metrics.Gauge{s.Queue, s.Busy, s.InSystem} {
		g.Close(end)
	}
	s.Wait.Close(end)
	s.Response.Close(end)
}

// Utilisation is the time-averaged share of the slots busy.
func (s *Server) Utilisation() float64 { return s.Busy.Mean() / float64(s.Slots) }

func (s *Server) row(t *metrics.Table) {
	note := fmt.Sprintf("%.0f%% busy, %d wasted", 100*s.Utilisation(), s.Wasted.Total())
	if s.Dropped > 0 {
		note += fmt.Sprintf(", %d dropped", s.Dropped)
	}
	t.Add(s.Name, "Server", s.Arrivals.Total(), s.Throughput.Total(), s.Failures.Total(), s.Rejections.Total(),
		s.Response.Mean(), s.Response.Quantile(0.99), s.Queue.Max(), note)
}

// faulty is the state faults change on a component that serves: its
// capacity, a slowdown factor and whether it is down.
type faulty struct {
	slots    int
	capacity int
	slow     float64
	down     bool
	crashes  int       // crash faults running now
	drops    []float64 // shares of capacity lost by the faults running now
	slows    []float64
}

func (f *faulty) init(slots int) { f.slots, f.capacity, f.slow = slots, slots, 1 }

func (f *faulty) faults() *faulty { return f }

// recompute sets capacity and slowdown from the faults running now.
func (f *faulty) recompute() {
	f.slow = 1
	for _, x := range f.slows {
		f.slow *= x
	}
	keep := 1.0
	for _, x := range f.drops {
		keep *= 1 - x
	}
	f.capacity = int(math.Round(float64(f.slots) * keep))
}
