package balance

import (
	"context"
	"math"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
)

// Scenario describes the load-balancing lesson to the front ends: its
// knobs, presets and run, for the command line, sweeps and the explorer,
// with runs laid side by side.
func Scenario() scenario.Scenario {
	s := describe.New("load balancing: which policy keeps queues short, and what do a slow server, stale load, sticky sessions and a server leaving do to it?",
		knobs, Presets, Default, Config.Validate, RunContext)
	return describe.WithCompare(s, CompareTable, CompareFigure)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the model over spec: each knob names a Config field
// (KnobTable lists them; durations in seconds, choices as Labels, "Preset"
// to start from a preset), and each run is base with the point's values
// and its own seed.
//
// Each run reports:
//   - "balanced", "uneven", "overloaded": shares of runs with that
//     verdict (sweep.Metrics.Share), with Wilson's interval;
//   - "mean time in system (s)", "p99 time in system (s)": the answered
//     requests' time in system;
//   - "little's W (s)": the mean time in system by Little's law after the
//     first tenth of the run (TimeInSystem);
//   - "max queue", "busiest share": the longest queue, and the busiest
//     server's calls over an even share;
//   - "failed": requests that failed with a server that left;
//   - "keys moved (share)": with consistent hashing and a server leaving.
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	v := r.Verdict()
	m := sweep.NewMetrics().
		Share("balanced", v.Outcome == Balanced).
		Share("uneven", v.Outcome == Uneven).
		Share("overloaded", v.Outcome == Overloaded).
		Set("mean time in system (s)", r.Latency.Mean().Seconds()).
		Set("p99 time in system (s)", r.Latency.Quantile(0.99).Seconds()).
		Set("little's W (s)", r.TimeInSystem().Seconds()).
		Set("max queue", float64(v.MaxQueue)).
		Set("busiest share", v.Busiest).
		Set("failed", float64(r.Failed))
	if moved, _ := r.KeysMoved(); !math.IsNaN(moved) {
		m.Set("keys moved (share)", moved)
	}
	return m
}
