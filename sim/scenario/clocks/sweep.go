package clocks

import (
	"context"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
)

// Scenario describes the time-and-order lesson to the front ends: its
// knobs, presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	return describe.New("time and order: what do skewed clocks, Lamport and vector clocks say about which event came first, and what do clients see?",
		knobs, Presets, Default, Config.Validate, RunContext)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the model over spec: each knob names a Config field
// (KnobTable lists them; durations in seconds, switches 0/1, choices and
// distributions as Labels, "Preset" to start from a preset), and each run
// is base with the point's values and its own seed.
//
// Each run reports:
//   - "ordered", "misordered", "stale": shares of runs with that verdict
//     (sweep.Metrics.Share), with Wilson's interval;
//   - "lost writes (physical)", "lost writes (lamport)": writes that lose
//     to one that happened before them under each stamp;
//   - "backward messages": messages that arrived at an earlier clock;
//   - "concurrent pairs (share)": the share of pairs of events that are
//     concurrent;
//   - "max clock error (ms)" and "max spread (ms)";
//   - "stale reads", "refused", "timed out" and "mean wait (s)" for the
//     clients.
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	v := r.Verdict().Outcome
	o, s := r.Order, r.Sessions
	share := 0.0
	if o.Pairs > 0 {
		share = float64(o.Concurrent) / float64(o.Pairs)
	}
	return sweep.NewMetrics().
		Share("ordered", v == Ordered).
		Share("misordered", v == Misordered).
		Share("stale", v == Stale).
		Set("lost writes (physical)", float64(o.LostPhysical)).
		Set("lost writes (lamport)", float64(o.LostLamport)).
		Set("backward messages", float64(o.Backward)).
		Set("concurrent pairs (share)", share).
		Set("max clock error (ms)", float64(r.MaxError().Microseconds())/1000).
		Set("max spread (ms)", float64(r.MaxSpread().Microseconds())/1000).
		Set("stale reads", float64(s.StaleReads)).
		Set("refused", float64(s.Refused)).
		Set("timed out", float64(s.TimedOut)).
		Set("mean wait (s)", s.MeanWait().Seconds())
}
