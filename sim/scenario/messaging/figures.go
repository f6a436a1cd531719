package messaging

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// Figures are the lesson's plots: the queue's depth and the messages in
// flight over time, publications and deliveries per second, and the
// fate of the messages (lost, duplicated, dead-lettered, refused) as
// bars; c1's crashes and the writer's are shaded, and each title names
// the run's design and, with a writer, its write mode.
func (r *Result) Figures() []*viz.Figure {
	return []*viz.Figure{r.QueueFigure(), r.RateFigure(), r.FateFigure()}
}

// spans shades c1's crashes and the writer's, the first of each labelled.
func (r *Result) spans() []viz.Span {
	c := r.Config
	var out []viz.Span
	add := func(ws []sim.Window, label string) {
		for i, w := range ws {
			sp := viz.Span{From: sim.FromDuration(w.Start), To: sim.FromDuration(w.End())}
			if i == 0 {
				sp.Label = label
			}
			out = append(out, sp)
		}
	}
	add(c.crashes(), fmt.Sprintf("%s down (every %v for %v)", crashed, c.CrashEvery, c.CrashFor))
	add(c.writerCrashes(), fmt.Sprintf("writer down (every %v for %v)", c.WriterCrashEvery, c.WriterCrashFor))
	return out
}

// run names the run in a title: its delivery design, and the writer's
// mode when it has one.
func (c Config) run() string {
	if c.writes() {
		return fmt.Sprintf("%s, writer %s", c.Design(), c.WriteMode)
	}
	return c.Design()
}

// QueueFigure draws the messages waiting and those in flight, each
// window's mean: the consumers' lag; under back-pressure, the
// publications the producers hold too.
func (r *Result) QueueFigure() *viz.Figure {
	c := r.Config
	title := fmt.Sprintf("Queue: %g msg/s to consumers of %.0f msg/s, %s", c.Rate, c.Capacity(), c.run())
	if c.MaxDepth > 0 {
		title += fmt.Sprintf(", bounded at %d (%s)", c.MaxDepth, c.Overflow)
	}
	lines := []*metrics.Series{r.Series.Depth, r.Series.InFlight}
	if r.Blocked > 0 {
		lines = append(lines, r.Series.Held)
	}
	return viz.Lines(viz.Options{Title: title, YLabel: "messages", Name: "messaging-queue", Spans: r.spans(), End: sim.FromDuration(r.End)},
		lines...)
}

// RateFigure draws publications and deliveries per second: deliveries
// above publications are redeliveries.
func (r *Result) RateFigure() *viz.Figure {
	c := r.Config
	title := fmt.Sprintf("Published and delivered: ack %s, %g%% of acknowledgements lost", c.Ack, 100*c.AckLoss)
	if c.Partitions > 0 {
		title = fmt.Sprintf("Published and delivered: a log of %d partitions, offsets committed every %d", c.Partitions, max(c.CommitEvery, 1))
	}
	if c.writes() {
		title = fmt.Sprintf("Published and delivered: writer %s, %s", c.WriteMode, c.Design())
	}
	return viz.Lines(viz.Options{Title: title,
		YLabel: "messages per second", Name: "messaging-rates", Spans: r.spans(), End: sim.FromDuration(r.End)},
		r.Series.Published, r.Series.Delivered)
}

// FateFigure draws what went wrong, counted by the broker's checker.
func (r *Result) FateFigure() *viz.Figure {
	labels, values := fates(r)
	o := viz.Options{Title: fmt.Sprintf("What went wrong: %s, %d messages", r.Config.run(), r.Published),
		YLabel: "messages", Name: "messaging-fate"}
	if slices.Max(values) == 0 {
		o.Title += ": nothing, every effect once" // Bars writes no note
	}
	return viz.Bars(o, labels, values)
}

// fates are the checker's counts of what went wrong; the ordering, retry
// and writer counts join when the run sets their knobs.
func fates(r *Result) ([]string, []float64) {
	labels := []string{"lost", "duplicated", "dead-lettered", "refused or given up"}
	values := []float64{float64(r.Lost), float64(r.ExtraEffects), float64(r.DeadLettered), float64(r.Refused + r.Abandoned)}
	if r.Config.Keys > 0 {
		labels, values = append(labels, "out of order"), append(values, float64(r.OutOfOrder))
	}
	if r.Config.writes() {
		labels = append(labels, "events lost", "phantoms")
		values = append(values, float64(r.Writer.LostEvents), float64(r.Writer.Phantoms))
	}
	return labels, values
}

// DeliveriesFigure draws a sweep over AckLoss: the mean deliveries per
// message of its runs, with their 95% interval, beside the geometric
// law's 1/(1-p).
func DeliveriesFigure(res *sweep.Result) (*viz.Figure, error) {
	if res == nil || len(res.Points) == 0 {
		return nil, fmt.Errorf("messaging: DeliveriesFigure needs a sweep with points")
	}
	points := slices.Clone(res.Points)
	slices.SortFunc(points, func(a, b sweep.Point) int { return cmp.Compare(a.Get("AckLoss"), b.Get("AckLoss")) })
	sorted := viz.BandCurve{Name: "simulated (mean, 95% interval)"}
	for _, p := range points {
		x := p.Get("AckLoss")
		if math.IsNaN(x) || len(p.Names) != 1 {
			return nil, fmt.Errorf("messaging: DeliveriesFigure needs a sweep over AckLoss alone, got one over %v", p.Names)
		}
		s := res.Stat(p.Index, "deliveries per message")
		sorted.X, sorted.Y = append(sorted.X, x), append(sorted.Y, s.Mean)
		sorted.Lower, sorted.Upper = append(sorted.Lower, s.Lower), append(sorted.Upper, s.Upper)
	}
	theory := viz.BandCurve{Name: "theory 1/(1-p)"}
	lo, hi := sorted.X[0], sorted.X[len(sorted.X)-1]
	for i := 0; i <= 50; i++ {
		p := lo + (hi-lo)*float64(i)/50
		theory.X, theory.Y = append(theory.X, p), append(theory.Y, 1/(1-p))
		theory.Lower, theory.Upper = theory.Y, theory.Y // exact: no band
	}
	return viz.BandLines(viz.Options{Title: "Deliveries per message against the share of acknowledgements lost",
		XLabel: "p, acknowledgements lost (chance)", YLabel: "deliveries per message", Name: "messaging-deliveries"}, sorted, theory), nil
}

// writerCrashes is the writer's crash schedule, as compose schedules it:
// every WriterCrashEvery while orders come, each lasting WriterCrashFor.
func (c Config) writerCrashes() []sim.Window {
	return schedule(c.WriterCrashEvery, c.WriterCrashFor, c.publishing())
}
