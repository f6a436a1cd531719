package metastable

import (
	"fmt"
	"math"
	"slices"
	"time"

	"dsim/sim"
	"dsim/sim/dist"
	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
)

// Pattern is the shape of the open-loop offered load.
type Pattern string

// The load patterns. The spike and the ramp are the trigger: they happen in
// the Trigger window.
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

// Limits beyond what the knob table bounds: past them a run is a mistake,
// not an experiment.
const (
	maxWindows = 1_000_000
	maxSteps   = 10_000
	// maxInSystem bounds the attempts held by the server (in service and
	// queued). An unbounded queue under a storm grows without limit; the
	// run stops with an error naming this limit rather than eat the memory.
	maxInSystem = 10_000_000
)

// Config is one retry-storm experiment. Default() holds the seed
// simulator's values, and a zero field takes its default, except where the
// knob table says what zero means (no retries, an unbounded queue, no
// budget...). KnobTable() lists every knob with its unit, default and range.
type Config struct {
	// Seed is the root of every random stream of the run.
	Seed uint64
	// Duration is the run's length in virtual time.
	Duration time.Duration
	// Window is the width of the metric windows and of the verdict's
	// judgement.
	Window time.Duration

	// Pattern shapes the open-loop load.
	Pattern Pattern
	// BaseRate is the offered load outside the trigger, requests per
	// second (Poisson).
	BaseRate float64
	// SpikeRate is the offered load at the peak of a spike or ramp.
	SpikeRate float64
	// Trigger places the trigger: the spike, the ramp, the capacity drop
	// and the slowdown all happen in this window.
	Trigger sim.Window
	// Schedule is the load of the "schedule" pattern: BaseRate until the
	// first step, then each step's rate ("20s:50, 30s:15"). The trigger is
	// the time the rate is above BaseRate (from the first step above it to
	// the next step at or below it).
	Schedule Schedule

	// Clients, when positive, replaces the open-loop arrivals by that many
	// closed-loop clients: each sends a request, waits for its outcome
	// (retries included), thinks, and sends the next. Closed-loop load
	// slows down when the server does, so use a capacity drop or slowdown
	// as the trigger.
	Clients int
	// ThinkTime is the mean of a client's exponential pause between
	// requests.
	ThinkTime time.Duration

	// Capacity is the number of requests served at once.
	Capacity int
	// Service and Slope set each request's service time, fixed when it
	// starts: a draw from Service plus Slope × (requests in service,
	// itself included). The slope is contention: every request in service
	// slows the others.
	Service dist.Dist
	Slope   time.Duration
	// MaxQueue bounds the waiting requests: an attempt that finds the queue
	// full is rejected at once (load shedding).
	MaxQueue int
	// Discipline is the queue order.
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
	// (a crashed node, a CPU cap). Requests already in service finish.
	CapacityDrop float64
	// Slowdown multiplies the service time of requests that start during
	// the trigger window (a GC pause, a slow disk).
	Slowdown float64

	// Timeout is how long a client waits for each attempt.
	Timeout time.Duration
	// MaxRetries is how many times a client retries after a timeout or a
	// rejection before it gives up.
	MaxRetries int
	// Backoff is the wait before each retry. Set Kind to
	// resilience.NoBackoff to retry at once. A zero Kind is the seed's
	// exponential backoff with its ±50% jitter.
	Backoff resilience.Backoff
	// RetryBudget, when positive, caps retries at this share of first
	// attempts with a token bucket of BudgetBurst tokens (Finagle's retry
	// budget).
	RetryBudget float64
	// BudgetBurst is the tokens the budget can save up.
	BudgetBurst float64
	// CircuitBreaker, when on, makes the clients share a breaker: after
	// Breaker.Threshold of the last Breaker.Window attempts failed,
	// requests fail at once for Breaker.Cooldown, then one trial attempt
	// decides.
	CircuitBreaker bool
	Breaker        resilience.BreakerConfig

	// HealthyShare is the verdict's threshold: a window is healthy when at
	// least this share of the requests offered in it succeeded.
	HealthyShare float64
	// SettleTime is how long after the trigger ends a still-degraded run
	// waits before it is judged by its backlog (Metastable, Recovering or
	// Overloaded); the backlog's trend is measured from then on.
	SettleTime time.Duration
}

// triggered are the modes that use the Trigger window (hasTrigger).
var triggered = []scenario.Condition{
	scenario.With("Pattern", string(Spike), string(Ramp)),
	scenario.Without("CapacityDrop", "0"),
	scenario.Without("Slowdown", "1"),
}

