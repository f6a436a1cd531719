package metastable

import (
	"dsim/sim/scenario/internal/describe"
	"fmt"
	"math"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/viz"
)

// Rates are the per-window rates of a run, in events per second.
type Rates struct {
	Offered    *metrics.Rate // new requests (first attempts and those an open breaker failed at once)
	Attempts   *metrics.Rate // attempts sent to the server, first and retries
	Retries    *metrics.Rate // attempts that were retries
	Goodput    *metrics.Rate // requests answered before their client's timeout
	Throughput *metrics.Rate // attempts the server finished, answered or not
	Wasted     *metrics.Rate // attempts the server finished after their client gave up
	Timeouts   *metrics.Rate // attempts a client gave up on
	Rejections *metrics.Rate // attempts the server turned away (queue bound, deadline)
	Failures   *metrics.Rate // requests that ended without an answer
}

// Result is what one run measured. The recorders keep their raw series and
// histograms, for plots of one's own.
type Result struct {
	Config Config // with defaults filled in

	Requests       int64 // offered load: requests clients made
	Succeeded      int64 // requests answered in time (goodput)
	Failed         int64 // requests that gave up: retries or budget spent, or breaker open
	Unfinished     int64 // requests still waiting or backing off at the end
	FirstAttempts  int64 // attempts that were a request's first
	Retries        int64 // attempts that were retries
	Attempts       int64 // FirstAttempts + Retries
	Timeouts       int64 // attempts abandoned by their client
	Rejected       int64 // attempts turned away by the server
	Dropped        int64 // abandoned attempts the server discarded unserved
	Served         int64 // attempts the server finished: Succeeded + Wasted
	Wasted         int64 // attempts finished after their client gave up
	HeldAtEnd      int64 // attempts in service or queued at the end
	ShortCircuited int64 // requests an open circuit breaker failed at once
	BudgetDenied   int64 // retries the retry budget refused
	BreakerOpened  int64 // times the circuit breaker opened

	Rates           Rates
	Queue, InFlight *metrics.Gauge
	// Latency is the client-visible latency of answered requests, from
	// the first attempt to the answer, backoffs and retries included.
	Latency *metrics.Latency

	Spans  []viz.Span // the trigger, shaded in figures
	Events int64      // engine events the run took

	offeredBy, succeededBy []int64
}

// Amplification is attempts per request: 1 without retries, up to
// MaxRetries+1 in a storm.
func (r *Result) Amplification() float64 { return ratio(r.Attempts, r.Requests) }

// SuccessShare is, per window, the share of the requests offered in that
// window that were answered (by any attempt), as a series in percent. It is
// what the verdict judges. Windows with no requests are left out, and so
// are the last ones, whose requests could still be retrying at the end.
func (r *Result) SuccessShare() *metrics.Series {
	s := metrics.NewSeries("requests answered", "%")
	w := sim.FromDuration(r.Config.Window)
	for i, n := range r.offeredBy[:r.judged()] {
		if n > 0 {
			s.Add(sim.Time(i)*w+w/2, 100*float64(r.succeededBy[i])/float64(n))
		}
	}
	return s
}

// AmplificationSeries is attempts per offered request, per window.
func (r *Result) AmplificationSeries() *metrics.Series {
	s := metrics.NewSeries("retry amplification", "attempts/request")
	a, o := r.Rates.Attempts.Series(), r.Rates.Offered.Series()
	for i := 0; i < a.Len() && i < o.Len(); i++ {
		if o.V[i] > 0 {
			s.Add(a.T[i], a.V[i]/o.V[i])
		}
	}
	return s
}

// ratio is a/b, NaN (printed "n/a") when b is 0.
func ratio(a, b int64) float64 { return metrics.Ratio(a, b) }

// times prints a factor such as the amplification: "2.96×", or "n/a" when
// it is a ratio of nothing.
func times(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", x)
}

