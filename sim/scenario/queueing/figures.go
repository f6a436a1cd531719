package queueing

import (
	"fmt"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Figures are the lesson's standard plots, in this order: LoadFigure,
// QueueFigure, BusyFigure, WaitFigure, PercentileFigure, and
// SaturationFigure when theory has a curve for this configuration.
func (r *Result) Figures() []*viz.Figure {
	figs := []*viz.Figure{r.LoadFigure(), r.QueueFigure(), r.BusyFigure(), r.WaitFigure(), r.PercentileFigure()}
	if f := r.SaturationFigure(); f != nil {
		figs = append(figs, f)
	}
	return figs
}

// timeOptions are the options of a figure over the run's time: the load
// pattern's peaks shaded, the axis to the end of the run.
func (r *Result) timeOptions(title, ylabel, name string) viz.Options {
	return viz.Options{Title: title, YLabel: ylabel, Name: name, Spans: r.Spans, End: sim.FromDuration(r.Config.Duration)}
}

// LoadFigure draws the offered load and the throughput per window against
// the servers' capacity (c/E[H]), with failures and rejections when there
// were any.
func (r *Result) LoadFigure() *viz.Figure {
	capacity := metrics.NewSeries("capacity", "1/s")
	capPerSec := float64(r.Config.Servers) / r.Config.meanHolding()
	for _, p := range r.Offered.Series().T {
		capacity.Add(p, capPerSec)
	}
	load := []*metrics.Series{r.Offered.Series(), r.Throughput.Series(), capacity}
	if r.Failed > 0 {
		load = append(load, r.Failures.Series())
	}
	if r.Rejected > 0 {
		load = append(load, r.Rejections.Series())
	}
	return viz.Lines(r.timeOptions("Offered load and throughput", "requests per second (1/s)", "queueing-load"), load...)
}

// QueueFigure draws the requests waiting for a server: the time-weighted
// mean of each window. It has an axis of its own, since a queue may grow
// hundreds deep where the busy servers (BusyFigure) never pass c.
func (r *Result) QueueFigure() *viz.Figure {
	return viz.Lines(r.timeOptions("Queue length", "requests waiting (time-weighted mean per window)", "queueing-queue"), r.Queue.Series())
}

// BusyFigure draws the busy servers (the time-weighted mean of each
// window) under a line at c, all of them: how close to capacity the
// servers ran.
func (r *Result) BusyFigure() *viz.Figure {
	busy := r.Busy.Series()
	all := metrics.NewSeries(fmt.Sprintf("servers (c = %d)", r.Config.Servers), "servers")
	for _, t := range busy.T {
		all.Add(t, float64(r.Config.Servers))
	}
	return viz.Lines(r.timeOptions("Busy servers", "servers busy (time-weighted mean per window)", "queueing-busy"), busy, all)
}

// WaitFigure draws the wait in queue over time: its percentiles per
// window.
func (r *Result) WaitFigure() *viz.Figure {
	o := r.timeOptions("Wait in queue over time", "", "queueing-wait")
	return viz.Bands(o, r.Wait)
}

// PercentileFigure draws the wait and the response time by percentile
// over the whole run.
func (r *Result) PercentileFigure() *viz.Figure {
	return viz.PercentileDist(viz.Options{Title: "Wait and response time by percentile", Name: "queueing-percentiles"}, r.Wait, r.Response)
}

// SaturationFigure draws theory's mean wait against utilisation for this
// many servers and this holding time, with the run's measured point: the
// "hockey stick" of queueing. It is nil when theory has no curve here.
func (r *Result) SaturationFigure() *viz.Figure {
	c := r.Config
	hold := c.meanHolding()
	mu := 1 / hold
	curve := viz.Curve{Name: fmt.Sprintf("M/M/%d theory", c.Servers)}
	for i := 1; i <= 97; i++ {
		rho := float64(i) / 100
		m, err := NewMMC(rho*float64(c.Servers)*mu, mu, c.Servers)
		if err != nil {
			return nil
		}
		curve.X = append(curve.X, rho)
		curve.Y = append(curve.Y, m.wq()/hold)
	}
	run := viz.Curve{Name: "this run", X: []float64{r.Utilisation()}, Y: []float64{r.Wait.Mean().Seconds() / hold}, Points: true}
	return viz.XY(viz.Options{Title: "Mean wait near saturation", XLabel: "utilisation ρ", YLabel: "mean wait / mean holding time", Name: "queueing-saturation"}, curve, run)
}
