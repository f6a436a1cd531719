package metastable

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"dsim/sim/resilience"
)

// Pattern is the shape of the open-loop offered load.
type Pattern string

// The load patterns. The spike and the ramp are the trigger: they happen in
// the window [TriggerStart, TriggerStart+TriggerDuration).
const (
	Constant Pattern = "constant" // BaseRate throughout
	Spike    Pattern = "spike"    // SpikeRate in the trigger window, BaseRate outside
	Ramp     Pattern = "ramp"     // BaseRate rising linearly to SpikeRate over the trigger window, then BaseRate
	Stepped  Pattern = "schedule" // the piecewise-constant Schedule
)

// Patterns lists the load patterns.
func Patterns() []Pattern { return []Pattern{Constant, Spike, Ramp, Stepped} }

// ParsePattern reads a pattern name, for flags and scripts.
func ParsePattern(s string) (Pattern, error) {
	if p := Pattern(s); p.known() {
		return p, nil
	}
	return "", bad("Pattern", fmt.Sprintf("%q", s), fmt.Sprintf("unknown load pattern (want one of %v)", Patterns()))
}

// Discipline is the order in which waiting requests get a slot.
type Discipline string

// The queue disciplines.
const (
	FIFO Discipline = "fifo" // oldest first: under overload every request waits longest
	LIFO Discipline = "lifo" // newest first: under overload the fresh requests still make it
)

// Step is one piece of a Schedule: from At on, requests arrive at Rate per
// second, until the next step.
type Step struct {
	At   time.Duration
	Rate float64
}

// Limits on the knobs: beyond them a run is a mistake, not an experiment.
const (
	maxDuration = 1000 * time.Hour
	maxRate     = 1e6       // requests per second
	maxCapacity = 1_000_000 // concurrent slots
	maxClients  = 1_000_000
	maxWindows  = 1_000_000
	maxSteps    = 10_000
	// maxInSystem bounds the attempts held by the server (in service and
	// queued). An unbounded queue under a storm grows without limit; the
	// run stops with an error naming this limit rather than eat the memory.
	maxInSystem = 10_000_000
)

