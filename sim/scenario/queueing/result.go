package queueing

import (
	"fmt"
	"math"
	"strings"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/viz"
)

// Result is what one run measured. The recorders keep their raw series and
// histograms, for plots of one's own.
type Result struct {
	Config Config // with defaults filled in

	Arrivals   int64 // requests that arrived
	Waited     int64 // arrivals that found every server busy and queued
	Rejected   int64 // arrivals turned away by a full queue
	Completed  int64 // requests that finished with every call successful
	Failed     int64 // requests that ended with a failed dependency call
	InProgress int64 // admitted requests still queued or in service at the end

	DependencyCalls    int64 // calls that went out (retries included)
	DependencyFailures int64 // calls that failed
	Retries            int64 // calls that were retries
	ShortCircuited     int64 // calls refused by an open circuit breaker
	BreakerOpened      int64 // times a breaker opened

	Offered, Throughput, Failures, Rejections *metrics.Rate
	Queue, Busy, InSystem                     *metrics.Gauge
	Wait, Response                            *metrics.Latency

	Spans  []viz.Span // the load pattern's peaks, shaded in figures
	Events int64      // engine events the run took
}

// Utilisation is the time-averaged share of servers busy.
func (r *Result) Utilisation() float64 { return r.Busy.Mean() / float64(r.Config.Servers) }

// MeanHolding is how long a request held its server on average, dependency
// calls and retries included: E[H] of the theory.
func (r *Result) MeanHolding() time.Duration {
	n := r.Completed + r.Failed
	if n == 0 {
		return 0
	}
	// Response = wait + holding for every finished request.
	return (r.Response.Mean() - r.Wait.Mean()).Duration()
}

// Theory returns the M/M/c model of this configuration: λ the base arrival
// rate, μ = 1/E[H] with E[H] the expected holding time computed from the
// configuration (own work, plus each dependency call with its retries and
// backoffs, circuit breaker ignored). It is exact for the Constant pattern
// with exponential holding times and an unbounded queue, and an
// approximation otherwise (see MGCWait). It fails when ρ >= 1.
func (c Config) Theory() (MMC, error) {
	c = c.withDefaults()
	if err := c.Validate(); err != nil {
		return MMC{}, err
	}
	return NewMMC(c.ArrivalRate, 1/c.meanHolding(), c.Servers)
}

// meanHolding is E[H] in seconds: E[S] + D·(E[L]·E[calls] + E[backoff]),
// where a call is retried while it fails, up to MaxRetries times, so
// E[calls] = Σ_{k=0..R} p^k and E[backoff] = Σ_{k=1..R} p^k·E[b_k], with
// b_k the wait before retry k (b·2^{k-1} for the default backoff).
func (c Config) meanHolding() float64 {
	p := c.DependencyFailure
	calls, backoff := 0.0, 0.0
	for k := 0; k <= c.MaxRetries; k++ {
		calls += math.Pow(p, float64(k))
		if k > 0 {
			backoff += math.Pow(p, float64(k)) * c.meanBackoff(k)
		}
	}
	return c.ServiceTime.Mean() + float64(c.Dependencies)*(c.DependencyLatency.Mean()*calls+backoff)
}

// meanBackoff is the mean wait before retry k, in seconds: exact for
// backoff without jitter, and for the jittered kinds the mean of 10,000
// draws from a fixed stream (so it is the same every time).
func (c Config) meanBackoff(k int) float64 {
	b := c.Backoff
	if b.Kind == resilience.NoBackoff || b.Kind == resilience.Exponential && b.Jitter == 0 {
		return b.Delay(k, 0, nil).Seconds()
	}
	r := sim.Stream(c.Seed, "theory/backoff")
	const n = 10_000
	sum := 0.0
	for i := 0; i < n; i++ {
		var prev sim.Time
		for j := 1; j <= k; j++ {
			prev = b.Delay(j, prev, r)
		}
		sum += prev.Seconds()
	}
	return sum / n
}

// holdingCV2 is the squared coefficient of variation of the holding time:
// from the service time's mean and variance without dependency calls, else
// estimated from 100,000 holding times drawn from the configuration (a
// fixed stream, so the estimate is the same every time).
func (c Config) holdingCV2() float64 {
	if c.Dependencies == 0 {
		// The service time alone: its formulas, exact where a sample of
		// heavy-tailed draws is not (+Inf for Pareto with alpha <= 2).
		m := c.ServiceTime.Mean()
		if v := dist.Variance(c.ServiceTime); !math.IsNaN(v) {
			return v / (m * m)
		}
	}
	r := sim.Stream(c.Seed, "theory/holding")
	const n = 100_000
	// Welford's running mean and sum of squared deviations: never negative,
	// unlike Σh²/n - mean², which cancels when the spread is small.
	mean, m2 := 0.0, 0.0
	for i := 0; i < n; i++ {
		h := c.ServiceTime.Sample(r)
		for d := 0; d < c.Dependencies; d++ {
			var wait sim.Time
			for k := 0; ; k++ {
				h += c.DependencyLatency.Sample(r)
				if r.Float64() >= c.DependencyFailure || k >= c.MaxRetries {
					break
				}
				wait = c.Backoff.Delay(k+1, wait, r)
				h += wait.Seconds()
			}
		}
		delta := h - mean
		mean += delta / float64(i+1)
		m2 += delta * (h - mean)
	}
	return m2 / n / (mean * mean)
}

