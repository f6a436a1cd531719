package messaging

import (
	"context"

	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/scenario/internal/show"
	"dsim/sim/sweep"
)

// Scenario describes the messaging lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	return describe.WithCompare(describe.New("messaging: what does each delivery design lose or duplicate when consumers crash and acknowledgements go missing, and what does a slow consumer do to the queue?",
		knobs, Presets, Default, Config.Validate, RunContext), CompareTable, nil)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the messaging model over spec: each knob names a Config
// field (KnobTable lists them; durations in seconds, switches 0/1,
// choices and distributions as Labels, "Preset" to start from a preset),
// and each run is base with the point's values and its own seed.
//
// Each run reports:
//   - one share per Outcome ("EffectivelyOnce", "Lost", ...), with
//     Wilson's interval;
//   - "lost (%)", "dead-lettered (%)", "out of order (%)": of the
//     messages published (out of order is 0 without Keys: unchecked);
//   - "events lost (%)", "phantoms (%)": of the writer's orders committed
//     (with a WriteMode);
//     "refused (%)": of the publications offered; "duplicates per 100
//     messages" (not a share: a message can be applied many times; a
//     producer's copies count);
//   - "deliveries per message" and "theory 1/(1-p)";
//   - "max depth" (messages) and "p99 to effect (s)".
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
	for _, each := range Outcomes() {
		m.Share(each.String(), o == each)
	}
	return m.
		Set("lost (%)", 100*r.Share(r.Lost)).
		Set("duplicates per 100 messages", 100*r.Share(r.ExtraEffects)).
		Set("out of order (%)", 100*r.Share(r.orderChecked())).
		Set("events lost (%)", 100*show.Ratio(r.Writer.LostEvents, r.Writer.Committed)).
		Set("phantoms (%)", 100*show.Ratio(r.Writer.Phantoms, r.Writer.Committed)).
		Set("dead-lettered (%)", 100*r.Share(r.DeadLettered)).
		Set("refused (%)", 100*show.Ratio(r.Refused+r.Abandoned, r.Offered)).
		Set("deliveries per message", r.DeliveriesPerMessage()).
		Set("theory 1/(1-p)", r.TheoryDeliveries()).
		Set("max depth", r.MaxDepth).
		Set("p99 to effect (s)", r.Latency.Quantile(0.99).Seconds())
}

// orderChecked is the messages out of their key's order, when messages
// have keys; without, their order is not the lesson's to check.
func (r *Result) orderChecked() int64 {
	if r.Config.Keys == 0 {
		return 0
	}
	return r.OutOfOrder
}