// Config is one retry-storm experiment. Zero fields take the default that
// Default documents, except where a field says that zero means "none":
// Slope, MaxRetries, MaxQueue, RetryBudget, ServiceCV, CapacityDrop and
// Clients keep their zero. Default() holds the seed simulator's values.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is the run's length in virtual time. Zero means 60s.
	Duration time.Duration
	// Window is the width of the metric windows and of the verdict's
	// judgement. Zero means 1s.
	Window time.Duration

	// Pattern shapes the open-loop load. Empty means Constant.
	Pattern Pattern
	// BaseRate is the offered load outside the trigger, requests per
	// second (Poisson). Zero means 10.
	BaseRate float64
	// SpikeRate is the offered load at the peak of a spike or ramp. Zero
	// means 50.
	SpikeRate float64
	// TriggerStart and TriggerDuration place the trigger: the spike, the
	// ramp, the capacity drop and the slowdown all happen in this window.
	// Zero means 20s and 10s (the seed's spike).
	TriggerStart, TriggerDuration time.Duration
	// Schedule is the load of the "schedule" pattern: BaseRate until the
	// first step, then each step's rate. The trigger is the time the rate
	// is above BaseRate (from the first step above it to the next step at
	// or below it).
	Schedule []Step

	// Clients, when positive, replaces the open-loop arrivals by that many
	// closed-loop clients: each sends a request, waits for its outcome
	// (retries included), thinks, and sends the next. Closed-loop load
	// slows down when the server does, so use a capacity drop or slowdown
	// as the trigger. Zero means open loop.
	Clients int
	// ThinkTime is the mean of a client's exponential pause between
	// requests. Zero means 1s.
	ThinkTime time.Duration

	// Capacity is the number of requests served at once. Zero means 50.
	Capacity int
	// BaseLatency and Slope set each request's service time, fixed when it
	// starts: BaseLatency + Slope × (requests in service, itself included).
	// The slope is contention: every request in service slows the others.
	// BaseLatency zero means 500ms; Slope zero means no contention.
	BaseLatency, Slope time.Duration
	// ServiceCV, when positive, draws the service time from a lognormal
	// distribution with that mean and this coefficient of variation. Zero
	// means the service time is exactly the formula's.
	ServiceCV float64
	// MaxQueue bounds the waiting requests: an attempt that finds the queue
	// full is rejected at once (load shedding). Zero means unbounded.
	MaxQueue int
	// Discipline is the queue order. Empty means FIFO.
	Discipline Discipline
	// Cancellation drops a waiting attempt whose client has given up on it
	// when it reaches the head of the queue, instead of serving it for
	// nobody. Work already in service is never cancelled.
	Cancellation bool
	// DeadlineAdmission rejects an arriving attempt that cannot finish
	// before its client's timeout by the server's estimate (its place in
	// the queue times the current service time per slot), and drops one
	// that reaches a slot too late to finish in time.
	DeadlineAdmission bool
	// CapacityDrop is the share of the slots lost during the trigger window
	// (a crashed node, a CPU cap), in [0, 1]. Requests already in service
	// finish. Zero means none.
	CapacityDrop float64
	// Slowdown multiplies the service time of requests that start during
	// the trigger window (a GC pause, a slow disk), at least 1. Zero means 1.
	Slowdown float64

	// Timeout is how long a client waits for each attempt. Zero means 3s.
	Timeout time.Duration
	// MaxRetries is how many times a client retries after a timeout or a
	// rejection before it gives up. Zero means no retries.
	MaxRetries int
	// Backoff is the wait before each retry. A zero Kind means Exponential
	// with the seed's 100ms base and ±50% jitter, capped at 10s; set Kind to
	// resilience.NoBackoff to retry at once. Zero Base and Cap take those
	// defaults too.
	Backoff resilience.Backoff
	// RetryBudget, when positive, caps retries at this share of first
	// attempts with a token bucket of BudgetBurst tokens (Finagle's retry
	// budget). Zero means no budget.
	RetryBudget float64
	// BudgetBurst is the tokens the budget can save up. Zero means 10.
	BudgetBurst float64
	// CircuitBreaker, when on, makes the clients share a breaker: after
	// BreakerThreshold of the last BreakerWindow attempts failed, requests
	// fail at once for BreakerCooldown, then one trial attempt decides.
	CircuitBreaker   bool
	BreakerThreshold float64       // zero means 0.5
	BreakerWindow    int           // zero means 20 attempts
	BreakerCooldown  time.Duration // zero means 5s

	// HealthyShare is the verdict's threshold: a window is healthy when at
	// least this share of the requests offered in it succeeded. Zero means
	// 0.9.
	HealthyShare float64
	// SettleTime is how long after the trigger ends a still-degraded system
	// counts as metastable rather than recovering. Zero means 10s.
	SettleTime time.Duration
}

// Default returns the seed simulator's defaults: 10 requests/s against 50
// slots at 0.5s + 10ms per request in service, clients with a 3s timeout,
// 3 retries and exponential backoff, for 60s with no trigger.
func Default() Config {
	return Config{
		Seed:             1,
		Duration:         60 * time.Second,
		Window:           time.Second,
		Pattern:          Constant,
		BaseRate:         10,
		SpikeRate:        50,
		TriggerStart:     20 * time.Second,
		TriggerDuration:  10 * time.Second,
		ThinkTime:        time.Second,
		Capacity:         50,
		BaseLatency:      500 * time.Millisecond,
		Slope:            10 * time.Millisecond,
		Discipline:       FIFO,
		Slowdown:         1,
		Timeout:          3 * time.Second,
		MaxRetries:       3,
		Backoff:          resilience.Backoff{Kind: resilience.Exponential, Base: 100 * time.Millisecond, Cap: 10 * time.Second, Jitter: 0.5},
		BudgetBurst:      10,
		BreakerThreshold: 0.5,
		BreakerWindow:    20,
		BreakerCooldown:  5 * time.Second,
		HealthyShare:     0.9,
		SettleTime:       10 * time.Second,
	}
}

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	d := Default()
	fill := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	fillf := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&c.Duration, d.Duration)
	fill(&c.Window, d.Window)
	fill(&c.TriggerStart, d.TriggerStart)
	fill(&c.TriggerDuration, d.TriggerDuration)
	fill(&c.ThinkTime, d.ThinkTime)
	fill(&c.BaseLatency, d.BaseLatency)
	fill(&c.Timeout, d.Timeout)
	fill(&c.BreakerCooldown, d.BreakerCooldown)
	fill(&c.SettleTime, d.SettleTime)
	fillf(&c.BaseRate, d.BaseRate)
	fillf(&c.SpikeRate, d.SpikeRate)
	fillf(&c.Slowdown, d.Slowdown)
	fillf(&c.BudgetBurst, d.BudgetBurst)
	fillf(&c.BreakerThreshold, d.BreakerThreshold)
	fillf(&c.HealthyShare, d.HealthyShare)
	if c.Pattern == "" {
		c.Pattern = d.Pattern
	}
	if c.Capacity == 0 {
		c.Capacity = d.Capacity
	}
	if c.Discipline == "" {
		c.Discipline = d.Discipline
	}
	if c.BreakerWindow == 0 {
		c.BreakerWindow = d.BreakerWindow
	}
	if c.Backoff.Kind == "" {
		c.Backoff.Kind = d.Backoff.Kind
		if c.Backoff.Jitter == 0 {
			c.Backoff.Jitter = d.Backoff.Jitter
		}
	}
	if c.Backoff.Kind != resilience.NoBackoff {
		fill(&c.Backoff.Base, d.Backoff.Base)
		fill(&c.Backoff.Cap, d.Backoff.Cap)
	}
	return c
}