// MGCWait is the Allen–Cunneen approximation of the mean wait of an M/G/c
// queue: Wq(M/M/c)·(1 + Cs²)/2, with Cs² the squared coefficient of
// variation of the holding time. It is exact for c = 1 (Pollaczek–Khinchine)
// and equals Wq for exponential holding (Cs² = 1).
func (c Config) MGCWait() (time.Duration, float64, error) {
	c = c.withDefaults()
	m, err := c.Theory()
	if err != nil {
		return 0, 0, err
	}
	cv2 := c.holdingCV2()
	if !(cv2 >= 0) || math.IsInf(cv2, 0) {
		return 0, cv2, fmt.Errorf("queueing: theory: Cs²=%v of the holding time is not a finite number", cv2)
	}
	return seconds(m.wq() * (1 + cv2) / 2), cv2, nil
}

// exponentialHolding reports whether the holding time is exponential, which
// makes M/M/c theory exact: exponential service and no dependency calls.
func (c Config) exponentialHolding() bool {
	_, ok := c.ServiceTime.(*dist.Exponential)
	return ok && c.Dependencies == 0
}

// Summary is the table of headline numbers, theory beside simulation, with
// Little's law checked in its notes.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	dur := c.Duration.Seconds()
	plural := "s"
	if c.Servers == 1 {
		plural = ""
	}
	t := metrics.NewTable(fmt.Sprintf("Queueing: %s load, %d server%s, %v of virtual time (seed %d)", c.Pattern, c.Servers, plural, c.Duration, c.Seed),
		"metric", "theory (M/M/c)", "simulation")
	m, terr := c.Theory()
	th := func(f func() any) any {
		if terr != nil {
			return "n/a"
		}
		return f()
	}
	finished := r.Completed + r.Failed
	lambda := float64(r.Arrivals) / dur
	t.Add("arrival rate (1/s)", c.ArrivalRate, lambda)
	t.Add("utilisation ρ", th(func() any { return metrics.Pct(m.Rho()) }), metrics.Pct(r.Utilisation()))
	t.Add("P(wait) (Erlang C)", th(func() any { return metrics.Pct(m.ErlangC()) }), metrics.Pct(ratio(r.Waited, r.Arrivals-r.Rejected)))
	t.Add("mean wait Wq", th(func() any { return m.Wq() }), r.Wait.Mean())
	if terr == nil && !c.exponentialHolding() {
		if w, cv2, err := c.MGCWait(); err == nil {
			t.Add(fmt.Sprintf("mean wait, M/G/c (Cs²=%.2f)", cv2), w, r.Wait.Mean())
		}
	}
	t.Add("p95 wait", th(func() any { return m.WaitQuantile(0.95) }), r.Wait.QuantileCell(0.95))
	t.Add("p99 wait", th(func() any { return m.WaitQuantile(0.99) }), r.Wait.QuantileCell(0.99))
	t.Add("mean queue Lq", th(func() any { return m.Lq() }), r.Queue.Mean())
	t.Add("mean holding time", seconds(c.meanHolding()), r.MeanHolding())
	t.Add("mean response W", th(func() any { return m.W() }), r.Response.Mean())
	t.Add("p99 response", nil, r.Response.QuantileCell(0.99))
	t.Add("mean in system L", th(func() any { return m.L() }), r.InSystem.Mean())
	t.Add("completed", nil, r.Completed)
	t.Add("failed", nil, r.Failed)
	t.Add("rejected (queue full)", nil, r.Rejected)
	t.Add("in progress at end", nil, r.InProgress)
	if need, err := ServersNeeded(c.peakPerSec(), 1/c.meanHolding(), c.TargetWait); err == nil {
		t.Add(fmt.Sprintf("servers for Wq ≤ %v at peak", c.TargetWait), need, nil)
	}
	if terr != nil {
		t.Note("Theory n/a: %v", terr)
	} else {
		var why []string
		if c.Pattern != Constant {
			why = append(why, fmt.Sprintf("%s load", c.Pattern))
		}
		if c.MaxQueue > 0 {
			why = append(why, "bounded queue")
		}
		if len(why) > 0 {
			t.Note("Theory is the steady state at the base rate with an unbounded queue; with a %s it is a reference, not a prediction.", strings.Join(why, " and a "))
		}
	}
	// Little's law: L = λW, with λ the rate of requests admitted and W
	// their mean time in the system. It holds for any stable system, which
	// makes it a check on the simulation itself.
	if finished > 0 {
		lw := float64(r.Arrivals-r.Rejected) / dur * r.Response.Mean().Seconds()
		l := r.InSystem.Mean()
		t.Note("Little's law: L = %.4g, λW = %.4g (%.2f%% apart).", l, lw, 100*math.Abs(l-lw)/math.Max(l, 1e-12))
	}
	for _, l := range []*metrics.Latency{r.Wait, r.Response} {
		if n := l.ClampNote(); n != "" {
			t.Note("%s", n)
		}
	}
	return t
}

