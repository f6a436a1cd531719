package queueing

import (
	"fmt"
	"math"
	"slices"
	"time"

	"dsim/sim/dist"
)

// Pattern is the shape of the offered load over the run.
type Pattern string

// The six load patterns of the capacity planner. Multiplier sets how high
// each goes above the base rate.
const (
	Constant   Pattern = "constant"     // the base rate throughout
	RampUp     Pattern = "ramp-up"      // linear from base to base×Multiplier
	RampUpDown Pattern = "ramp-up-down" // up to base×Multiplier at mid-run, then down
	Spike      Pattern = "spike"        // base×Multiplier from SpikeStart for SpikeDuration
	Diurnal    Pattern = "diurnal"      // a cosine day between base and base×Multiplier
	Bursty     Pattern = "bursty"       // random bursts at base×Multiplier (exponential lengths)
)

// Patterns lists the load patterns in the order the lesson presents them.
func Patterns() []Pattern { return []Pattern{Constant, RampUp, RampUpDown, Spike, Diurnal, Bursty} }

// Limits on the knobs: beyond them a run is a mistake, not an experiment.
const (
	maxServers      = 100_000
	maxDuration     = 10_000 * time.Hour
	maxWindows      = 100_000
	maxArrivalPerMn = 1e9
)

// Config is one capacity-planning experiment. Fields marked "zero means
// default" take the value Default() documents when left zero; counts and
// rates whose zero is meaningful (no dependencies, no retries, unbounded
// queue) keep it.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64

	// Duration is the length of the run in virtual time. Zero means 5 min.
	Duration time.Duration
	// ArrivalPerMinute is the base rate of requests (Poisson). Required, > 0;
	// Default() sets 60.
	ArrivalPerMinute float64
	// Pattern shapes the load over time. Empty means Constant.
	Pattern Pattern
	// Multiplier is the peak of the non-constant patterns relative to the
	// base rate, at least 1. Zero means 3.
	Multiplier float64
	// SpikeStart and SpikeDuration place the Spike pattern's peak. Zero
	// means 40% and 20% of Duration.
	SpikeStart, SpikeDuration time.Duration
	// DiurnalPeriod is the length of one "day" of the Diurnal pattern.
	// Zero means Duration (one day per run).
	DiurnalPeriod time.Duration
	// BurstMean is the mean length of a burst of the Bursty pattern; calm
	// spells between bursts last four times as long on average. Zero means
	// Duration/30.
	BurstMean time.Duration

	// Servers is the number of requests served at once (c). Required, >= 1;
	// Default() sets 5.
	Servers int
	// ServiceTime is each request's own work, as a distribution of
	// durations. Nil means exp(500ms): exponential, so that M/M/c theory is
	// exact for the default run.
	ServiceTime dist.Dist
	// MaxQueue bounds the requests waiting for a server; an arrival that
	// finds it full is rejected. Zero means unbounded.
	MaxQueue int

	// Dependencies is the number of downstream calls each request makes, one
	// after another, while holding its server. Zero means none.
	Dependencies int
	// DependencyLatency is the latency of one call. Nil means exp(100ms).
	DependencyLatency dist.Dist
	// DependencyFailure is the probability that a call fails, in [0, 1].
	DependencyFailure float64
	// MaxRetries is how many times a failed call is retried; a request
	// whose call still fails ends as failed. Zero means no retries.
	MaxRetries int
	// RetryBackoff is the wait before the first retry, doubled for each
	// further one. Zero means 100ms.
	RetryBackoff time.Duration

	// CircuitBreaker, when on, guards each dependency: after
	// BreakerThreshold of the last BreakerWindow calls failed, calls fail at
	// once (no latency, server freed fast) for BreakerCooldown, then one
	// trial call decides whether to close again.
	CircuitBreaker   bool
	BreakerThreshold float64       // zero means 0.5
	BreakerWindow    int           // zero means 20 calls
	BreakerCooldown  time.Duration // zero means 5s

	// TargetWait is the mean wait in queue the "servers needed" line of the
	// summary plans for. Zero means 100ms.
	TargetWait time.Duration
	// Window is the width of the metric windows. Zero means Duration/120.
	Window time.Duration
}

