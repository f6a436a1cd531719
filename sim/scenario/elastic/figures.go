package elastic

import (
	"fmt"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Figures are the lesson's plots: the capacity over time (instances, or a
// function's concurrency against its limit), the load offered and
// answered, and the response time's percentiles, the surge shaded in each.
func (r *Result) Figures() []*viz.Figure {
	return []*viz.Figure{r.CapacityFigure(), r.LoadFigure(), r.LatencyFigure()}
}

func (r *Result) end() sim.Time { return sim.FromDuration(r.Config.Duration) }

// CapacityFigure draws a group's instances billed and serving beside the
// instances the load needs at the target utilisation; or a function's
// calls at once and instances kept beside the platform's limit.
func (r *Result) CapacityFigure() *viz.Figure {
	o := viz.Options{Spans: r.Spans, End: r.end(), Name: "elastic-capacity"}
	if g := r.Group; g != nil {
		o.Title = fmt.Sprintf("Instances: %s", r.deployText())
		o.YLabel = "instances"
		billed, serving := g.Instances.Series(), g.Serving.Series()
		billed.Name, serving.Name = "billed (warming and serving)", "serving"
		return viz.Lines(o, billed, serving, r.NeededSeries())
	}
	f := r.Fn
	o.Title = fmt.Sprintf("Concurrency: %s", r.deployText())
	o.YLabel = "calls at once, instances"
	busy, kept := f.Concurrency.MaxSeries(), f.Instances.Series()
	busy.Name, kept.Name = "calls at once (most in window)", "instances kept (busy and idle)"
	lines := []*metrics.Series{busy, kept, r.CeilingSeries()}
	if nb := r.Neighbour; nb != nil {
		s := nb.Concurrency.MaxSeries()
		s.Name = "neighbour's calls at once"
		lines = append(lines, s)
	}
	return viz.Lines(o, lines...)
}

// LoadFigure draws the requests offered and answered a second, and those
// throttled.
func (r *Result) LoadFigure() *viz.Figure {
	o := viz.Options{Title: "Load: " + r.Config.loadText(),
		YLabel: "requests per second", Spans: r.Spans, End: r.end(), Name: "elastic-load"}
	lines := []*metrics.Series{r.Offered.Series(), r.Goodput.Series()}
	if r.Fn != nil && r.Failed > 0 {
		s := r.Fn.Throttles.Series()
		s.Name = "throttled"
		lines = append(lines, s)
	}
	if nb := r.Neighbour; nb != nil && nb.Throttled > 0 {
		s := nb.Throttles.Series()
		s.Name = "neighbour throttled"
		lines = append(lines, s)
	}
	return viz.Lines(o, lines...)
}

// LatencyFigure draws the percentiles of the response time over time and
// the SLO as a line. When the slowest window passes ten times the SLO (a
// spike's backlog of a minute), the axis is logarithmic: on a linear one
// the SLO line and every window around the spike would lie flat at zero.
func (r *Result) LatencyFigure() *viz.Figure {
	var worst sim.Time
	for _, w := range r.Latency.Windows() {
		worst = max(worst, w.P999)
	}
	return viz.Bands(viz.Options{Title: fmt.Sprintf("Response time (SLO: p99 under %v)", r.Config.SLO), Name: "elastic-latency",
		Spans: r.Spans, End: r.end(), SLO: r.Config.SLO, LogY: worst.Duration() > 10*r.Config.SLO}, r.Latency)
}
