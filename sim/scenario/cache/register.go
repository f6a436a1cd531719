package cache

import (
	"context"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/scenario/internal/show"
	"dsim/sim/sweep"
)

// Scenario describes the caching lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	return describe.New("caching: how much does a cache hit, how stale are its values, and what happens to the database when it misses all at once?",
		knobs, Presets, Default, Config.Validate, RunContext)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the caching model over spec: each knob names a Config field
// (KnobTable lists them; durations in seconds, switches 0/1, choices and
// distributions as Labels, "Preset" to start from a preset), and each run
// is base with the point's values and its own seed.
//
// Each run reports:
//   - "stable", "degraded", "recovered", "recovering", "metastable",
//     "overloaded", "inconclusive": shares of runs with that verdict, with
//     Wilson's interval;
//   - "hit ratio (%)": the steady hit ratio (before any flush, once a
//     cold cache has filled), and "che (%)": Che's approximation for it;
//   - "stale hits (%)": the share of hits on an outdated value;
//   - "answered (%)": requests answered in time;
//   - "db peak (q/s)" and "db mean (q/s)": queries a second at the
//     database, in the busiest window and on average;
//   - "amplification": attempts per request;
//   - "p99 latency (s)" and the histogram "latency" of answered requests.
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	o := r.Verdict().Outcome
	return sweep.NewMetrics().
		Share("stable", o == Stable).
		Share("degraded", o == Degraded).
		Share("recovered", o == Recovered).
		Share("recovering", o == Recovering).
		Share("metastable", o == Metastable).
		Share("overloaded", o == Overloaded).
		Share("inconclusive", o == Inconclusive).
		Set("hit ratio (%)", 100*r.SteadyHitRatio()).
		Set("che (%)", 100*r.Che.HitRatio).
		Set("stale hits (%)", 100*r.StaleShare()).
		Set("answered (%)", 100*show.Ratio(r.Succeeded, r.Requests)).
		Set("db peak (q/s)", r.PeakDBRate()).
		Set("db mean (q/s)", r.Series.DBArrived.Mean()).
		Set("amplification", r.Amplification()).
		Set("p99 latency (s)", r.Latency.Quantile(0.99).Seconds()).
		Latency("latency", r.Latency)
}
