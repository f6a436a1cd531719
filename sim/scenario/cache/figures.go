package cache

import (
	"context"
	"fmt"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// chePoints is the number of points of Che's curve in a figure.
const chePoints = 60

// Figures are the lesson's plots: the hit ratio over time, the hit ratio
// against the cache's size beside Che's curve, the database's load, and
// the clients' latency percentiles.
func (r *Result) Figures() []*viz.Figure {
	return []*viz.Figure{r.HitFigure(), r.CheFigure(), r.DBFigure(), r.LatencyFigure()}
}

// spans shades the flush.
func (r *Result) spans() []viz.Span {
	c := r.Config
	if !c.flushed() {
		return nil
	}
	from := sim.FromDuration(c.FlushAt)
	return []viz.Span{{From: from, To: from + sim.FromDuration(c.Window), Label: fmt.Sprintf("flush at %v", c.FlushAt)}}
}

// HitFigure draws the hit ratio of each window, with Che's approximation
// as a flat line when it describes the run.
func (r *Result) HitFigure() *viz.Figure {
	c := r.Config
	series := []*metrics.Series{r.HitRatioSeries()}
	o := viz.Options{Title: fmt.Sprintf("Hit ratio over time: %s cache of %d entries, %d keys, Zipf %g", c.Eviction, c.Capacity, c.Keys, c.Skew),
		YLabel: "hit ratio (%)", Name: "cache-hit-ratio", Spans: r.spans(), End: sim.FromDuration(r.End)}
	if r.CheApplies() {
		che := metrics.NewSeries(fmt.Sprintf("Che's approximation (%.1f%%)", 100*r.Che.HitRatio), "%")
		for _, t := range r.Series.Reads.T {
			che.Add(t, 100*r.Che.HitRatio)
		}
		series = append(series, che)
	} else {
		o.Note = "Che's approximation needs LRU, a cold start, no TTL and no writes"
	}
	return viz.Lines(o, series...)
}

// CheFigure draws Che's hit ratio against the cache's size, as a share of
// the keys, for the run's popularity, and the run's steady hit ratio at
// its size. The axis reaches four times the run's size (at least a
// quarter of the keys), where the curve's shape shows.
func (r *Result) CheFigure() *viz.Figure {
	c := r.Config
	size, hit := CheCurve(context.Background(), c.Keys, c.Skew, chePoints)
	top := min(1, max(0.25, 4*float64(c.Capacity)/float64(c.Keys)))
	var xs, ys []float64
	for i := range size {
		if size[i] <= top {
			xs, ys = append(xs, 100*size[i]), append(ys, 100*hit[i])
		}
	}
	name := "this run"
	if !r.CheApplies() {
		name = "this run (not plain LRU from cold: Che does not apply)"
	}
	return viz.XY(viz.Options{Title: fmt.Sprintf("Hit ratio against cache size: %d keys, Zipf %g", c.Keys, c.Skew),
		XLabel: "cache size (% of the keys)", YLabel: "hit ratio (%)", Name: "cache-che", YMax: 100},
		viz.Curve{Name: "Che's approximation (LRU)", X: xs, Y: ys},
		viz.Curve{Name: name, X: []float64{100 * float64(c.Capacity) / float64(c.Keys)}, Y: []float64{100 * r.SteadyHitRatio()}, Points: true})
}

// DBFigure draws the queries sent to the database and those it finished,
// per second, against its capacity; the title gives the clients' rate.
func (r *Result) DBFigure() *viz.Figure {
	c := r.Config
	capacity := metrics.NewSeries(fmt.Sprintf("database capacity (%.0f/s)", c.dbCapacity()), "req/s")
	for _, t := range r.Series.DBArrived.T {
		capacity.Add(t, c.dbCapacity())
	}
	return viz.Lines(viz.Options{Title: fmt.Sprintf("Database load: %d slots at %v, %g requests/s", c.DBSlots, c.DBService, c.Rate),
		YLabel: "per second", Name: "cache-database", Spans: r.spans(), End: sim.FromDuration(r.End)},
		r.Series.DBArrived, r.Series.DBServed, capacity)
}

// LatencyFigure draws the clients' latency percentiles over time.
func (r *Result) LatencyFigure() *viz.Figure {
	return viz.Bands(viz.Options{Title: fmt.Sprintf("Client latency (timeout %v, %d retries)", r.Config.Timeout, r.Config.MaxRetries),
		Name: "cache-latency", Spans: r.spans(), End: sim.FromDuration(r.End)}, r.Latency)
}
