package csi

import (
	"fmt"
	"sort"
	"strings"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Verdict is the run's outcome in a sentence.
type Verdict struct {
	Outcome Outcome
	Reason  string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict for a notebook.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + ":** " + v.Reason }

// Verdict judges the run: how many orders failed, how, where, and what in
// the data explains it.
func (r *Result) Verdict() Verdict {
	n := len(r.Orders)
	var v Verdict
	switch {
	case n == 0:
		v.Outcome = Clean
		v.Reason = "no order was written, so none could fail"
		return v
	case r.Louds == 0 && r.Silents == 0:
		v.Outcome = Clean
		v.Reason = fmt.Sprintf("all %d orders arrived intact", n)
		return v
	case r.Silents == 0:
		v.Outcome = LoudOnly
	case r.Louds == 0:
		v.Outcome = SilentOnly
	default:
		v.Outcome = LoudSilent
	}
	var parts []string
	if r.Louds > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d orders (%s) failed loudly (%s)", r.Louds, n, metrics.Pct(float64(r.Louds)/float64(n)), r.where()))
	}
	if r.Silents > 0 {
		parts = append(parts, fmt.Sprintf("%d (%s) were corrupted silently", r.Silents, metrics.Pct(float64(r.Silents)/float64(n))))
	}
	v.Reason = strings.Join(parts, " and ") + fmt.Sprintf("; the error count shows %d", r.Errors)
	if r.Silents > 0 {
		v.Reason += ", only the checker sees the rest"
	}
	v.Reason += ". The data explain it: " + r.Explain().String()
	return v
}

// where names the sides and planes of the loud failures, most common
// first.
func (r *Result) where() string {
	count := map[string]int{}
	var keys []string
	for _, o := range r.Orders {
		if o.Outcome == Loud {
			k := o.Side + " side, " + o.Plane + " plane"
			if count[k] == 0 {
				keys = append(keys, k)
			}
			count[k]++
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return count[keys[i]] > count[keys[j]] })
	return strings.Join(keys, "; ")
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Deployed
	n := len(r.Orders)
	t := metrics.NewTable(fmt.Sprintf("%s -> %s: %d orders over %v (seed %d)", c.Upstream.Name, c.Downstream.Name, n, c.Duration, c.Seed), "metric", "value")
	t.Add("A writes", c.Upstream.Schema.String())
	if c.Upstream.Next.Version != 0 {
		t.Add("A rolls out", fmt.Sprintf("%s from %v over %v", c.Upstream.Next, c.Upstream.Rollout.Start, c.Upstream.Rollout.Duration))
	}
	t.Add("B reads", c.Downstream.Schema.String())
	if c.Downstream.Next.Version != 0 {
		t.Add("B upgrades", fmt.Sprintf("to %s at %v", c.Downstream.Next, c.Downstream.UpgradeAt))
	}
	pct := func(k int) string { return fmt.Sprintf("%d (%s)", k, metrics.Pct(metrics.Ratio(int64(k), int64(n)))) }
	t.Add("ok", pct(r.OKs))
	t.Add("loud failures", pct(r.Louds))
	t.Add("silent corruption (checker only)", pct(r.Silents))
	t.Add("errors monitoring sees", fmt.Sprint(r.Errors))
	if r.Louds > 0 {
		t.Add("loud failures at", r.where())
	}
	var caught []string
	for _, ch := range r.Checks {
		if ch.Enabled {
			state := "found nothing"
			if ch.Caught {
				state = "caught it: " + ch.Fix
			}
			caught = append(caught, ch.Name+" "+state)
		}
	}
	if len(caught) > 0 {
		t.Add("prevention", strings.Join(caught, "; "))
	}
	t.Note("%v", r.Verdict())
	return t
}

// ChecksTable says what each prevention strategy found before deployment,
// whether it was on, and what it changed.
func (r *Result) ChecksTable() *metrics.Table {
	t := metrics.NewTable("Prevention before deployment", "check", "on", "would catch", "found", "fix")
	for _, c := range r.Checks {
		on, caught, found := "no", "no", "nothing"
		if c.Enabled {
			on = "yes"
		}
		if c.Caught {
			caught = "yes"
			found = strings.Join(c.Findings, "; ")
			if c.Found > len(c.Findings) {
				found += fmt.Sprintf("; and %d more", c.Found-len(c.Findings))
			}
		}
		t.Add(c.Name, on, caught, found, c.Fix)
	}
	return t
}

// Check returns the named check's report.
func (r *Result) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Figures are the lesson's plots: outcomes over time, and failures by
// cause.
func (r *Result) Figures() []*viz.Figure {
	return []*viz.Figure{r.OutcomeFigure(), r.CauseFigure()}
}

// OutcomeFigure draws the share of orders by outcome over the time A wrote
// them.
func (r *Result) OutcomeFigure() *viz.Figure {
	f := viz.Lines(viz.Options{Title: fmt.Sprintf("Orders by outcome, %s -> %s", r.Deployed.Upstream.Name, r.Deployed.Downstream.Name),
		YLabel: "share of orders written (%)", Name: "csi-outcomes", Spans: r.Spans, End: sim.FromDuration(r.Deployed.Duration), YMax: 100},
		r.OKShare, r.LoudShare, r.SilentShare)
	f.Plot.Y.Min = 0
	return f
}

// CauseFigure draws the failed orders per cause.
func (r *Result) CauseFigure() *viz.Figure {
	names, counts := r.Causes()
	vals := make([]float64, len(counts))
	for i, c := range counts {
		vals[i] = float64(c)
	}
	if len(names) == 0 {
		names, vals = []string{"none"}, []float64{0}
	}
	return viz.Bars(viz.Options{Title: "Failed orders by cause", XLabel: "cause", YLabel: "orders", Name: "csi-causes"}, names, vals)
}

// LatencyFigure draws the distribution of B's time per attempt against
// A's timeout and the timeout B documents: the configuration scenario's
// plot.
func (r *Result) LatencyFigure() *viz.Figure {
	xs := make([]float64, len(r.BTimes))
	for i, d := range r.BTimes {
		xs[i] = d.Seconds()
	}
	sort.Float64s(xs)
	curve := viz.Curve{Name: "B's time per attempt"}
	for i, x := range xs {
		curve.X = append(curve.X, x)
		curve.Y = append(curve.Y, float64(i+1)/float64(len(xs)))
	}
	a, b := r.Deployed.Upstream, r.Deployed.Downstream
	mark := func(name string, d float64) viz.Curve {
		return viz.Curve{Name: name, X: []float64{d, d}, Y: []float64{0, 1}}
	}
	return viz.XY(viz.Options{Title: "B's latency against the timeouts", XLabel: "B's time per attempt (s)", YLabel: "fraction at or below",
		Name: "csi-latency", YMax: 1}, curve, mark(fmt.Sprintf("A's timeout (%v)", a.Timeout), a.Timeout.Seconds()),
		mark(fmt.Sprintf("B documents (%v)", b.ExpectTimeout), b.ExpectTimeout.Seconds()))
}