// knobs is the single source of Config's defaults, ranges, flags and
// sweep knobs. The ranges keep every product a run computes (patience =
// timeout × attempts plus backoffs, trigger ends, window counts) far from
// overflow.
var knobs = scenario.NewTable("metastable", Config{},
	[]string{"Schedule: the steps of the schedule pattern"},
	slices.Concat([]scenario.Knob{
		scenario.Dur("Duration", "the run's length in virtual time", time.Minute, time.Second, 1000*time.Hour),
		scenario.Dur("Window", "width of the metric windows and of the verdict's judgement", time.Second, time.Millisecond, time.Hour),
		scenario.OneOf("Pattern", "shape of the open-loop load", string(Constant), describe.Strings(Patterns())...),
		scenario.Num("BaseRate", "req/s", "offered load outside the trigger (Poisson)", 10, 0.001, 1e6).Alias("rate"),
		scenario.Num("SpikeRate", "req/s", "offered load at the peak of a spike or ramp", 50, 0.001, 1e6).OnlyWith("Pattern", string(Spike), string(Ramp)),
		scenario.Dur("Trigger.Start", "when the spike, ramp, capacity drop or slowdown begins", 20*time.Second, 0, 1000*time.Hour).ZeroMeans("at the start of the run").OnlyWithEither(triggered...),
		scenario.Dur("Trigger.Duration", "how long the trigger lasts", 10*time.Second, time.Millisecond, 1000*time.Hour).OnlyWithEither(triggered...),
		scenario.Textual("Schedule", "the schedule pattern's steps, at:rate (req/s)", "20s:50, 30s:15").OnlyWith("Pattern", string(Stepped)),
		scenario.Int("Clients", "clients", "closed-loop clients instead of open-loop arrivals", 0, 1, 1_000_000).ZeroMeans("open loop"),
		scenario.Dur("ThinkTime", "closed-loop clients' mean think time", time.Second, time.Millisecond, time.Hour).Alias("think").OnlyWithout("Clients", "0"),
		scenario.Int("Capacity", "slots", "requests served at once", 50, 1, 1_000_000),
		scenario.Distribution("Service", "a request's service time with no contention", "const(500ms)", time.Microsecond, time.Hour).Alias("base-latency"),
		scenario.Dur("Slope", "service time added per request in service (contention)", 10*time.Millisecond, time.Nanosecond, time.Minute).ZeroMeans("no contention"),
		scenario.Int("MaxQueue", "requests", "bound on waiting requests (load shedding)", 0, 1, maxInSystem).ZeroMeans("unbounded"),
		scenario.OneOf("Discipline", "queue order", string(FIFO), string(FIFO), string(LIFO)),
		scenario.Bool("Cancellation", "drop abandoned work when it reaches the head of the queue", false).Alias("cancel"),
		scenario.Bool("DeadlineAdmission", "reject work that cannot finish before its timeout", false),
		scenario.Num("CapacityDrop", "share", "share of the slots lost during the trigger", 0, 0, 1).ZeroMeans("none"),
		scenario.Num("Slowdown", "×", "service time multiplier during the trigger", 1, 1, 1000),
	}, describe.ClientKnobs(describe.Client{Timeout: 3 * time.Second, MaxRetries: 3, RetryAfter: "a timeout or a rejection", BackoffBase: 100 * time.Millisecond, BackoffCap: 10 * time.Second, BreakerCooldown: 5 * time.Second}), []scenario.Knob{
		scenario.Num("HealthyShare", "share", "a window is healthy when this share of its requests succeeded", 0.9, 0.01, 1),
		scenario.Dur("SettleTime", "how long after the trigger a degraded run waits to be judged by its backlog", 10*time.Second, time.Millisecond, 1000*time.Hour),
	})...,
)

// KnobTable lists every knob of Config: its flag, unit, default, range
// and what it sets. Sweeps, the command line and the explorer take the
// same names.
func KnobTable() *metrics.Table { return knobs.Doc() }

// Default returns the seed simulator's defaults: 10 requests/s against 50
// slots at 0.5s + 10ms per request in service, clients with a 3s timeout,
// 3 retries and exponential backoff, for 60s with no trigger.
func Default() Config { return describe.Default[Config](knobs, 1) }

// withDefaults fills the zero fields that mean "default".
func (c Config) withDefaults() Config {
	describe.FillClient(knobs, &c, &c.Backoff)
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
	case c.Duration/c.Window > maxWindows:
		return bad("Window", c.Window, fmt.Sprintf("gives more than %d windows over Duration=%v", maxWindows, c.Duration))
	case c.Window > c.Duration:
		return bad("Window", c.Window, fmt.Sprintf("is longer than Duration=%v", c.Duration))
	case c.hasTrigger() && c.Trigger.Start >= c.Duration:
		return bad("Trigger.Start", c.Trigger.Start, fmt.Sprintf("must lie inside the run (Duration=%v)", c.Duration))
	case c.Pattern == Stepped && len(c.Schedule) == 0:
		return bad("Schedule", "none", `the "schedule" pattern needs at least one step, such as -schedule "20s:50, 30s:15"`)
	case len(c.Schedule) > maxSteps:
		return bad("Schedule", fmt.Sprintf("[%d steps]", len(c.Schedule)), fmt.Sprintf("at most %d steps", maxSteps))
	case c.Clients > 0 && c.Pattern != Constant:
		return bad("Pattern", c.Pattern, fmt.Sprintf("closed-loop clients (Clients=%d) set their own pace; use CapacityDrop or Slowdown as the trigger", c.Clients))
	case c.Backoff.Cap < c.Backoff.Base:
		return bad("Backoff.Cap", c.Backoff.Cap, fmt.Sprintf("is shorter than Backoff.Base=%v", c.Backoff.Base))
	}
	if err := c.Schedule.validate(); err != nil {
		return err
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

// hasTrigger reports whether the Trigger window is used: by a spike or
// ramp, a capacity drop or a slowdown.
func (c Config) hasTrigger() bool {
	return c.Pattern == Spike || c.Pattern == Ramp || c.CapacityDrop > 0 || c.Slowdown > 1
}

// trigger is the window of the trigger, or ok=false when the run has none.
// A trigger still running at the end of the run ends at the end.
func (c Config) trigger() (from, to time.Duration, ok bool) {
	end := func(d time.Duration) time.Duration { return min(d, c.Duration) }
	switch {
	case c.hasTrigger():
		return c.Trigger.Start, end(c.Trigger.End()), true
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
