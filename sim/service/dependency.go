package service

import (
	"fmt"
	"math/rand/v2"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
)

// Dependency is a service outside the model, known only by its latency
// and its errors: every call is answered after a draw from Latency, failed
// with probability Failure, however many are in flight (no capacity, no
// queue). A third-party API, a managed store. A Slowdown fault multiplies
// the latency of calls that start during it; while it is crashed it
// refuses calls at once.
//
// Random streams: NAME/latency, NAME/failures (Failure > 0).
type Dependency struct {
	Name    string
	Latency dist.Dist
	Failure float64 // the probability that a call fails, 0 to 1

	DependencyStats
	part
	faulty
	latency, failures *rand.Rand
	working           []*call
}

// DependencyStats is what a Dependency measured.
type DependencyStats struct {
	Calls      *metrics.Rate    // calls that came
	Failures   *metrics.Rate    // calls answered with a failure
	Rejections *metrics.Rate    // calls refused while it was down
	InFlight   *metrics.Gauge   // calls in progress
	Response   *metrics.Latency // from call to answer
}

func (*Dependency) Kind() string        { return "Dependency" }
func (d *Dependency) ID() string        { return d.Name }
func (d *Dependency) targets() []string { return nil }

func (d *Dependency) validate() error {
	if !(d.Failure >= 0 && d.Failure <= 1) {
		return bad(d, "Failure", d.Failure, "must be a probability between 0 and 1")
	}
	return checkDuration(d, "Latency", d.Latency, true)
}

func (d *Dependency) start() {
	sys := d.sys
	w := sys.window
	d.Calls = metrics.NewRate(d.Name+" calls", w)
	d.Failures = metrics.NewRate(d.Name+" failures", w)
	d.Rejections = metrics.NewRate(d.Name+" rejections", w)
	d.InFlight = metrics.NewGauge(d.Name+" in flight", "calls", w)
	d.Response = metrics.NewLatency(d.Name+" response", w)
	d.latency = sys.rand(d.Name + "/latency")
	if d.Failure > 0 {
		d.failures = sys.rand(d.Name + "/failures")
	}
	d.faulty.init(1)
}

func (d *Dependency) up() bool { return !d.down }

func (d *Dependency) accept(c *call) {
	now := d.sys.sim.Now()
	d.Calls.Add(now, 1)
	if d.down {
		d.Rejections.Add(now, 1)
		c.answer(rejected)
		return
	}
	d.InFlight.Add(now, 1)
	t := dist.Time(d.Latency, d.latency)
	if d.slow != 1 {
		t = sim.Seconds(t.Seconds() * d.slow)
	}
	c.began = now
	c.slot = int32(len(d.working))
	d.working = append(d.working, c)
	c.after(d, t)
}

func (d *Dependency) fired(c *call) {
	now := d.sys.sim.Now()
	d.leave(c)
	d.InFlight.Add(now, -1)
	d.Response.Record(now, now-c.began)
	st := ok
	if d.failures != nil && d.failures.Float64() < d.Failure {
		st = failed
		d.Failures.Add(now, 1)
	}
	c.answer(st)
}

func (d *Dependency) leave(c *call) {
	last := len(d.working) - 1
	moved := d.working[last]
	d.working[c.slot] = moved
	moved.slot = c.slot
	d.working[last] = nil
	d.working = d.working[:last]
}

func (d *Dependency) crash() {
	now := d.sys.sim.Now()
	for len(d.working) > 0 {
		c := d.working[len(d.working)-1]
		c.timer.Stop()
		d.leave(c)
		d.InFlight.Add(now, -1)
		d.Failures.Add(now, 1)
		c.answer(failed)
	}
}

func (d *Dependency) changed() {}

func (d *Dependency) close(end sim.Time) {
	d.Calls.Close(end)
	d.Failures.Close(end)
	d.Rejections.Close(end)
	d.InFlight.Close(end)
	d.Response.Close(end)
}

func (d *Dependency) row(t *metrics.Table) {
	n := d.Calls.Total()
	t.Add(d.Name, "Dependency", n, n-d.Failures.Total()-d.Rejections.Total()-int64(len(d.working)), d.Failures.Total(), d.Rejections.Total(),
		d.Response.Mean(), d.Response.Quantile(0.99), nil, fmt.Sprintf("%.1f in flight on average", d.InFlight.Mean()))
}
