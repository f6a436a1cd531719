package service

import (
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
)

// Pool is a bounded resource in front of Target: database connections, a
// thread pool, a semaphore. A call takes one of Size connections, waiting
// in the pool's own FIFO queue when all are in use, and holds it while
// Target serves it; then the connection goes to the next waiting call. The
// queue is bounded by MaxQueue (a full queue rejects at once), and a call
// that has waited MaxWait for a connection is rejected then (an acquire
// timeout, as HikariCP's connectionTimeout). A CapacityDrop fault takes
// connections away (those in use are returned first); a Crash fails every
// call waiting and refuses calls until its end (calls holding a connection
// finish).
type Pool struct {
	Name     string
	Target   string
	Size     int           // connections, 1 to MaxSlots
	MaxQueue int           // bound on waiting calls; zero leaves it to Config.MaxCalls
	MaxWait  time.Duration // acquire timeout; zero waits as long as it takes

	PoolStats
	part
	faulty
	target  node
	maxWait sim.Time
	inUse   int
	waiting ring[expiry] // FIFO; an entry that timed out since is stale
	queued  int          // live entries of waiting
	timer   sim.Timer
	expire  func()
	expires ring[expiry]
}

// PoolStats is what a Pool measured.
type PoolStats struct {
	Arrivals   *metrics.Rate  // calls that came
	Rejections *metrics.Rate  // calls refused: queue full, acquire timeout, down
	InUse      *metrics.Gauge // connections in use
	Waiting    *metrics.Gauge // calls waiting for one
	// Wait is from arrival to a connection, for calls that got one.
	Wait *metrics.Latency
}

func (*Pool) Kind() string                { return "Pool" }
func (p *Pool) ID() string                { return p.Name }
func (p *Pool) wiredTo() (string, string) { return "Target", p.Target }
func (p *Pool) targets() []string         { return []string{p.Target} }

func (p *Pool) validate() error {
	switch {
	case p.Size < 1 || p.Size > MaxSlots:
		return bad(p, "Size", p.Size, fmt.Sprintf("must be between 1 and %d", MaxSlots))
	case p.MaxQueue < 0 || p.MaxQueue > 100_000_000:
		return bad(p, "MaxQueue", p.MaxQueue, "must be between 0 (unbounded) and 100000000")
	case p.MaxWait < 0 || p.MaxWait > time.Hour:
		return bad(p, "MaxWait", p.MaxWait, "must be between 0 (none) and 1h")
	}
	return nil
}

func (p *Pool) start() {
	sys := p.sys
	w := sys.window
	p.Arrivals = metrics.NewRate(p.Name+" arrivals", w)
	p.Rejections = metrics.NewRate(p.Name+" rejections", w)
	p.InUse = metrics.NewGauge(p.Name+" in use", "connections", w)
	p.Waiting = metrics.NewGauge(p.Name+" waiting", "calls", w)
	p.Wait = metrics.NewLatency(p.Name+" wait", w)
	p.target = sys.node(p.Target)
	p.maxWait = sim.FromDuration(p.MaxWait)
	p.expire = p.onExpire
	p.faulty.init(p.Size)
}

func (p *Pool) up() bool { return !p.down }

// A waiting call's held counter n is 1; 0 once it has a connection.
func (p *Pool) accept(c *call) {
	now := p.sys.sim.Now()
	p.Arrivals.Add(now, 1)
	switch {
	case p.down, p.MaxQueue > 0 && p.queued >= p.MaxQueue:
		p.Rejections.Add(now, 1)
		c.answer(rejected)
	case p.inUse < p.capacity && p.queued == 0:
		p.acquire(c, now)
	default:
		c.n = 1
		if p.waiting.size > 2*p.queued+1024 {
			p.compact()
		}
		p.waiting.push(expiry{c, c.gen})
		p.queued++
		p.Waiting.Set(now, float64(p.queued))
		if p.maxWait > 0 {
			p.expires.push(expiry{c, c.gen})
			if !p.timer.Pending() {
				p.timer = p.sys.sim.At(now+p.maxWait, p.expire)
			}
		}
	}
}

// compact drops the entries of calls that stopped waiting (acquire
// timeouts), so that a pool whose connections never come back does not
// pile them up for ever.
func (p *Pool) compact() {
	for n := p.waiting.size; n > 0; n-- {
		if e := p.waiting.pop(); e.waits() {
			p.waiting.push(e)
		}
	}
}

// waits reports whether e is a call still waiting for a connection.
func (e expiry) waits() bool { return e.c.gen == e.gen && e.c.n == 1 && e.c.from != nil }

func (p *Pool) acquire(c *call, now sim.Time) {
	c.n = 0
	p.inUse++
	p.InUse.Set(now, float64(p.inUse))
	p.Wait.Record(now, now-c.start)
	d := p.sys.newCall(c, p)
	c.a1 = d
	p.target.accept(d)
}

// answered takes Target's answer: the connection is free again.
func (p *Pool) answered(d *call) {
	c, st, gone := d.parent, d.status, d.gaveUp
	p.sys.release(d)
	if gone {
		return // its call was failed by a crash; the connection went then
	}
	now := p.sys.sim.Now()
	p.inUse--
	p.InUse.Set(now, float64(p.inUse))
	c.a1 = nil
	c.answer(st)
	p.changed()
}

// changed hands free connections to waiting calls.
func (p *Pool) changed() {
	now := p.sys.sim.Now()
	for p.queued > 0 && p.inUse < p.capacity && !p.down {
		e := p.waiting.pop()
		if !e.waits() {
			continue
		}
		p.queued--
		p.Waiting.Set(now, float64(p.queued))
		p.acquire(e.c, now)
	}
}

// onExpire rejects the calls that have waited MaxWait.
func (p *Pool) onExpire() {
	now := p.sys.sim.Now()
	for p.expires.size > 0 {
		e := p.expires.front()
		if !e.waits() {
			p.expires.pop()
			continue
		}
		if due := e.c.start + p.maxWait; due > now {
			p.timer = p.sys.sim.At(due, p.expire)
			return
		}
		p.expires.pop()
		e.c.n = 2
		p.queued--
		p.Waiting.Set(now, float64(p.queued))
		p.Rejections.Add(now, 1)
		e.c.answer(rejected)
	}
}

// crash fails the waiting calls; calls holding a connection finish.
func (p *Pool) crash() {
	now := p.sys.sim.Now()
	for p.waiting.size > 0 {
		e := p.waiting.pop()
		if e.waits() {
			e.c.n = 2
			p.Rejections.Add(now, 1)
			e.c.answer(failed)
		}
	}
	p.queued = 0
	p.Waiting.Set(now, 0)
}

func (p *Pool) close(end sim.Time) {
	p.Arrivals.Close(end)
	p.Rejections.Close(end)
	p.InUse.Close(end)
	p.Waiting.Close(end)
	p.Wait.Close(end)
}

func (p *Pool) row(t *metrics.Table) {
	t.Add(p.Name, "Pool", p.Arrivals.Total(), nil, nil, p.Rejections.Total(), p.Wait.Mean(), p.Wait.Quantile(0.99), p.Waiting.Max(),
		fmt.Sprintf("%.1f of %d in use on average", p.InUse.Mean(), p.Size))
}
