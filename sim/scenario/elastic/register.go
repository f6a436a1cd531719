package elastic

import (
	"context"
	"math"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
)

// Scenario describes the elasticity lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	return describe.New("elasticity and cost: does an autoscaled group or a serverless function keep up with a ramp, a spike or a day, and what does it cost?",
		knobs, Presets, Default, Config.Validate, RunContext)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the model over spec: each knob names a Config field
// (KnobTable lists them; durations in seconds, choices as Labels,
// "Preset" to start from a preset), and each run is base with the
// point's values and its own seed.
//
// Each run reports:
//   - "absorbed", "lagged", "oscillating", "throttled", "starved": shares
//     of runs with that verdict, with Wilson's interval;
//   - "throughput (req/s)": requests answered a second;
//   - "p99 (s)": the answered requests' 99th percentile response time;
//   - "slow windows": windows whose p99 missed the SLO;
//   - "dollars": the run at list prices; "instance-hours";
//   - "reversals": a group's scaling reversals (0 for a function);
//   - "throttled (%)": requests throttled;
//   - "cold starts (%)": a function's calls that started cold (NaN, no
//     value, for a group).
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	v := r.Verdict()
	cold := math.NaN()
	if r.Fn != nil {
		cold = 100 * r.Fn.ColdShare()
	}
	m := sweep.NewMetrics().
		Share("absorbed", v.Outcome == Absorbed).
		Share("lagged", v.Outcome == Lagged).
		Share("oscillating", v.Outcome == Oscillating).
		Share("throttled", v.Outcome == Throttled).
		Share("starved", v.Outcome == Starved).
		Set("throughput (req/s)", r.Throughput()).
		Set("p99 (s)", r.P99().Seconds()).
		Set("slow windows", float64(v.SlowWindows)).
		Set("dollars", r.Dollars()).
		Set("instance-hours", r.InstanceHours).
		Set("reversals", float64(v.Reversals)).
		Set("throttled (%)", 100*r.ThrottledShare()).
		Set("cold starts (%)", cold)
	return m
}
