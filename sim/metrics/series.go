package metrics

import (
	"math"

	"dsim/sim"
)

// MaxPoints bounds every Series. A point past the bound is dropped and the
// series marked Truncated, so a mistaken tiny window cannot exhaust memory.
const MaxPoints = 1 << 20

// Series is a named sequence of (time, value) points, in time order.
type Series struct {
	Name      string
	Unit      string // of the values: "req/s", "requests", "s"
	T         []sim.Time
	V         []float64
	Truncated bool // points were dropped at MaxPoints
}

// NewSeries returns an empty series.
func NewSeries(name, unit string) *Series { return &Series{Name: name, Unit: unit} }

// Add appends a point. Cost: amortised O(1).
func (s *Series) Add(t sim.Time, v float64) {
	if len(s.T) >= MaxPoints {
		s.Truncated = true
		return
	}
	s.T = append(s.T, t)
	s.V = append(s.V, v)
}

// Len returns the number of points.
func (s *Series) Len() int { return len(s.T) }

// Max returns the largest value (NaN for an empty series).
func (s *Series) Max() float64 {
	if len(s.V) == 0 {
		return math.NaN()
	}
	m := s.V[0]
	for _, v := range s.V[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

// Mean returns the plain mean of the values (NaN for an empty series).
func (s *Series) Mean() float64 {
	if len(s.V) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, v := range s.V {
		sum += v
	}
	return sum / float64(len(s.V))
}

// Between returns the mean of the points with from <= t < to (NaN if none).
func (s *Series) Between(from, to sim.Time) float64 {
	sum, n := 0.0, 0
	for i, t := range s.T {
		if t >= from && t < to {
			sum += s.V[i]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// Counter counts events. The zero value is ready to use.
type Counter struct{ n int64 }

// Inc adds one.
func (c *Counter) Inc() { c.n++ }

// Add adds n.
func (c *Counter) Add(n int64) { c.n += n }

// Value returns the count.
func (c *Counter) Value() int64 { return c.n }

// windows tracks which fixed-width window [k·w, (k+1)·w) of virtual time is
// open. Windows start at time zero so that every recorder of a run shares
// the same boundaries.
type windows struct {
	width sim.Time
	k     int64 // index of the open window
}

func (w *windows) start() sim.Time { return sim.Time(w.k) * w.width }
func (w *windows) end() sim.Time   { return sim.Time(w.k+1) * w.width }
func (w *windows) index(t sim.Time) int64 {
	return int64(t / w.width)
}

// mid is where a window's value is plotted: its middle, or the middle of the
// part that elapsed when the run ended inside it.
func mid(from, to sim.Time) sim.Time { return from + (to-from)/2 }

// Rate counts events per window and reports them per second: offered load,
// goodput, timeouts. Empty windows report zero.
type Rate struct {
	w      windows
	total  int64
	count  int64
	series *Series
}

// NewRate returns a rate recorder with the given window width (> 0).
func NewRate(name string, window sim.Time) *Rate {
	return &Rate{w: windows{width: window}, series: NewSeries(name, "1/s")}
}

// Add counts n events at time t (t must not go back in time).
func (r *Rate) Add(t sim.Time, n int64) {
	r.advance(t)
	r.count += n
	r.total += n
}

func (r *Rate) advance(t sim.Time) {
	for r.w.index(t) > r.w.k {
		r.series.Add(mid(r.w.start(), r.w.end()), float64(r.count)/r.w.width.Seconds())
		r.count = 0
		r.w.k++
	}
}

// Close ends the recording at t, emitting the window it falls in (scaled to
// the part of it that elapsed). Call it once, at the end of the run.
func (r *Rate) Close(t sim.Time) {
	r.advance(t)
	if elapsed := t - r.w.start(); elapsed > 0 {
		r.series.Add(mid(r.w.start(), t), float64(r.count)/elapsed.Seconds())
	}
	r.count = 0
	r.w.k++
}

// Total returns the number of events counted.
func (r *Rate) Total() int64 { return r.total }

// Series returns the per-window rates in events per second.
func (r *Rate) Series() *Series { return r.series }

// Gauge is a level that changes at instants: queue length, requests in
// flight, busy servers. It keeps the time-weighted mean (the L of Little's
// law), overall and per window, and the maximum.
type Gauge struct {
	w       windows
	v       float64 // current level
	last    sim.Time
	area    float64 // ∫ level dt over the run so far, in level·seconds
	winArea float64
	max     float64
	winMax  float64
	meanS   *Series
	maxS    *Series
	started bool
}

// NewGauge returns a gauge at level 0 with the given window width (> 0).
func NewGauge(name, unit string, window sim.Time) *Gauge {
	return &Gauge{w: windows{width: window}, meanS: NewSeries(name, unit), maxS: NewSeries(name+" (max)", unit)}
}

// Set changes the level at time t.
func (g *Gauge) Set(t sim.Time, v float64) {
	g.advance(t)
	g.v = v
	if v > g.max || !g.started {
		g.max = v
	}
	if v > g.winMax {
		g.winMax = v
	}
	g.started = true
}

// Add changes the level by dv at time t.
func (g *Gauge) Add(t sim.Time, dv float64) { g.Set(t, g.v+dv) }

// Value returns the current level.
func (g *Gauge) Value() float64 { return g.v }

// advance integrates the level up to t, closing the windows it crosses.
func (g *Gauge) advance(t sim.Time) {
	for g.w.index(t) > g.w.k {
		end := g.w.end()
		g.integrate(end)
		g.meanS.Add(mid(g.w.start(), end), g.winArea/g.w.width.Seconds())
		g.maxS.Add(mid(g.w.start(), end), g.winMax)
		g.winArea, g.winMax = 0, g.v
		g.w.k++
	}
	g.integrate(t)
}

func (g *Gauge) integrate(t sim.Time) {
	if t <= g.last {
		return
	}
	a := g.v * (t - g.last).Seconds()
	g.area += a
	g.winArea += a
	g.last = t
}

// Close ends the recording at t and emits the last, partial window.
func (g *Gauge) Close(t sim.Time) {
	g.advance(t)
	if elapsed := t - g.w.start(); elapsed > 0 {
		g.meanS.Add(mid(g.w.start(), t), g.winArea/elapsed.Seconds())
		g.maxS.Add(mid(g.w.start(), t), g.winMax)
	}
	g.winArea, g.winMax = 0, g.v
	g.w.k++
}

// Mean returns the time-weighted mean level from time zero to the last
// change or Close.
func (g *Gauge) Mean() float64 {
	if g.last == 0 {
		return g.v
	}
	return g.area / g.last.Seconds()
}

// Integral returns ∫ level dt from time zero to t, in level·seconds (for
// busy slots, the busy slot-seconds), without recording anything: a
// controller reads it as the run goes. t must not be before the last
// change; the area up to the last change is returned if it is.
func (g *Gauge) Integral(t sim.Time) float64 {
	if t <= g.last {
		return g.area
	}
	return g.area + g.v*(t-g.last).Seconds()
}

// Max returns the highest level seen.
func (g *Gauge) Max() float64 { return g.max }

// Series returns the time-weighted mean level per window.
func (g *Gauge) Series() *Series { return g.meanS }

// MaxSeries returns the highest level per window.
func (g *Gauge) MaxSeries() *Series { return g.maxS }
