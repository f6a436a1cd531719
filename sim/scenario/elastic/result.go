package elastic

import (
	"fmt"
	"math"
	"time"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/service"
	"dsim/sim/viz"
)

// Result is what a run produced: the requests' response times, the
// capacity that served them and what it cost.
type Result struct {
	Config Config // with defaults filled in

	Requests int64 // requests that arrived
	Answered int64 // requests answered
	Failed   int64 // requests throttled (a function over its limit)
	// Latency is each answered request's time from its arrival to its
	// answer: queueing, cold start and work.
	Latency          *metrics.Latency
	Offered, Goodput *metrics.Rate // requests arrived and answered, per window

	Group     *GroupStats    // the server group; nil for a function
	Fn        *FunctionStats // the function; nil for a server group
	Neighbour *FunctionStats // the neighbouring function, when Neighbour is set

	// InstanceHours is the instances billed (a group's, warming ones
	// included) or kept (a function's, busy and idle) over the run.
	InstanceHours float64
	// Bill is the run priced at service.ListPrices.
	Bill service.Bill

	Spans  []viz.Span // the surge, shaded in figures
	Events int64      // events the engine ran
	Table  *metrics.Table
}

// GroupStats is the autoscaled group's part of the run.
type GroupStats struct {
	Instances, Serving *metrics.Gauge // billed, and taking requests
	Utilisation        *metrics.Series
	Launches           int64
	Terminations       int64
	Reversals          int64 // scaling actions opposite to the one before
}

// FunctionStats is a function's part of the run.
type FunctionStats struct {
	Name                   string
	Calls, Throttled       int64
	Throttles              *metrics.Rate
	Concurrency, Instances *metrics.Gauge // calls in progress; instances busy and idle
	ColdStarts, WarmStarts int64
	GBSeconds              float64
	// FirstThrottle is when the platform first throttled a call (any
	// function's), when PlatformThrottled.
	FirstThrottle     time.Duration
	PlatformThrottled bool
}

// ColdShare is the share of the calls that ran which started an instance.
func (f *FunctionStats) ColdShare() float64 {
	return metrics.Ratio(f.ColdStarts, f.ColdStarts+f.WarmStarts)
}

// Dollars is what the run cost at list prices.
func (r *Result) Dollars() float64 { return r.Bill.Total }

// Throughput is the requests answered a second over the run.
func (r *Result) Throughput() float64 { return float64(r.Answered) / r.Config.Duration.Seconds() }

// P99 is the 99th percentile of the answered requests' response time.
func (r *Result) P99() time.Duration { return r.Latency.Quantile(0.99).Duration() }

// ThrottledShare is the share of the requests throttled.
func (r *Result) ThrottledShare() float64 { return metrics.Ratio(r.Failed, r.Requests) }

// SlowWindows counts the windows whose p99 was above the SLO, and gives
// the worst window's p99 and when that window was.
func (r *Result) SlowWindows() (n int, worst time.Duration, at time.Duration) {
	p := r.Latency.Percentile(0.99)
	slo := r.Config.SLO.Seconds()
	for i, v := range p.V {
		if v > slo {
			n++
		}
		if d := time.Duration(v * float64(time.Second)); d > worst {
			worst, at = d, p.T[i].Duration()
		}
	}
	return n, worst, at
}

// PeakNeeded is the instances the Peak rate needs at the target
// utilisation, the size of a group provisioned for the peak.
func (r *Result) PeakNeeded() int { return r.Config.Needed(max(r.Config.Rate, r.Config.Peak)) }

// FixedDollars is what a group of PeakNeeded servers, never scaled, would
// cost over the run: capacity planned for the peak.
func (r *Result) FixedDollars() float64 {
	return float64(r.PeakNeeded()) * r.Config.Duration.Hours() * service.ListPrices().InstanceHour
}

// NeededSeries is, per window, the instances the offered rate of that
// window needs at the target utilisation: what target tracking aims for.
func (r *Result) NeededSeries() *metrics.Series {
	s := metrics.NewSeries(fmt.Sprintf("needed at %v busy", metrics.Pct(r.Config.ScaleOutAt)), "instances")
	o := r.Offered.Series()
	for i, t := range o.T {
		s.Add(t, float64(r.Config.Needed(o.V[i])))
	}
	return s
}

