package elastic

import (
	"cmp"
	"fmt"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/service"
)

// Deploy is what serves the load: an autoscaled group of servers or a
// serverless function.
type Deploy string

// The deployments.
const (
	Servers  Deploy = "servers"  // a group of servers behind a balancer, sized by an autoscaler
	Function Deploy = "function" // a serverless function on a platform with a concurrency limit
)

// Deploys lists the deployments.
func Deploys() []Deploy { return []Deploy{Servers, Function} }

// Patterns lists the load patterns the lesson offers (service.Pattern's
// names).
func Patterns() []service.Pattern {
	return []service.Pattern{service.Constant, service.Ramp, service.RampUpDown, service.Spike, service.Diurnal}
}

// Config is one elasticity experiment; start from Default. A zero field
// takes its default, except where the knob table says what zero means.
// KnobTable lists every knob.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Deploy is what serves the load.
	Deploy Deploy

	// Pattern is the load's shape over the run: Rate outside Surge and up
	// to Peak in it (ramp, ramp-up-down, spike), or a cosine day between
	// Rate and Peak over the run (diurnal). Requests arrive as a Poisson
	// stream at that rate.
	Pattern    service.Pattern
	Rate, Peak float64
	Surge      sim.Window
	// Users, when positive, replaces the open load by a closed one: that
	// many users, each sending a request, waiting for its answer and
	// thinking for a draw from Think (a load tester's threads, as in
	// Gorton's cost study); its throughput falls when responses slow.
	Users int
	Think dist.Dist
	// Service is a request's work, on a server slot or a function
	// instance alike.
	Service dist.Dist

	// Slots is the requests a server instance serves at once.
	Slots int
	// Policy, ScaleOutAt, ScaleInAt, Step, InStep, Min, Max, Initial,
	// Period, Warmup and Cooldown set the autoscaler (service.Autoscaler):
	// InStep is step scaling's scale-in size (zero: Step).
	Policy                service.ScalingPolicy
	ScaleOutAt, ScaleInAt float64
	Step, InStep          int
	Min, Max, Initial     int
	Period                time.Duration
	Warmup, Cooldown      time.Duration

	// Memory, ColdStart and KeepAlive set the function
	// (service.Function); Burst and Growth its platform's concurrency
	// limit; Reserved its reserved concurrency.
	Memory                  int
	ColdStart               dist.Dist
	KeepAlive               time.Duration
	Burst, Growth, Reserved int
	// Limit caps the platform's concurrency (an account's quota); zero is
	// no cap but the burst when Growth is zero.
	Limit int
	// Neighbour is the rate of a second, unreserved function on the same
	// platform, with the same work; zero is none.
	Neighbour float64

	// SLO is the p99 a window must meet: the verdict counts the windows
	// above it.
	SLO time.Duration
	// Duration is the run's length; Window the width of the metric
	// windows.
	Duration, Window time.Duration
}

// Limits beyond the knobs' ranges: requests bound a run's wall time (a
// million take about a second), windows its figures.
const (
	maxInstances = 200
	maxRequests  = 5_000_000
	maxWindows   = 2000
	maxSpan      = 48 * time.Hour
	// oscillating is the reversals from which a group is called
	// oscillating: out, in, out again and in.
	oscillating = 3
)

