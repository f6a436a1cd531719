package queueing

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Pattern is the shape of the offered load over the run.
type Pattern string

// The six load patterns of the capacity planner. Multiplier sets how high
// each goes above the base rate.
const (
	Constant   Pattern = "constant"     // the base rate throughout
	RampUp     Pattern = "ramp-up"      // linear from base to base×Multiplier
	RampUpDown Pattern = "ramp-up-down" // up to base×Multiplier at mid-run, then down
	Spike      Pattern = "spike"        // base×Multiplier in the Spike window
	Diurnal    Pattern = "diurnal"      // a cosine day between base and base×Multiplier
	Bursty     Pattern = "bursty"       // random bursts at base×Multiplier (exponential lengths)
)

// Patterns lists the load patterns in the order the lesson presents them.
func Patterns() []Pattern { return []Pattern{Constant, RampUp, RampUpDown, Spike, Diurnal, Bursty} }

// Limits beyond what the knob table bounds: past them a run is a mistake,
// not an experiment.
const (
	maxServers = 100_000
	maxWindows = 100_000
	maxBursts  = 1_000_000
	// maxHeld bounds the requests in the system (in service and waiting).
	// An unbounded queue under a load beyond the servers grows without
	// limit; the run stops with an error naming this limit, at a few
	// hundred megabytes, rather than eat the machine's memory.
	maxHeld = 2_000_000
)

// Config is one capacity-planning experiment. Default() holds the capacity
// planner's values, and a zero field takes its default, except where the
// knob table says what zero means (no dependencies, no retries, an
// unbounded queue). KnobTable() lists every knob with its unit, default and
// range.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64

	// Duration is the length of the run in virtual time.
	Duration time.Duration
	// ArrivalRate is the base rate of requests per second (Poisson). The
	// capacity planner's per-minute rates read as 60/min on the command
	// line.
	ArrivalRate float64
	// Pattern shapes the load over time.
	Pattern Pattern
	// Multiplier is the peak of the non-constant patterns relative to the
	// base rate.
	Multiplier float64
	// Spike places the Spike pattern's peak. Zeros mean from 40% of
	// Duration, for 20% of it.
	Spike sim.Window
	// DiurnalPeriod is the length of one "day" of the Diurnal pattern.
	// Zero means Duration (one day per run).
	DiurnalPeriod time.Duration
	// BurstMean is the mean length of a burst of the Bursty pattern; calm
	// spells between bursts last four times as long on average. Zero means
	// Duration/30.
	BurstMean time.Duration

	// Servers is the number of requests served at once (c).
	Servers int
	// ServiceTime is each request's own work, as a distribution of
	// durations; exponential by default, so that M/M/c theory is exact for
	// the default run.
	ServiceTime dist.Dist
	// MaxQueue bounds the requests waiting for a server; an arrival that
	// finds it full is rejected.
	MaxQueue int

	// Dependencies is the number of downstream calls each request makes, one
	// after another, while holding its server.
	Dependencies int
	// DependencyLatency is the latency of one call.
	DependencyLatency dist.Dist
	// DependencyFailure is the probability that a call fails.
	DependencyFailure float64
	// MaxRetries is how many times a failed call is retried; a request
	// whose call still fails ends as failed.
	MaxRetries int
	// Backoff is the wait before each retry of a failed call: by default
	// 100ms, doubled for each further retry, with no jitter.
	Backoff resilience.Backoff

	// CircuitBreaker, when on, guards each dependency: after
	// Breaker.Threshold of the last Breaker.Window calls failed, calls fail
	// at once (no latency, server freed fast) for Breaker.Cooldown, then
	// one trial call decides whether to close again.
	CircuitBreaker bool
	Breaker        resilience.BreakerConfig

	// TargetWait is the mean wait in queue the "servers needed" line of the
	// summary plans for.
	TargetWait time.Duration
	// Window is the width of the metric windows. Zero means Duration/120.
	Window time.Duration
}