// Summary is the table of headline numbers, ending with the verdict.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	dur := c.Duration.Seconds()
	load := fmt.Sprintf("%s load, %g req/s", c.Pattern, c.BaseRate)
	if c.Clients > 0 {
		load = fmt.Sprintf("%d closed-loop clients", c.Clients)
	}
	t := metrics.NewTable(fmt.Sprintf("Retry storm: %s, %d slots, timeout %v, %d retries, backoff %v (seed %d)",
		load, c.Capacity, c.Timeout, c.MaxRetries, c.Backoff, c.Seed), "metric", "value", "per second")
	perSec := func(n int64) float64 { return float64(n) / dur }
	t.Add("requests offered", r.Requests, perSec(r.Requests))
	t.Add("answered in time (goodput)", fmt.Sprintf("%d (%s)", r.Succeeded, metrics.Pct(ratio(r.Succeeded, r.Requests))), perSec(r.Succeeded))
	t.Add("failed", r.Failed, perSec(r.Failed))
	t.Add("attempts (first + retries)", fmt.Sprintf("%d = %d + %d", r.Attempts, r.FirstAttempts, r.Retries), perSec(r.Attempts))
	t.Add("retry amplification", times(r.Amplification()), nil)
	t.Add("server throughput", r.Served, perSec(r.Served))
	t.Add("wasted work", fmt.Sprintf("%d (%s of served)", r.Wasted, metrics.Pct(ratio(r.Wasted, r.Served))), perSec(r.Wasted))
	t.Add("timeouts", r.Timeouts, perSec(r.Timeouts))
	if r.Rejected > 0 || c.MaxQueue > 0 || c.DeadlineAdmission {
		t.Add("rejected by the server", r.Rejected, perSec(r.Rejected))
	}
	if r.Dropped > 0 || c.Cancellation {
		t.Add("abandoned work dropped", r.Dropped, perSec(r.Dropped))
	}
	if c.RetryBudget > 0 {
		t.Add("retries refused by the budget", r.BudgetDenied, nil)
	}
	if c.CircuitBreaker {
		t.Add("failed fast by the breaker", fmt.Sprintf("%d (opened %d×)", r.ShortCircuited, r.BreakerOpened), nil)
	}
	if r.Latency.Count() > 0 {
		t.Add("latency p50 of answered (from 1st attempt)", r.Latency.QuantileCell(0.5), nil)
		t.Add("latency p99 of answered (from 1st attempt)", r.Latency.QuantileCell(0.99), nil)
	}
	t.Add("peak queue", r.Queue.Max(), nil)
	t.Add("held by the server at the end", r.HeldAtEnd, nil)
	if n := r.Latency.ClampNote(); n != "" {
		t.Note("%s", n)
	}
	t.Note("%v", r.Verdict())
	return t
}

// Figures are the lesson's standard plots: the story (offered load,
// attempts, server throughput and goodput), queue and in-service work,
// latency percentiles over time, and the latency distribution.
func (r *Result) Figures() []*viz.Figure {
	return []*viz.Figure{r.StoryFigure(""), r.QueueFigure(""), r.LatencyFigure(""), r.DistributionFigure("")}
}

// prefix names a run's figures; a name distinguishes runs shown together.
func prefix(name string) string {
	if name == "" {
		return "metastable"
	}
	return "metastable-" + viz.Slug(name)
}

func (r *Result) end() sim.Time { return sim.FromDuration(r.Config.Duration) }

func titled(title, name string) string {
	if name == "" {
		return title
	}
	return title + " (" + name + ")"
}

// StoryFigure is offered load, attempts, server throughput and goodput over
// time, with the trigger shaded: the storm is the gap between attempts and
// goodput that stays open after the trigger ends.
func (r *Result) StoryFigure(name string) *viz.Figure {
	rs := r.Rates
	return viz.Lines(viz.Options{Title: titled("Offered load, attempts and goodput", name), YLabel: "requests per second (1/s)",
		Name: prefix(name) + "-story", Spans: r.Spans, End: r.end()},
		rs.Offered.Series(), rs.Attempts.Series(), rs.Throughput.Series(), rs.Goodput.Series())
}

