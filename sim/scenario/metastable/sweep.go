package metastable

import (
	"context"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
)

// Scenario describes the retry-storm lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	s := describe.New("retry storms: when does a spike leave a service overloaded after it ends, and what gets it out?",
		knobs, Presets, Default, Config.Validate, RunContext)
	return describe.WithCompare(s, CompareTable, Compare)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the retry-storm model over spec: each knob names a Config
// field (KnobTable lists them; durations in seconds, switches 0/1,
// choices and distributions as Labels, "Preset" to start from a preset),
// and each run is base with the point's values and its own seed. The
// model is compiled, so a script's sweep runs on every core.
//
// Each run reports:
//   - "metastable", "recovering", "recovered", "stable", "overloaded",
//     "inconclusive": shares of runs with that verdict
//     (sweep.Metrics.Share), with Wilson's interval;
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
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	o := r.Verdict().Outcome
	p99 := r.Latency.Quantile(0.99)
	return sweep.NewMetrics().
		Share("metastable", o == Metastable).
		Share("recovering", o == Recovering).
		Share("recovered", o == Recovered).
		Share("stable", o == Stable).
		Share("overloaded", o == Overloaded).
		Share("inconclusive", o == Inconclusive).
		Set("answered after trigger (%)", 100*r.shareAfterTrigger()).
		Set("goodput (%)", 100*ratio(r.Succeeded, r.Requests)).
		Set("amplification", r.Amplification()).
		Set("p99 latency (s)", p99.Seconds()).
		Latency("latency", r.Latency)
}