// knobs is the single source of Config's defaults, ranges, flags and
// sweep knobs. The ranges keep every product a run computes (backoffs
// doubled per retry, the spike's end, window and burst counts) far from
// overflow.
var knobs = scenario.NewTable("queueing", Config{}, nil,
	scenario.Dur("Duration", "the run's length in virtual time", 5*time.Minute, time.Second, 10_000*time.Hour),
	scenario.Num("ArrivalRate", "req/s", "base arrival rate (Poisson); 60/min reads as 1", 1, 1e-6, 1e7).Alias("rate"),
	scenario.OneOf("Pattern", "shape of the load over time", string(Constant), describe.Strings(Patterns())...),
	scenario.Num("Multiplier", "×", "peak of a non-constant pattern against the base rate", 3, 1, 1000).OnlyWithout("Pattern", string(Constant)),
	scenario.Dur("Spike.Start", "when the spike pattern's peak begins", 0, 0, 10_000*time.Hour).DerivedFrom("40% of Duration").OnlyWith("Pattern", string(Spike)),
	scenario.Dur("Spike.Duration", "how long the spike lasts", 0, time.Millisecond, 10_000*time.Hour).DerivedFrom("20% of Duration").OnlyWith("Pattern", string(Spike)),
	scenario.Dur("DiurnalPeriod", "length of one day of the diurnal pattern", 0, time.Second, 10_000*time.Hour).DerivedFrom("Duration").OnlyWith("Pattern", string(Diurnal)),
	scenario.Dur("BurstMean", "mean length of a burst of the bursty pattern", 0, time.Millisecond, 10_000*time.Hour).DerivedFrom("Duration/30").OnlyWith("Pattern", string(Bursty)),
	scenario.Int("Servers", "servers", "requests served at once (c)", 5, 1, maxServers),
	scenario.Distribution("ServiceTime", "each request's own work", "exp(500ms)", time.Microsecond, time.Hour).Alias("service"),
	scenario.Int("MaxQueue", "requests", "bound on waiting requests (rejections beyond it)", 0, 1, maxHeld).ZeroMeans("unbounded"),
	scenario.Int("Dependencies", "calls", "downstream calls per request, one after another", 2, 1, 100).ZeroMeans("none").Alias("deps"),
	scenario.Distribution("DependencyLatency", "latency of one dependency call", "exp(100ms)", 0, time.Hour).Alias("dep-latency").OnlyWithout("Dependencies", "0"),
	scenario.Num("DependencyFailure", "share", "probability that a dependency call fails", 0.01, 0, 1).ZeroMeans("never").Alias("dep-failure").OnlyWithout("Dependencies", "0"),
	scenario.Int("MaxRetries", "retries", "retries of a failed dependency call", 0, 1, 20).ZeroMeans("no retries").Alias("retries").OnlyWithout("Dependencies", "0").OnlyWithout("DependencyFailure", "0"),
	scenario.OneOf("Backoff.Kind", "the wait before each retry", string(resilience.Exponential), describe.Strings(resilience.BackoffKinds())...).Alias("backoff").OnlyWithout("Dependencies", "0").OnlyWithout("MaxRetries", "0"),
	scenario.Dur("Backoff.Base", "the first retry's wait", 100*time.Millisecond, time.Microsecond, time.Hour).Alias("retry-backoff").OnlyWithout("Dependencies", "0").OnlyWithout("MaxRetries", "0").OnlyWithout("Backoff.Kind", string(resilience.NoBackoff)),
	scenario.Dur("Backoff.Cap", "the longest wait", 10*time.Second, time.Microsecond, 24*time.Hour).OnlyWithout("Dependencies", "0").OnlyWithout("MaxRetries", "0").OnlyWithout("Backoff.Kind", string(resilience.NoBackoff)),
	scenario.Num("Backoff.Jitter", "share", "exponential backoff's jitter, ± share", 0, 0, 1).ZeroMeans("no jitter").Alias("jitter").OnlyWithout("Dependencies", "0").OnlyWithout("MaxRetries", "0").OnlyWith("Backoff.Kind", string(resilience.Exponential)),
	scenario.Bool("CircuitBreaker", "guard each dependency with a circuit breaker", false).Alias("breaker").OnlyWithout("Dependencies", "0"),
	scenario.Num("Breaker.Threshold", "share", "share of failed calls that opens the breaker", 0.5, 0.01, 1).OnlyWithout("Dependencies", "0").OnlyWith("CircuitBreaker", "on"),
	scenario.Int("Breaker.Window", "calls", "calls the breaker remembers", 20, 1, 10_000).OnlyWithout("Dependencies", "0").OnlyWith("CircuitBreaker", "on"),
	scenario.Dur("Breaker.Cooldown", "how long the breaker stays open", 5*time.Second, time.Millisecond, time.Hour).OnlyWithout("Dependencies", "0").OnlyWith("CircuitBreaker", "on"),
	scenario.Dur("TargetWait", "mean wait the servers-needed line plans for", 100*time.Millisecond, time.Microsecond, time.Hour),
	scenario.Dur("Window", "width of the metric windows", 0, time.Millisecond, 100*time.Hour).DerivedFrom("Duration/120"),
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the capacity planner's defaults: 60 requests a minute on
// 5 servers with 0.5 s exponential service, 2 dependencies at 100 ms with
// 1% failures, for 5 minutes.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default", then those
// worked out from the run's length.
func (c Config) withDefaults() Config {
	_ = knobs.Fill(&c)
	if c.Spike.Start == 0 {
		c.Spike.Start = c.Duration * 2 / 5
	}
	if c.Spike.Duration == 0 {
		c.Spike.Duration = c.Duration / 5
	}
	c.DiurnalPeriod = cmp.Or(c.DiurnalPeriod, c.Duration)
	if c.BurstMean == 0 {
		c.BurstMean = c.Duration / 30
	}
	if c.Window == 0 {
		c.Window = c.Duration / 120
	}
	return c
}

func bad(field string, value any, why string) error { return describe.Bad(knobs, field, value, why) }

// Validate reports the first field that cannot work, naming it, its value
// and the limit: the knobs' ranges first, then the rules across fields.
func (c Config) Validate() error { return describe.Validate(knobs, c.withDefaults(), Config.rules) }

// rules reports the first rule across fields that c, filled and with its
// knobs in range, breaks.
func (c Config) rules() error {
	switch {
	case c.Spike.Start >= c.Duration:
		return bad("Spike.Start", c.Spike.Start, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Pattern == Bursty && c.Duration/c.BurstMean > maxBursts/5:
		return bad("BurstMean", c.BurstMean, fmt.Sprintf("gives more than %d bursts over Duration=%v", maxBursts, c.Duration))
	case c.Backoff.Cap < c.Backoff.Base:
		return bad("Backoff.Cap", c.Backoff.Cap, fmt.Sprintf("is shorter than Backoff.Base=%v", c.Backoff.Base))
	}
	return nil
}

func (p Pattern) known() bool { return slices.Contains(Patterns(), p) }

// ParsePattern reads a pattern name, for flags and scripts.
func ParsePattern(s string) (Pattern, error) {
	p := Pattern(s)
	if !p.known() {
		return "", bad("Pattern", fmt.Sprintf("%q", s), fmt.Sprintf("unknown load pattern (want one of %v)", Patterns()))
	}
	return p, nil
}
