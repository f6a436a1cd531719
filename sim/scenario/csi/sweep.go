package csi

import (
	"context"
	"strings"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
)

// Scenario describes the cross-system lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	return describe.New("cross-system interaction: two systems that each pass their own tests exchange orders; what fails between them, loudly or silently, and what catches it?",
		knobs, Presets, Default, Config.Validate, RunContext)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the cross-system model over spec: each knob names a Config
// field (KnobTable lists them, dotted for a side's: "Upstream.Timeout";
// durations in seconds, switches 0/1, choices and distributions as
// Labels, "Preset" to start from a preset), and each run is base with the
// point's values and its own seed. The model is compiled, so a script's
// sweep runs on every core.
//
// Each run reports:
//   - "clean", "loud failures", "silent corruption", "loud failures and
//     silent corruption": shares of runs with that verdict
//     (sweep.Metrics.Share), with Wilson's interval;
//   - "ok (%)", "loud (%)", "silent (%)": the orders with each outcome;
//   - "errors seen": the loud failures, what monitoring counts;
//   - "attempts per order": A's attempts, retries included;
//   - "p99 B time (s)" and the histogram "B time" of B's time per attempt.
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	o := r.Verdict().Outcome
	m := sweep.NewMetrics()
	for _, k := range Outcomes() {
		m.Share(strings.ToLower(k.String()), o == k)
	}
	attempts := 0
	for _, ord := range r.Orders {
		attempts += ord.Attempts
	}
	perOrder := 0.0
	if len(r.Orders) > 0 {
		perOrder = float64(attempts) / float64(len(r.Orders))
	}
	// One window for the whole run: the sweep merges the histograms, and
	// the times are recorded after the run, out of time order.
	bTime := metrics.NewLatency("B time", max(1, sim.FromDuration(r.Deployed.Duration)))
	for _, d := range r.BTimes {
		bTime.Record(0, sim.FromDuration(d))
	}
	return m.Set("ok (%)", 100*r.Rate(OK)).
		Set("loud (%)", 100*r.Rate(Loud)).
		Set("silent (%)", 100*r.Rate(Silent)).
		Set("errors seen", float64(r.Errors)).
		Set("attempts per order", perOrder).
		Set("p99 B time (s)", bTime.Quantile(0.99).Seconds()).
		Latency("B time", bTime)
}