// QueueFigure is the queue length and the requests in service over time.
func (r *Result) QueueFigure(name string) *viz.Figure {
	return viz.Lines(viz.Options{Title: titled("Queue and work in service", name), YLabel: "requests (time-weighted mean per window)",
		Name: prefix(name) + "-queue", Spans: r.Spans, End: r.end()}, r.Queue.Series(), r.InFlight.Series())
}

// LatencyFigure is the client-visible latency percentiles per window. When
// answers stop (a storm that stays, a timeout no request can meet), the
// figure says so rather than fall silent.
func (r *Result) LatencyFigure(name string) *viz.Figure {
	return viz.Bands(viz.Options{Title: titled("Client latency from the first attempt", name), Name: prefix(name) + "-latency", Spans: r.Spans, End: r.end(),
		Note: r.latencyNote()}, r.Latency)
}

// latencyNote says when no request was answered in time for at least the
// last whole window of the run, or at all.
func (r *Result) latencyNote() string {
	w := r.Latency.Windows()
	if len(w) == 0 {
		return fmt.Sprintf("no request was answered in time (%d offered)", r.Requests)
	}
	if last := w[len(w)-1].End; last+sim.FromDuration(r.Config.Window) <= r.end() {
		return fmt.Sprintf("no request was answered in time after t=%v", last.Duration())
	}
	return ""
}

// DistributionFigure is the latency distribution by percentile.
func (r *Result) DistributionFigure(name string) *viz.Figure {
	return viz.PercentileDist(viz.Options{Title: titled("Client latency by percentile", name), Name: prefix(name) + "-percentiles"}, r.Latency)
}

// Compare draws the share of requests answered per window for several runs
// on one plot, with the first run's trigger shaded: storm and recovery side
// by side. names label the runs, one per result.
func Compare(names []string, results ...*Result) (*viz.Figure, error) {
	if len(names) != len(results) || len(results) == 0 {
		return nil, fmt.Errorf("metastable: Compare needs one name per result, got %d names for %d results", len(names), len(results))
	}
	var series []*metrics.Series
	for i, r := range results {
		if r == nil {
			return nil, fmt.Errorf("metastable: Compare: result %d (%q) is nil", i, names[i])
		}
		s := *r.SuccessShare()
		s.Name = names[i]
		series = append(series, &s)
	}
	return viz.Lines(viz.Options{Title: "Share of requests answered in time", YLabel: "requests answered, by arrival window (%)",
		Name: "metastable-compare", Spans: results[0].Spans, End: results[0].end(), YMax: 100}, series...), nil
}

// patience is the longest a request can live: every attempt's timeout and
// the longest backoff before each retry.
func (c Config) patience() time.Duration {
	p := time.Duration(c.MaxRetries+1) * c.Timeout
	for k := 1; k <= c.MaxRetries; k++ {
		p += c.Backoff.Longest(k).Duration()
	}
	return p
}

// CompareTable puts the headline numbers of several runs side by side,
// one column per run, names labelling the columns.
func CompareTable(names []string, results ...*Result) *metrics.Table {
	t, row := describe.SideBySide(names, results)
	row("backoff", func(r *Result) any { return r.Config.Backoff.String() })
	row("retry budget", func(r *Result) any {
		if r.Config.RetryBudget == 0 {
			return "none"
		}
		return metrics.Pct(r.Config.RetryBudget)
	})
	row("requests offered", func(r *Result) any { return r.Requests })
	row("answered in time", func(r *Result) any { return metrics.Pct(ratio(r.Succeeded, r.Requests)) })
	row("retry amplification", func(r *Result) any { return times(r.Amplification()) })
	row("wasted share of served", func(r *Result) any { return metrics.Pct(ratio(r.Wasted, r.Served)) })
	row("peak queue", func(r *Result) any { return r.Queue.Max() })
	row("verdict", func(r *Result) any { return r.Verdict().Outcome.String() })
	row("recovery after the trigger", func(r *Result) any {
		switch v := r.Verdict(); v.Outcome {
		case Recovered:
			return v.RecoveryTime
		case Recovering:
			return "≈ " + v.RecoveryTime.String() + " (expected)"
		}
		return "—"
	})
	return t
}