func bad(field string, value any, why string) error {
	return fmt.Errorf("metastable: %s=%v: %s", field, value, why)
}

// Validate reports the first field that cannot work, naming it and its value.
func (c Config) Validate() error {
	c = c.withDefaults()
	rate := func(field string, v float64) error {
		if !(v > 0) || v > maxRate {
			return bad(field, v, fmt.Sprintf("requests per second must be positive and at most %g", maxRate))
		}
		return nil
	}
	if err := rate("BaseRate", c.BaseRate); err != nil {
		return err
	}
	if err := rate("SpikeRate", c.SpikeRate); err != nil {
		return err
	}
	switch {
	case c.Duration < 0 || c.Duration > maxDuration:
		return bad("Duration", c.Duration, fmt.Sprintf("must be positive and at most %v", maxDuration))
	case c.Window < 0 || c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("must be positive and give at most %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case !c.Pattern.known():
		return bad("Pattern", fmt.Sprintf("%q", string(c.Pattern)), fmt.Sprintf("unknown load pattern (want one of %v)", Patterns()))
	case c.TriggerStart < 0 || c.TriggerStart >= c.Duration:
		return bad("TriggerStart", c.TriggerStart, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.TriggerDuration < 0:
		return bad("TriggerDuration", c.TriggerDuration, "must be positive")
	case c.Pattern == Stepped && len(c.Schedule) == 0:
		return bad("Schedule", "[]", `the "schedule" pattern needs at least one step`)
	case len(c.Schedule) > maxSteps:
		return bad("Schedule", fmt.Sprintf("[%d steps]", len(c.Schedule)), fmt.Sprintf("at most %d steps", maxSteps))
	case c.Clients < 0 || c.Clients > maxClients:
		return bad("Clients", c.Clients, fmt.Sprintf("must be 0 (open loop) or up to %d", maxClients))
	case c.Clients > 0 && c.Pattern != Constant:
		return bad("Pattern", c.Pattern, fmt.Sprintf("closed-loop clients (Clients=%d) set their own pace; use CapacityDrop or Slowdown as the trigger", c.Clients))
	case c.ThinkTime < 0:
		return bad("ThinkTime", c.ThinkTime, "must be positive")
	case c.Capacity < 0 || c.Capacity > maxCapacity:
		return bad("Capacity", c.Capacity, fmt.Sprintf("must be between 1 and %d concurrent requests", maxCapacity))
	case c.BaseLatency < 0:
		return bad("BaseLatency", c.BaseLatency, "must be positive")
	case c.Slope < 0:
		return bad("Slope", c.Slope, "must be 0 or positive")
	case !(c.ServiceCV >= 0 && c.ServiceCV <= 10):
		return bad("ServiceCV", c.ServiceCV, "must be between 0 and 10")
	case c.MaxQueue < 0 || c.MaxQueue > maxInSystem:
		return bad("MaxQueue", c.MaxQueue, fmt.Sprintf("must be 0 (unbounded) or up to %d", maxInSystem))
	case c.Discipline != FIFO && c.Discipline != LIFO:
		return bad("Discipline", fmt.Sprintf("%q", string(c.Discipline)), `want "fifo" or "lifo"`)
	case !(c.CapacityDrop >= 0 && c.CapacityDrop <= 1):
		return bad("CapacityDrop", c.CapacityDrop, "is the share of slots lost, in [0, 1]")
	case !(c.Slowdown >= 1 && c.Slowdown <= 1000):
		return bad("Slowdown", c.Slowdown, "multiplies service times: between 1 and 1000")
	case c.Timeout < 0:
		return bad("Timeout", c.Timeout, "must be positive")
	case c.MaxRetries < 0 || c.MaxRetries > 20:
		return bad("MaxRetries", c.MaxRetries, "must be between 0 and 20")
	case !(c.RetryBudget >= 0 && c.RetryBudget <= 100):
		return bad("RetryBudget", c.RetryBudget, "is a share of first attempts: between 0 (no budget) and 100")
	case !(c.BudgetBurst >= 1 && c.BudgetBurst <= 1e9):
		return bad("BudgetBurst", c.BudgetBurst, "must be at least 1 token")
	case !(c.BreakerThreshold > 0 && c.BreakerThreshold <= 1):
		return bad("BreakerThreshold", c.BreakerThreshold, "is a share of failed attempts, in (0, 1]")
	case c.BreakerWindow < 0 || c.BreakerWindow > 1_000_000:
		return bad("BreakerWindow", c.BreakerWindow, "must be between 1 and 1000000 attempts")
	case c.BreakerCooldown < 0:
		return bad("BreakerCooldown", c.BreakerCooldown, "must be positive")
	case !(c.HealthyShare > 0 && c.HealthyShare <= 1):
		return bad("HealthyShare", c.HealthyShare, "is a share of requests, in (0, 1]")
	case c.SettleTime < 0:
		return bad("SettleTime", c.SettleTime, "must be positive")
	}
	if err := c.Backoff.Validate(); err != nil {
		return bad("Backoff", c.Backoff, strings.TrimPrefix(err.Error(), "resilience: "))
	}
	prev := time.Duration(-1)
	for i, s := range c.Schedule {
		field := fmt.Sprintf("Schedule[%d]", i)
		switch {
		case s.At < 0 || s.At <= prev:
			return bad(field+".At", s.At, "steps must be in increasing time order, from 0")
		case !(s.Rate >= 0) || s.Rate > maxRate:
			return bad(field+".Rate", s.Rate, fmt.Sprintf("requests per second must be between 0 and %g", maxRate))
		}
		prev = s.At
	}
	if c.Pattern == Stepped && c.peakRate() == 0 {
		return bad("Schedule", c.Schedule, "every step has rate 0 and BaseRate is unused: no load")
	}
	return nil
}

func (p Pattern) known() bool { return slices.Contains(Patterns(), p) }

// peakRate is the highest arrival rate of the pattern, per second.
func (c Config) peakRate() float64 {
	switch c.Pattern {
	case Spike, Ramp:
		return math.Max(c.BaseRate, c.SpikeRate)
	case Stepped:
		peak := c.BaseRate
		for _, s := range c.Schedule {
			peak = math.Max(peak, s.Rate)
		}
		return peak
	}
	return c.BaseRate
}

// trigger is the window of the trigger, or ok=false when the run has none.
// A trigger still running at the end of the run ends at the end.
func (c Config) trigger() (from, to time.Duration, ok bool) {
	end := func(d time.Duration) time.Duration { return min(d, c.Duration) }
	switch {
	case c.Pattern == Spike || c.Pattern == Ramp || c.CapacityDrop > 0 || c.Slowdown > 1:
		return c.TriggerStart, end(c.TriggerStart + c.TriggerDuration), true
	case c.Pattern == Stepped:
		for i, s := range c.Schedule {
			if s.Rate <= c.BaseRate {
				continue
			}
			for _, t := range c.Schedule[i+1:] {
				if t.Rate <= c.BaseRate {
					return s.At, end(t.At), true
				}
			}
			return s.At, c.Duration, true
		}
	}
	return 0, 0, false
}