// Default returns the capacity planner's defaults: 60 requests a minute on
// 5 servers with 0.5 s exponential service, 2 dependencies at 100 ms with
// 1% failures, for 5 minutes.
func Default() Config {
	return Config{
		Seed:              1,
		Duration:          5 * time.Minute,
		ArrivalPerMinute:  60,
		Pattern:           Constant,
		Multiplier:        3,
		Servers:           5,
		ServiceTime:       dist.MustParse("exp(500ms)"),
		Dependencies:      2,
		DependencyLatency: dist.MustParse("exp(100ms)"),
		DependencyFailure: 0.01,
		RetryBackoff:      100 * time.Millisecond,
		BreakerThreshold:  0.5,
		BreakerWindow:     20,
		BreakerCooldown:   5 * time.Second,
		TargetWait:        100 * time.Millisecond,
	}
}

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	d := Default()
	if c.Duration == 0 {
		c.Duration = d.Duration
	}
	if c.Pattern == "" {
		c.Pattern = Constant
	}
	if c.Multiplier == 0 {
		c.Multiplier = d.Multiplier
	}
	if c.SpikeStart == 0 {
		c.SpikeStart = c.Duration * 2 / 5
	}
	if c.SpikeDuration == 0 {
		c.SpikeDuration = c.Duration / 5
	}
	if c.DiurnalPeriod == 0 {
		c.DiurnalPeriod = c.Duration
	}
	if c.BurstMean == 0 {
		c.BurstMean = c.Duration / 30
	}
	if c.ServiceTime == nil {
		c.ServiceTime = d.ServiceTime
	}
	if c.DependencyLatency == nil {
		c.DependencyLatency = d.DependencyLatency
	}
	if c.RetryBackoff == 0 {
		c.RetryBackoff = d.RetryBackoff
	}
	if c.BreakerThreshold == 0 {
		c.BreakerThreshold = d.BreakerThreshold
	}
	if c.BreakerWindow == 0 {
		c.BreakerWindow = d.BreakerWindow
	}
	if c.BreakerCooldown == 0 {
		c.BreakerCooldown = d.BreakerCooldown
	}
	if c.TargetWait == 0 {
		c.TargetWait = d.TargetWait
	}
	if c.Window == 0 {
		c.Window = c.Duration / 120
	}
	return c
}

func bad(field string, value any, why string) error {
	return fmt.Errorf("queueing: %s=%v: %s", field, value, why)
}

// Validate reports the first field that cannot work, naming it and its value.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Duration < 0 || c.Duration > maxDuration:
		return bad("Duration", c.Duration, fmt.Sprintf("must be positive and at most %v", maxDuration))
	case !(c.ArrivalPerMinute > 0) || c.ArrivalPerMinute > maxArrivalPerMn:
		return bad("ArrivalPerMinute", c.ArrivalPerMinute, fmt.Sprintf("the arrival rate must be positive and at most %g", maxArrivalPerMn))
	case !c.Pattern.known():
		return bad("Pattern", fmt.Sprintf("%q", string(c.Pattern)), fmt.Sprintf("unknown load pattern (want one of %v)", Patterns()))
	case !(c.Multiplier >= 1) || c.Multiplier > 1000:
		return bad("Multiplier", c.Multiplier, "must be between 1 and 1000")
	case c.SpikeStart < 0 || c.SpikeStart >= c.Duration:
		return bad("SpikeStart", c.SpikeStart, "must lie inside the run")
	case c.SpikeDuration < 0:
		return bad("SpikeDuration", c.SpikeDuration, "must be positive")
	case c.DiurnalPeriod < 0:
		return bad("DiurnalPeriod", c.DiurnalPeriod, "must be positive")
	case c.BurstMean < 0:
		return bad("BurstMean", c.BurstMean, "must be positive")
	case c.Servers < 1 || c.Servers > maxServers:
		return bad("Servers", c.Servers, fmt.Sprintf("need between 1 and %d servers", maxServers))
	case c.MaxQueue < 0:
		return bad("MaxQueue", c.MaxQueue, "must be 0 (unbounded) or positive")
	case c.Dependencies < 0 || c.Dependencies > 100:
		return bad("Dependencies", c.Dependencies, "must be between 0 and 100")
	case !(c.DependencyFailure >= 0 && c.DependencyFailure <= 1):
		return bad("DependencyFailure", c.DependencyFailure, "is a probability, between 0 and 1")
	case c.MaxRetries < 0 || c.MaxRetries > 20:
		return bad("MaxRetries", c.MaxRetries, "must be between 0 and 20")
	case c.RetryBackoff < 0:
		return bad("RetryBackoff", c.RetryBackoff, "must be positive")
	case !(c.BreakerThreshold > 0 && c.BreakerThreshold <= 1):
		return bad("BreakerThreshold", c.BreakerThreshold, "is a fraction of failed calls, in (0, 1]")
	case c.BreakerWindow < 1 || c.BreakerWindow > 10_000:
		return bad("BreakerWindow", c.BreakerWindow, "must be between 1 and 10000 calls")
	case c.BreakerCooldown < 0:
		return bad("BreakerCooldown", c.BreakerCooldown, "must be positive")
	case c.TargetWait < 0:
		return bad("TargetWait", c.TargetWait, "must be positive")
	case c.Window <= 0 || c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("must be positive and give at most %d windows over Duration=%v", maxWindows, c.Duration))
	}
	if err := durationDist("ServiceTime", c.ServiceTime); err != nil {
		return err
	}
	return durationDist("DependencyLatency", c.DependencyLatency)
}

func durationDist(field string, d dist.Dist) error {
	if err := dist.ValidateDuration(d); err != nil {
		return bad(field, d, err.Error())
	}
	if !dist.IsDuration(d) {
		return bad(field, d, "give a distribution of durations, like exp(500ms)")
	}
	if m := d.Mean(); math.IsInf(m, 0) || m < 0 {
		return bad(field, d, "the mean must be finite and not negative")
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
