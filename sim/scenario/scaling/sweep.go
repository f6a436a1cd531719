package scaling

import (
	"context"
	"math"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
)

// Scenario describes the scaling-laws lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer, with
// runs laid side by side.
func Scenario() scenario.Scenario {
	s := describe.New("scaling laws: where does a closed system stop scaling with its users (MVA, the response-time law, the knee), and what do Amdahl's law and the USL make of threads sharing a lock?",
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
// Each run reports, at its largest population or parallelism:
//   - "below-knee", "past-knee", "scales", "contended", "retrograde":
//     shares of runs with that verdict (sweep.Metrics.Share), with
//     Wilson's interval;
//   - "throughput (/s)", "mva throughput (/s)", "response (s)",
//     "mva response (s)": the simulation and exact MVA;
//   - "law off (signed %)": the measured response time
//     against N/X − Z, in percent, + above;
//   - "amdahl sigma", "amdahl r2", "usl sigma", "usl kappa", "usl r2":
//     the fitted laws and their R² (threads).
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	v, last := r.Verdict(), r.Last()
	m := sweep.NewMetrics().
		Share("below-knee", v.Outcome == BelowKnee).
		Share("past-knee", v.Outcome == PastKnee).
		Share("scales", v.Outcome == Scales).
		Share("contended", v.Outcome == Contended).
		Share("retrograde", v.Outcome == Retrograde).
		Set("throughput (/s)", last.X).
		Set("mva throughput (/s)", last.MVA.X).
		Set("response (s)", last.R.Seconds()).
		Set("mva response (s)", last.MVA.R.Seconds()).
		Set("law off (signed %)", 100*last.OffLaw())
	if r.Config.Experiment == Threads {
		fits := []struct {
			name string
			x    float64
		}{{"amdahl sigma", r.Amdahl.Sigma}, {"amdahl r2", r.Amdahl.R2}, {"usl sigma", r.USL.Sigma}, {"usl kappa", r.USL.Kappa}, {"usl r2", r.USL.R2}}
		for _, f := range fits {
			if !math.IsNaN(f.x) {
				m.Set(f.name, f.x)
			}
		}
	}
	return m
}
