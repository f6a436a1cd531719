package balance

import (
	"fmt"
	"sort"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// figure limits: past maxBars servers, bars are too thin to read and the
// calls are drawn as a histogram over servers; the queue figure draws the
// maxQueueLines servers whose queues grew longest.
const (
	maxBars       = 40
	maxQueueLines = 6
)

// Figures are the lesson's plots: the calls each server took, the longest
// queues over time, the time in system's percentiles over time and, when
// the run is one, the supermarket model beside it.
func (r *Result) Figures() []*viz.Figure {
	figs := []*viz.Figure{r.CallsFigure(), r.QueueFigure(), r.LatencyFigure()}
	if _, ok := r.Theory(); ok {
		figs = append(figs, r.TheoryFigure())
	}
	return figs
}

func (r *Result) end() sim.Time { return sim.FromDuration(r.Config.Duration) }

// CallsFigure draws the calls the balancer sent each server: bars up to
// 40 servers, a histogram over servers beyond. When a server left, the
// bars are each server's calls per second after it left.
func (r *Result) CallsFigure() *viz.Figure {
	if rates, most := r.LoadAfter(); rates != nil && len(rates) <= maxBars {
		labels := make([]string, len(rates))
		for i, s := range r.Servers {
			labels[i] = s.Name
		}
		return viz.Bars(viz.Options{Title: fmt.Sprintf("Calls per server after s%d left: %s (busiest %.2f× an even share)", len(rates), r.policyText(), most),
			XLabel: "server", YLabel: "calls per second", Name: "balance-calls-after"}, labels, rates)
	}
	var all int64
	for _, s := range r.Servers {
		all += s.Calls
	}
	even := float64(all) / float64(len(r.Servers))
	title := fmt.Sprintf("Calls per server: %s", r.policyText())
	if len(r.Servers) > maxBars {
		calls := make([]float64, len(r.Servers))
		for i, s := range r.Servers {
			calls[i] = float64(s.Calls)
		}
		return viz.Histogram(viz.Options{Title: title, XLabel: "calls a server took", YLabel: "servers", Name: "balance-calls"}, calls, 0)
	}
	labels := make([]string, len(r.Servers))
	calls := make([]float64, len(r.Servers))
	for i, s := range r.Servers {
		labels[i], calls[i] = s.Name, float64(s.Calls)
	}
	f := viz.Bars(viz.Options{Title: title, XLabel: "server", YLabel: "calls", Name: "balance-calls"}, labels, calls)
	f.Plot.Title.Text += fmt.Sprintf(" (an even share: %.0f)", even)
	return f
}

// QueueFigure draws the longest queue of each window for the servers whose
// queues grew longest (at most six), with the slow servers' window and the
// leaving server shaded.
func (r *Result) QueueFigure() *viz.Figure {
	order := make([]int, len(r.Servers))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return r.Servers[order[a]].MaxQueue > r.Servers[order[b]].MaxQueue })
	n := min(len(order), maxQueueLines)
	var series []*metrics.Series
	for _, i := range order[:n] {
		s := r.Servers[i].Queue.MaxSeries()
		s.Name = r.Servers[i].Name
		series = append(series, s)
	}
	title := fmt.Sprintf("Longest queues: %s", r.policyText())
	if len(r.Servers) > n {
		title = fmt.Sprintf("The %d longest queues of %d servers: %s", n, len(r.Servers), r.policyText())
	}
	return viz.Lines(viz.Options{Title: title, YLabel: "queue, longest in each window (calls)", Name: "balance-queues",
		Spans: r.Spans, End: r.end()}, series...)
}

// LatencyFigure draws the percentiles of the requests' time in system
// over time, with the slow servers' window and the leaving server shaded.
func (r *Result) LatencyFigure() *viz.Figure {
	return viz.Bands(viz.Options{Title: fmt.Sprintf("Time in system: %s", r.policyText()), Name: "balance-latency",
		Spans: r.Spans, End: r.end()}, r.Latency)
}

// TheoryFigure draws the supermarket model's T_d against the load λ for
// d = 1, 2 and 3, in mean service times, and the run's own mean time in
// system (by Little's law) at its load. A run that is not the model (see
// Theory) draws the curves alone and says so.
func (r *Result) TheoryFigure() *viz.Figure {
	top := max(0.95, r.Config.Load)
	var curves []viz.Curve
	for d := 1; d <= 3; d++ {
		c := viz.Curve{Name: fmt.Sprintf("T_%d (d = %d)", d, d)}
		for l := 0.0; l <= top+1e-9; l += 0.01 {
			t, err := Supermarket(d, l)
			if err != nil {
				continue
			}
			c.X, c.Y = append(c.X, l), append(c.Y, t)
		}
		curves = append(curves, c)
	}
	o := viz.Options{Title: fmt.Sprintf("The supermarket model beside the run (%d servers)", r.Config.Servers),
		XLabel: "load per server λ", YLabel: "mean time in system (mean service times)", Name: "balance-supermarket"}
	th, ok := r.Theory()
	if !ok {
		o.Note = "this run is not the model: it needs random or power-of-choices on live load, one slot, exponential service"
		return viz.XY(o, curves...)
	}
	mean := r.Config.Service.Mean()
	curves = append(curves, viz.Curve{Name: fmt.Sprintf("this run, d = %d: %.3f (T_%d = %.3f)", th.D, th.Measured.Seconds()/mean, th.D, th.T.Seconds()/mean),
		X: []float64{th.Lambda}, Y: []float64{th.Measured.Seconds() / mean}, Points: true})
	return viz.XY(o, curves...)
}