var knobs = scenario.NewTable("elastic", Config{}, nil,
	scenario.OneOf("Deploy", "what serves the load: an autoscaled server group or a serverless function", string(Servers), describe.Strings(Deploys())...),
	scenario.OneOf("Pattern", "the load's shape over the run", string(service.RampUpDown), describe.Strings(Patterns())...).OnlyWith("Users", "0"),
	scenario.Num("Rate", "req/s", "requests a second outside the surge (the diurnal night)", 20, 0.01, 100_000).OnlyWith("Users", "0"),
	scenario.Num("Peak", "req/s", "requests a second at the surge's top (the diurnal noon)", 80, 0.01, 100_000).OnlyWith("Users", "0"),
	scenario.Dur("Surge.Start", "when the ramp or spike starts", 10*time.Minute, 0, maxSpan).OnlyWith("Users", "0").OnlyWith("Pattern", string(service.Ramp), string(service.RampUpDown), string(service.Spike)),
	scenario.Dur("Surge.Duration", "how long the ramp or spike lasts", 60*time.Minute, time.Second, maxSpan).ZeroMeans("to the end").OnlyWith("Users", "0").OnlyWith("Pattern", string(service.Ramp), string(service.RampUpDown), string(service.Spike)),
	scenario.Int("Users", "users", "closed load instead: users who each send, wait for the answer, think, send again", 0, 1, 100_000).ZeroMeans("open load (Pattern)"),
	scenario.Distribution("Think", "a closed load's user's pause between an answer and the next request", "exp(1s)", 0, time.Hour).OnlyWithout("Users", "0"),
	scenario.Distribution("Service", "a request's work on a server slot or a function instance", "exp(200ms)", time.Microsecond, time.Hour),
	scenario.Int("Slots", "requests", "requests a server instance serves at once", 2, 1, 1000).OnlyWith("Deploy", string(Servers)),
	scenario.OneOf("Policy", "how the autoscaler sizes the group", string(service.TargetTracking), describe.Strings(service.ScalingPolicies())...).OnlyWith("Deploy", string(Servers)),
	scenario.Num("ScaleOutAt", "share", "utilisation above which the group grows (the target)", 0.7, 0.05, 1).Alias("target").OnlyWith("Deploy", string(Servers)),
	scenario.Num("ScaleInAt", "share", "utilisation below which the group shrinks", 0.4, 0.01, 0.99).OnlyWith("Deploy", string(Servers)),
	scenario.Int("Step", "instances", "instances step scaling adds (and removes) per action", 1, 1, maxInstances).OnlyWith("Deploy", string(Servers)).OnlyWith("Policy", string(service.StepScaling)),
	scenario.Int("InStep", "instances", "instances step scaling removes per action", 0, 1, maxInstances).ZeroMeans("Step").OnlyWith("Deploy", string(Servers)).OnlyWith("Policy", string(service.StepScaling)),
	scenario.Int("Min", "instances", "fewest instances the group runs", 4, 1, maxInstances).OnlyWith("Deploy", string(Servers)),
	scenario.Int("Max", "instances", "most instances the group may run", 20, 1, maxInstances).OnlyWith("Deploy", string(Servers)),
	scenario.Int("Initial", "instances", "instances serving at the start", 0, 1, maxInstances).ZeroMeans("Min").OnlyWith("Deploy", string(Servers)),
	scenario.Dur("Period", "how often the autoscaler reads the utilisation", time.Minute, time.Second, time.Hour).OnlyWith("Deploy", string(Servers)),
	scenario.Dur("Warmup", "from an instance's launch to its first request (billed)", 3*time.Minute, 0, time.Hour).ZeroMeans("none").OnlyWith("Deploy", string(Servers)),
	scenario.Dur("Cooldown", "after a scaling action, how long no other is taken", 3*time.Minute, 0, 24*time.Hour).ZeroMeans("none").OnlyWith("Deploy", string(Servers)),
	scenario.Int("Memory", "MB", "the function's memory: prices its GB-seconds", 1024, 128, 10240).OnlyWith("Deploy", string(Function)),
	scenario.Distribution("ColdStart", "a new function instance's start-up", "lognormal(400ms, 0.5)", 0, time.Minute).OnlyWith("Deploy", string(Function)),
	scenario.Dur("KeepAlive", "how long an idle function instance is kept", 10*time.Minute, time.Second, 24*time.Hour).OnlyWith("Deploy", string(Function)),
	scenario.Int("Burst", "calls", "the platform's concurrency at first (Gorton: 1000 to 3000 by region)", 1000, 1, service.MaxInstances).OnlyWith("Deploy", string(Function)),
	scenario.Int("Growth", "calls/min", "concurrency the platform adds each minute after the first throttle (Gorton: 500)", 500, 1, service.MaxInstances).ZeroMeans("no growth, the burst is the limit").OnlyWith("Deploy", string(Function)),
	scenario.Int("Limit", "calls", "the platform's concurrency cap, an account's quota (Gorton: negotiable)", 0, 1, service.MaxInstances).ZeroMeans("no cap").OnlyWith("Deploy", string(Function)),
	scenario.Int("Reserved", "calls", "the function's reserved concurrency, set aside from the platform's", 0, 1, service.MaxInstances).ZeroMeans("none").OnlyWith("Deploy", string(Function)),
	scenario.Num("Neighbour", "req/s", "requests a second to a second, unreserved function on the platform", 0, 0.01, 100_000).ZeroMeans("none").OnlyWith("Deploy", string(Function)),
	scenario.Dur("SLO", "the p99 a window must meet", 2*time.Second, time.Millisecond, time.Hour),
	scenario.Dur("Duration", "the run's length in virtual time", 80*time.Minute, time.Minute, maxSpan),
	scenario.Dur("Window", "width of the metric windows", 0, time.Second, time.Hour).DerivedFrom("Duration/120"),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the defaults: a group of 4 to 20 servers of 2 slots
// (exp(200ms) a request: 10 requests a second each at full use), target
// tracking at 70% (scale-in below 40%), instances warming up for 3
// minutes, a 3-minute cooldown; a load rising from 20 to 80 requests a
// second and back over an hour from 10m, for 80 minutes.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default", then those
// derived from others.
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	if c.Window == 0 {
		c.Window = c.Duration / 120
	}
	c.Initial = cmp.Or(c.Initial, c.Min)
	return c
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

func (c Config) rules() error {
	surge := c.Pattern == service.Ramp || c.Pattern == service.RampUpDown || c.Pattern == service.Spike
	switch {
	case c.ScaleInAt >= c.ScaleOutAt:
		return bad("ScaleInAt", c.ScaleInAt, fmt.Sprintf("must be below ScaleOutAt=%v", c.ScaleOutAt))
	case c.Max < c.Min:
		return bad("Max", c.Max, fmt.Sprintf("must be at least Min=%d", c.Min))
	case c.Initial < c.Min || c.Initial > c.Max:
		return bad("Initial", c.Initial, fmt.Sprintf("must be between Min=%d and Max=%d", c.Min, c.Max))
	case c.Limit > 0 && c.Limit < c.Burst:
		return bad("Limit", c.Limit, fmt.Sprintf("must be at least Burst=%d (0: no cap)", c.Burst))
	case c.Reserved > 0 && c.Reserved >= c.limit():
		return bad("Reserved", c.Reserved, fmt.Sprintf("must be below the platform's limit %d, or the neighbour has none", c.limit()))
	case surge && c.Surge.Start >= c.Duration:
		return bad("Surge.Start", c.Surge.Start, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Users > 0 && float64(c.Users)/max(c.Think.Mean(), c.Service.Mean()/float64(c.Slots*c.Max))*c.Duration.Seconds() > maxRequests:
		return bad("Users", c.Users, fmt.Sprintf("may send up to %.3g requests over Duration=%v; at most %d (fewer users, longer Think or a shorter run)",
			float64(c.Users)/max(c.Think.Mean(), c.Service.Mean()/float64(c.Slots*c.Max))*c.Duration.Seconds(), c.Duration, maxRequests))
	case (max(c.Rate, c.Peak)+c.Neighbour)*c.Duration.Seconds() > maxRequests:
		return bad("Duration", c.Duration, fmt.Sprintf("brings up to %.3g requests at %.4g a second; at most %d (shorten it, or lower Rate, Peak or Neighbour)",
			(max(c.Rate, c.Peak)+c.Neighbour)*c.Duration.Seconds(), max(c.Rate, c.Peak)+c.Neighbour, maxRequests))
	}
	return nil
}

// limit is the platform's concurrency cap: Limit, or the burst when it
// never grows.
func (c Config) limit() int {
	switch {
	case c.Limit > 0:
		return c.Limit
	case c.Growth == 0:
		return c.Burst
	}
	return service.MaxInstances
}

// InstanceRate is the requests a second a server instance serves at full
// use: Slots over the mean work.
func (c Config) InstanceRate() float64 {
	c = c.withDefaults()
	if c.Service == nil || !(c.Service.Mean() > 0) {
		return 0
	}
	return float64(c.Slots) / c.Service.Mean()
}

// Needed is the instances that serve rate requests a second at the target
// utilisation ScaleOutAt: what target tracking aims for, the capacity
// plan's ceil(λ·S / (slots·target)).
func (c Config) Needed(rate float64) int {
	c = c.withDefaults()
	per := c.InstanceRate() * c.ScaleOutAt
	if !(per > 0) {
		return 0
	}
	n := int(rate/per - 1e-9)
	if float64(n)*per < rate {
		n++
	}
	return max(n, 1)
}