// CeilingSeries is, per window, the concurrency the platform allowed the
// unreserved functions at the window's end: Burst plus Growth each whole
// minute from the first throttle, less the reserve. Nil for a group.
func (r *Result) CeilingSeries() *metrics.Series {
	if r.Fn == nil {
		return nil
	}
	c := r.Config
	limit := int64(c.limit())
	s := metrics.NewSeries("platform limit (unreserved)", "calls")
	first := sim.FromDuration(r.Fn.FirstThrottle)
	half := sim.FromDuration(c.Window) / 2
	for _, t := range r.Offered.Series().T {
		v, end := c.Burst, min(t+half, sim.FromDuration(c.Duration))-1
		if r.Fn.PlatformThrottled && end >= first {
			minutes := int64((end - first) / sim.FromDuration(time.Minute))
			v = int(min(limit, int64(c.Burst)+minutes*int64(c.Growth)))
		}
		s.Add(t, float64(v-c.Reserved))
	}
	return s
}

// Summary is the table of headline numbers.
func (r *Result) Summary() *metrics.Table {
	c := r.Config
	t := metrics.NewTable(fmt.Sprintf("Elasticity: %s, %s (seed %d)", r.deployText(), c.loadText(), c.Seed), "metric", "value")
	t.Add("requests (answered, throttled)", fmt.Sprintf("%d (%d, %d); %.4g answered a second", r.Requests, r.Answered, r.Failed, r.Throughput()))
	n, worst, at := r.SlowWindows()
	t.Add("response time: mean, p99", fmt.Sprintf("%v, %v", short(r.Latency.Mean().Duration()), short(r.P99())))
	t.Add(fmt.Sprintf("windows with p99 above the SLO %v; worst", c.SLO), fmt.Sprintf("%d of %d; %v at %v", n, r.Latency.Percentile(0.99).Len(), short(worst), at.Round(time.Second)))
	if g := r.Group; g != nil {
		t.Add("instances: most, launched, terminated, reversals", fmt.Sprintf("%.0f, %d, %d, %d", g.Instances.Max(), g.Launches, g.Terminations, g.Reversals))
		t.Add("instance-hours", fmt.Sprintf("%.2f", r.InstanceHours))
		t.Add(fmt.Sprintf("a fixed group of %d for the peak would cost", r.PeakNeeded()), fmt.Sprintf("$%.3f (this run: %.0f%% of it)", r.FixedDollars(), 100*r.Dollars()/r.FixedDollars()))
	}
	if f := r.Fn; f != nil {
		t.Add("cold starts", fmt.Sprintf("%d of %d (%v)", f.ColdStarts, f.ColdStarts+f.WarmStarts, metrics.Pct(f.ColdShare())))
		t.Add("most calls at once; instance-hours kept", fmt.Sprintf("%.0f; %.2f", f.Concurrency.Max(), r.InstanceHours))
		t.Add("GB-seconds", fmt.Sprintf("%.0f", f.GBSeconds))
		if f.PlatformThrottled {
			t.Add("first throttle", f.FirstThrottle.Round(time.Millisecond))
		}
	}
	if nb := r.Neighbour; nb != nil {
		t.Add("neighbour: calls, throttled, most at once", fmt.Sprintf("%d, %d (%v), %.0f", nb.Calls, nb.Throttled, metrics.Pct(metrics.Ratio(nb.Throttled, nb.Calls)), nb.Concurrency.Max()))
	}
	t.Add("cost at list prices", fmt.Sprintf("$%.4f", r.Dollars()))
	t.Note("%v", r.Verdict())
	return t
}

// loadText names the load: "ramp-up-down load 20→80 req/s", "100 users
// thinking exp(1s)".
func (c Config) loadText() string {
	if c.Users > 0 {
		return fmt.Sprintf("%d users thinking %v", c.Users, c.Think)
	}
	if c.Pattern == service.Constant {
		return fmt.Sprintf("constant load %g req/s", c.Rate)
	}
	return fmt.Sprintf("%s load %g→%g req/s", c.Pattern, c.Rate, c.Peak)
}

func (r *Result) deployText() string {
	c := r.Config
	if c.Deploy == Function {
		s := fmt.Sprintf("a function of %d MB (burst %d, +%d/min", c.Memory, c.Burst, c.Growth)
		if c.Limit > 0 {
			s += fmt.Sprintf(", up to %d", c.Limit)
		}
		s += ")"
		if c.Reserved > 0 {
			s += fmt.Sprintf(", %d reserved", c.Reserved)
		}
		return s
	}
	s := fmt.Sprintf("%d–%d servers, %s at %v", c.Min, c.Max, c.Policy, metrics.Pct(c.ScaleOutAt))
	return s + fmt.Sprintf(", warm-up %v, cooldown %v", c.Warmup, c.Cooldown)
}

// short rounds d to about four significant digits.
func short(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for x := d; x >= 10_000; x /= 10 {
		unit *= 10
	}
	return d.Round(unit)
}

var nan = math.NaN()

func roundTo(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