// ratio is a/b, NaN (printed "n/a") when b is 0.
func ratio(a, b int64) float64 { return metrics.Ratio(a, b) }

// Outcome is the kind of verdict.
type Outcome int

const (
	// Healthy: servers have headroom and requests rarely wait long.
	Healthy Outcome = iota
	// Strained: the system keeps up, but is near saturation: servers at
	// least 85% busy, or the mean wait at least twice the mean holding time.
	Strained
	// Overloaded: the system did not keep up, for the whole run or for a
	// while: at least 1% of requests were rejected, or the queue held more
	// than ten requests per server at the end, or at its peak while the
	// load's peak asked for more than the servers' capacity.
	Overloaded
)

func (o Outcome) String() string {
	return [...]string{"Healthy", "Strained", "Overloaded"}[o]
}

// Verdict is the run's outcome with a one-sentence explanation.
type Verdict struct {
	Outcome Outcome
	Reason  string
}

func (v Verdict) String() string { return v.Outcome.String() + ": " + v.Reason }

// Markdown is the verdict as a notebook shows it: the outcome in bold.
func (v Verdict) Markdown() string { return "**" + v.Outcome.String() + "**: " + v.Reason }

// Verdict judges the run by the thresholds documented on Outcome.
func (r *Result) Verdict() Verdict {
	c := r.Config
	util := r.Utilisation()
	hold := r.MeanHolding()
	wait := r.Wait.Mean().Duration()
	queued := r.InProgress - int64(math.Min(float64(r.InProgress), float64(c.Servers)))
	switch {
	case r.Arrivals > 0 && float64(r.Rejected) >= 0.01*float64(r.Arrivals):
		return Verdict{Overloaded, fmt.Sprintf("%.1f%% of requests were turned away by the full queue (MaxQueue=%d); %d servers are too few for this load.",
			100*float64(r.Rejected)/float64(r.Arrivals), c.MaxQueue, c.Servers)}
	case queued > 10*int64(c.Servers):
		return Verdict{Overloaded, fmt.Sprintf("%d requests were still queued at the end and the servers were %.0f%% busy: arrivals outran service, so the wait kept growing.",
			queued, 100*util)}
	case c.peakRho() >= 1 && r.Queue.Max() > 10*float64(c.Servers):
		end := "had drained by the end"
		if queued > 0 {
			end = fmt.Sprintf("still held %d at the end", queued)
		}
		return Verdict{Overloaded, fmt.Sprintf("the queue peaked at %.0f requests (%.0f per server) while arrivals outran the servers, and %s; requests waited %v on average.",
			r.Queue.Max(), r.Queue.Max()/float64(c.Servers), end, round(wait))}
	case util >= 0.85 || (hold > 0 && wait >= 2*hold):
		return Verdict{Strained, fmt.Sprintf("servers were %.0f%% busy and requests waited %v on average%s: near saturation, a little more load makes waits explode.",
			100*util, round(wait), perHolding(wait, hold))}
	}
	return Verdict{Healthy, fmt.Sprintf("servers were %.0f%% busy and requests waited %v on average%s.",
		100*util, round(wait), perHolding(wait, hold))}
}

// perHolding puts the mean wait against the mean holding time, " (0.4×
// their holding time)", or says nothing when no request finished to give
// a holding time.
func perHolding(wait, hold time.Duration) string {
	if hold <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%.1f× their holding time)", wait.Seconds()/hold.Seconds())
}

// peakPerSec is the highest arrival rate of the load pattern, per second.
func (c Config) peakPerSec() float64 {
	if c.Pattern == Constant {
		return c.ArrivalRate
	}
	return c.ArrivalRate * c.Multiplier
}

// peakRho is the utilisation the load pattern's peak asks of the servers.
func (c Config) peakRho() float64 {
	return c.peakPerSec() * c.meanHolding() / float64(c.Servers)
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
