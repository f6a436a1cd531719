package crdt

import (
	"context"
	"fmt"
	"time"

	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// Scenario describes the convergence lesson to the front ends: its knobs,
// presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	s := describe.New("replicas that never coordinate: when do they agree, and on what?",
		knobs, Presets, Default, Config.Validate, RunContext)
	return describe.WithCompare(s, CompareTable, nil)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

// Sweep runs the convergence model over spec: each knob names a Config
// field (KnobTable lists them; durations in seconds, switches 0/1,
// choices and distributions as Labels, "Preset" to start from a preset),
// and each run is base with the point's values and its own seed. The
// model is compiled, so a script's sweep runs on every core.
//
// Each run reports:
//   - "converged", "diverged": shares of runs with that verdict
//     (sweep.Metrics.Share), with Wilson's interval;
//   - "converged after (s)": the time to agree after the last operation,
//     for the runs that converged only;
//   - "messages" and "state sent (bytes)": the gossip traffic;
//   - "state size (bytes)" and "tombstones": r1's final state;
//   - "lost writes" (LWW types) and "resurrected" (set types: elements the
//     naive set brought back).
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	m := sweep.NewMetrics().
		Share("converged", r.Converged).
		Share("diverged", !r.Converged)
	if r.Converged {
		m.Set("converged after (s)", r.ConvergenceTime().Seconds())
	}
	return m.
		Set("messages", float64(r.Messages)).
		Set("state sent (bytes)", float64(r.Bytes)).
		Set("state size (bytes)", float64(r.Final[0].Size)).
		Set("tombstones", float64(r.Final[0].Tombstones)).
		Set("lost writes", float64(r.LostWrites)).
		Set("resurrected", float64(len(r.Resurrected)))
}

// GossipSweep runs cfg once per gossip period, same seed, and reports the
// convergence time after the last operation and the bytes sent: the
// lesson's convergence against gossip rate.
func GossipSweep(cfg Config, periods []time.Duration) (*metrics.Table, *viz.Figure, error) {
	if len(periods) == 0 || len(periods) > 1000 {
		return nil, nil, fmt.Errorf("crdt: GossipSweep needs 1 to 1000 periods, got %d", len(periods))
	}
	t := metrics.NewTable("Convergence against gossip period", "gossip period", "converged after", "messages", "bytes")
	curve := viz.Curve{Name: "time to converge after the last operation", Points: false}
	for _, p := range periods {
		c := cfg
		c.GossipPeriod = p
		res, err := Run(c)
		if err != nil {
			return nil, nil, err
		}
		after := any("never")
		if res.Converged {
			after = res.ConvergenceTime()
			curve.X = append(curve.X, p.Seconds())
			curve.Y = append(curve.Y, res.ConvergenceTime().Seconds())
		}
		t.Add(p, after, fmt.Sprint(res.Messages), fmt.Sprint(res.Bytes))
	}
	fig := viz.XY(viz.Options{Title: fmt.Sprintf("Convergence against gossip period (%s, %d replicas)", cfg.withDefaults().Type, cfg.withDefaults().Replicas),
		XLabel: "gossip period (s)", YLabel: "time to converge (s)", Name: "crdt-gossip-sweep"}, curve)
	return t, fig, nil
}

// DeltaTable runs cfg with state gossip and with delta gossip, runs times
// each (a sweep over Delta from root seed 1), and puts side by side what
// differs, each a mean with the half-width of its 95% interval: the time
// to agree after the last operation, the messages and the bytes sent.
func DeltaTable(cfg Config, runs int) (*metrics.Table, error) {
	if runs < 2 || runs > 1000 {
		return nil, fmt.Errorf("crdt: DeltaTable runs=%d: must be between 2 and 1000", runs)
	}
	sw, err := Sweep(cfg, sweep.Spec{Name: "delta", Seed: 1, Reps: runs,
		Knobs: []sweep.Knob{{Name: "Delta", Values: []float64{0, 1}}}})
	if err != nil {
		return nil, err
	}
	t := metrics.NewTable(fmt.Sprintf("State gossip against delta gossip (%s, %d replicas, %d runs each)", cfg.withDefaults().Type, cfg.withDefaults().Replicas, runs),
		"gossip", "converged", "agreed after the last operation (s)", "± 95%", "messages", "± 95%", "bytes sent", "± 95%")
	for i, name := range []string{"state", "delta"} {
		conv := sw.Values(i, "converged")
		n := 0
		for _, v := range conv {
			if v == 1 {
				n++
			}
		}
		after, msgs, bytes := sw.Stat(i, "converged after (s)"), sw.Stat(i, "messages"), sw.Stat(i, "state sent (bytes)")
		t.Add(name, fmt.Sprintf("%d of %d", n, len(conv)), after.Mean, after.HalfWidth(), msgs.Mean, msgs.HalfWidth(), bytes.Mean, bytes.HalfWidth())
	}
	return t, nil
}
