package quorum

import (
	"context"
	"math"
	"strings"

	"dsim/sim"
	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/scenario/internal/show"
	"dsim/sim/sweep"
)

// Scenario describes the quorum lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	s := describe.New("CAP and PACELC: what do quorums cost in latency, and what do clients see when the network splits?",
		knobs, Presets, Default, Config.Validate, RunContext)
	return describe.WithCompare(s, CompareTable, nil)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the quorum store over spec: each knob names a Config field
// (KnobTable lists them; durations in seconds, switches 0/1, choices and
// distributions as Labels, "Preset" to start from a preset), and each run
// is base with the point's values and its own seed. The model is
// compiled, so a script's sweep runs on every core.
//
// Each run reports:
//   - "consistent", "inconsistent", "unchecked": shares of runs with that
//     verdict outcome (sweep.Metrics.Share), with Wilson's interval;
//   - "linearizable": the share of runs the checker found linearizable;
//   - "failed (%)": operations that failed (timed out);
//   - "stale reads (%)": successful reads that returned a stale value;
//   - "stale reads", "inverted reads", "lost writes": the counts of the
//     run's anomalies (the package doc, Checking, defines them);
//   - "answered majority (%)" and "answered minority (%)": each side's
//     operations that succeeded during the first fault, or the run when
//     there is none (absent when a side had no operations);
//   - "read mean (ms)", "write mean (ms)", "read p99 (ms)", "write p99
//     (ms)" and the histograms "read latency" and "write latency" of
//     successful operations.
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	v := r.Verdict()
	m := sweep.NewMetrics()
	for _, o := range Outcomes() {
		m.Share(strings.ToLower(o.String()), v.Outcome == o)
	}
	m.Share("linearizable", r.Check == IsLinearizable)
	m.Set("failed (%)", 100*show.Ratio(r.FailedReads+r.FailedWrites, r.Reads+r.Writes)).
		Set("stale reads (%)", 100*show.Ratio(r.StaleReads, r.Reads-r.FailedReads)).
		Set("stale reads", float64(r.StaleReads)).
		Set("inverted reads", float64(r.InvertedReads)).
		Set("lost writes", float64(r.LostWrites))
	for i, s := range Sides {
		m.Set("answered "+s+" (%)", 100*v.Available[i])
	}
	return m.Set("read mean (ms)", meanms(r.ReadLatency)).
		Set("write mean (ms)", meanms(r.WriteLatency)).
		Set("read p99 (ms)", p99ms(r.ReadLatency)).
		Set("write p99 (ms)", p99ms(r.WriteLatency)).
		Latency("read latency", r.ReadLatency).
		Latency("write latency", r.WriteLatency)
}

// meanms is a latency's mean in milliseconds, NaN when nothing was
// recorded.
func meanms(l *metrics.Latency) float64 {
	if l.Count() == 0 {
		return math.NaN()
	}
	return float64(l.Mean()) / float64(sim.Millisecond)
}

// p99ms is a latency's 99th percentile in milliseconds, NaN when nothing
// was recorded.
func p99ms(l *metrics.Latency) float64 {
	if l.Count() == 0 {
		return math.NaN()
	}
	return float64(l.Quantile(0.99)) / float64(sim.Millisecond)
}
