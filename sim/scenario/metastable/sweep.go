package metastable

import (
	"context"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/resilience"
	"dsim/sim/scenario/internal/pick"
	"dsim/sim/sweep"
)

// The knobs Sweep understands, each named after the Config field it sets.
var sweepable = pick.Scenario[Config, *Result]{
	Name: "metastable",
	Knobs: []pick.Knob[Config]{
		{Name: "Preset", Labels: pick.Names(Presets(), func(p Preset) string { return p.Name }), First: true, Doc: "the whole configuration, from a preset (the other knobs then change it)",
			Set: func(c *Config, _ float64, l string) error {
				p, err := PresetConfig(l)
				*c = p
				return err
			}},
		{Name: "Pattern", Labels: pick.Names(Patterns(), func(p Pattern) string { return string(p) }), Doc: "Pattern: the shape of the open-loop load",
			Set: func(c *Config, _ float64, l string) error {
				p, err := ParsePattern(l)
				c.Pattern = p
				return err
			}},
		pick.Float("BaseRate", "req/s", "BaseRate: the offered load outside the trigger", func(c *Config) *float64 { return &c.BaseRate }),
		pick.Float("SpikeRate", "req/s", "SpikeRate: the load at the spike's peak (the trigger's size)", func(c *Config) *float64 { return &c.SpikeRate }),
		pick.Duration("TriggerStart", "TriggerStart: when the trigger begins", func(c *Config) *time.Duration { return &c.TriggerStart }),
		pick.Duration("TriggerDuration", "TriggerDuration: how long the trigger lasts", func(c *Config) *time.Duration { return &c.TriggerDuration }),
		pick.Duration("Duration", "Duration: the run's length", func(c *Config) *time.Duration { return &c.Duration }),
		pick.Int("Clients", "clients", "Clients: closed-loop clients instead of open-loop arrivals (0: open loop)", func(c *Config) *int { return &c.Clients }),
		pick.Int("Capacity", "slots", "Capacity: requests served at once", func(c *Config) *int { return &c.Capacity }),
		pick.Duration("BaseLatency", "BaseLatency: a request's service time alone", func(c *Config) *time.Duration { return &c.BaseLatency }),
		pick.Duration("Slope", "Slope: service time added per request in service (contention)", func(c *Config) *time.Duration { return &c.Slope }),
		pick.Float("ServiceCV", "", "ServiceCV: the service time's coefficient of variation", func(c *Config) *float64 { return &c.ServiceCV }),
		pick.Int("MaxQueue", "requests", "MaxQueue: the waiting requests' bound (0: unbounded)", func(c *Config) *int { return &c.MaxQueue }),
		pick.Float("CapacityDrop", "share", "CapacityDrop: the share of slots lost during the trigger", func(c *Config) *float64 { return &c.CapacityDrop }),
		pick.Float("Slowdown", "×", "Slowdown: the service time's factor during the trigger", func(c *Config) *float64 { return &c.Slowdown }),
		pick.Duration("Timeout", "Timeout: how long a client waits for each attempt", func(c *Config) *time.Duration { return &c.Timeout }),
		pick.Int("MaxRetries", "retries", "MaxRetries: retries after a timeout or a rejection", func(c *Config) *int { return &c.MaxRetries }),
		{Name: "Backoff", Labels: pick.Names(resilience.BackoffKinds(), func(k resilience.BackoffKind) string { return string(k) }), Doc: "Backoff.Kind: the wait before each retry (Base and Cap default to 100ms and 10s)",
			Set: func(c *Config, _ float64, l string) error {
				k, err := resilience.ParseBackoff(l)
				c.Backoff = resilience.Backoff{Kind: k}
				if k == resilience.Exponential {
					c.Backoff.Jitter = Default().Backoff.Jitter
				}
				return err
			}},
		pick.Duration("BackoffBase", "Backoff.Base: the first retry's wait", func(c *Config) *time.Duration { return &c.Backoff.Base }),
		pick.Float("RetryBudget", "share", "RetryBudget: retries allowed per first attempt (0: no budget)", func(c *Config) *float64 { return &c.RetryBudget }),
		pick.Bool("CircuitBreaker", "CircuitBreaker: a breaker shared by the clients", func(c *Config) *bool { return &c.CircuitBreaker }),
		pick.Bool("Cancellation", "Cancellation: drop waiting work whose client gave up", func(c *Config) *bool { return &c.Cancellation }),
		pick.Bool("DeadlineAdmission", "DeadlineAdmission: refuse work that cannot finish in time", func(c *Config) *bool { return &c.DeadlineAdmission }),
	},
	Validate: Config.Validate,
	Seed:     func(c *Config) *uint64 { return &c.Seed },
	Run:      RunContext,
	Measure:  (*Result).sweepMetrics,
}

// SweepKnobs lists the knobs Sweep can vary, with their units.
func SweepKnobs() *metrics.Table { return sweepable.KnobTable() }

// Sweep runs the retry-storm model over spec: each knob names a Config
// field (SweepKnobs lists them; durations in seconds), and each run is
// base with the point's values and its own seed. The model is compiled,
// so a script's sweep runs on every core.
//
// Each run reports:
//   - "metastable", "recovered", "stable", "overloaded": shares of runs with that
//     verdict (sweep.Metrics.Share), with Wilson's interval;
//   - "answered after trigger (%)": the requests offered after the
//     trigger that were answered in time;
//   - "goodput (%)": all requests answered in time;
//   - "amplification": attempts per request;
//   - "p99 latency (s)" and the histogram "latency" of answered requests.
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return sweepable.Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	o := r.Verdict().Outcome
	p99 := r.Latency.Quantile(0.99)
	return sweep.NewMetrics().
		Share("metastable", o == Metastable).
		Share("recovered", o == Recovered).
		Share("stable", o == Stable).
		Share("overloaded", o == Overloaded).
		Set("answered after trigger (%)", 100*r.shareAfterTrigger()).
		Set("goodput (%)", 100*ratio(r.Succeeded, r.Requests)).
		Set("amplification", r.Amplification()).
		Set("p99 latency (s)", p99.Seconds()).
		Latency("latency", r.Latency)
}
