package queueing

import (
	"context"
	"fmt"
	"slices"

	"dsim/sim/metrics"
	"dsim/sim/scenario"
	"dsim/sim/scenario/internal/describe"
	"dsim/sim/sweep"
	"dsim/sim/viz"
)

// Scenario describes the capacity-planning lesson to the front ends: its
// knobs, presets and run, for the command line, sweeps and the explorer.
func Scenario() scenario.Scenario {
	return describe.New("queueing", "capacity planning: how many servers for a load, and what waiting costs, against Erlang C",
		knobs, Presets, Default, Config.Validate, RunContext)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report {
	v := r.Verdict()
	return &scenario.Report{Result: r, Summary: r.Summary(), Verdict: v, Outcome: v.Outcome.String(),
		Figures: r.Figures, Metrics: r.sweepMetrics()}
}

// Sweep runs the queueing model over spec: each knob names a Config field
// (KnobTable lists them; durations in seconds, switches 0/1, choices and
// distributions as Labels, "Preset" to start from a preset), and each run
// is base with the point's values and its own seed. The model is compiled, so a
// script's sweep runs on every core.
//
// Each run reports "mean wait (s)", "p99 wait (s)", "mean response (s)",
// "utilisation" (0 to 1), "waited (%)" (arrivals that found every server
// busy), "rejected (%)", "failed (%)", "meets target" (a share: the run's
// mean wait was at most TargetWait), and the histograms "wait" and
// "response".
func Sweep(base Config, spec sweep.Spec) (*sweep.Result, error) {
	return SweepContext(context.Background(), base, spec)
}

// SweepContext is Sweep stopped by ctx.
func SweepContext(ctx context.Context, base Config, spec sweep.Spec) (*sweep.Result, error) {
	return Scenario().Sweep(ctx, base, spec)
}

func (r *Result) sweepMetrics() *sweep.Metrics {
	pct := func(a, b int64) float64 { return 100 * ratio(a, b) }
	return sweep.NewMetrics().
		Set("mean wait (s)", r.Wait.Mean().Seconds()).
		Set("p99 wait (s)", r.Wait.Quantile(0.99).Seconds()).
		Set("mean response (s)", r.Response.Mean().Seconds()).
		Set("utilisation", r.Utilisation()).
		Set("waited (%)", pct(r.Waited, r.Arrivals)).
		Set("rejected (%)", pct(r.Rejected, r.Arrivals)).
		Set("failed (%)", pct(r.Failed, r.Completed+r.Failed)).
		Share("meets target", r.Wait.Mean().Duration() <= r.Config.TargetWait).
		Latency("wait", r.Wait).
		Latency("response", r.Response)
}

// dur writes seconds as a table writes a duration: "88.25ms".
func dur(s float64) string { return metrics.Cell(seconds(s)) }

// ServersNeededTable reads a sweep of base over ArrivalRate and Servers,
// with at least two runs per point, and decides with the 95% confidence
// intervals of the mean wait: for each arrival rate, the fewest servers
// whose whole interval lies at or under base's TargetWait (they meet it
// beyond chance), beside Erlang C's answer (ServersNeeded) for base's
// mean holding time. The last column says what one server fewer did:
// missed the target beyond chance (its whole interval above it), or
// cannot tell (its interval holds the target), when more runs (Reps)
// would narrow the interval. The figure plots both answers against the
// arrival rate. For exponential holding times with no dependencies the
// two should agree; otherwise theory is M/M/c's approximation.
func ServersNeededTable(base Config, res *sweep.Result) (*metrics.Table, *viz.Figure, error) {
	base = base.withDefaults()
	if err := base.Validate(); err != nil {
		return nil, nil, err
	}
	ia, is := slices.Index(res.Points[0].Names, "ArrivalRate"), slices.Index(res.Points[0].Names, "Servers")
	if ia < 0 || is < 0 || len(res.Points[0].Names) != 2 {
		return nil, nil, fmt.Errorf("queueing: ServersNeededTable needs a sweep over ArrivalRate and Servers only, got %v", res.Points[0].Names)
	}
	if res.Spec.Reps < 2 {
		return nil, nil, fmt.Errorf("queueing: ServersNeededTable needs Reps of at least 2 to decide with intervals, got Reps=%d", res.Spec.Reps)
	}
	mu := 1 / base.meanHolding()
	target := base.TargetWait.Seconds()
	t := metrics.NewTable(fmt.Sprintf("Servers for a mean wait ≤ %v (mean holding %v), %d runs per point", base.TargetWait, seconds(1/mu), res.Spec.Reps),
		"arrivals (req/s)", "load λ/μ", "Erlang C servers", "simulated servers", "simulated mean wait (95% interval)", "Erlang C mean wait", "one server fewer")
	sim := viz.Curve{Name: "simulated (fewest swept servers meeting the target beyond chance)", Points: true}
	theory := viz.Curve{Name: "Erlang C (ServersNeeded)"}
	load := viz.Curve{Name: "offered load λ/μ (servers busy on average)"}
	var rates []float64
	for _, p := range res.Points {
		if !slices.Contains(rates, p.Values[ia]) {
			rates = append(rates, p.Values[ia])
		}
	}
	slices.Sort(rates)
	undecided := 0
	for _, rate := range rates {
		row := []any{rate, rate / mu}
		load.X, load.Y = append(load.X, rate), append(load.Y, rate/mu)
		th, err := ServersNeeded(rate, mu, base.TargetWait)
		if err != nil {
			row = append(row, err.Error())
		} else {
			row = append(row, th)
			theory.X, theory.Y = append(theory.X, rate), append(theory.Y, float64(th))
		}
		waits := map[int]sweep.Stat{}
		need, most := -1, 0
		for _, p := range res.Points {
			if p.Values[ia] != rate {
				continue
			}
			c := int(p.Values[is])
			waits[c] = res.Stat(p.Index, "mean wait (s)")
			most = max(most, c)
			if waits[c].Upper <= target && (need < 0 || c < need) {
				need = c
			}
		}
		if need < 0 {
			t.Add(append(row, fmt.Sprintf("more than %d", most), "", "", "")...)
			continue
		}
		sim.X, sim.Y = append(sim.X, rate), append(sim.Y, float64(need))
		st := waits[need]
		row = append(row, need, fmt.Sprintf("%s (%s to %s)", dur(st.Mean), dur(st.Lower), dur(st.Upper)))
		if m, err := NewMMC(rate, mu, need); err == nil {
			row = append(row, m.Wq())
		} else {
			row = append(row, "unstable")
		}
		fewer, swept := waits[need-1]
		switch {
		case !swept:
			row = append(row, "not swept")
		case fewer.Lower > target:
			row = append(row, fmt.Sprintf("misses (%s to %s)", dur(fewer.Lower), dur(fewer.Upper)))
		default:
			undecided++
			tell := fmt.Sprintf("cannot tell (%s to %s", dur(fewer.Lower), dur(fewer.Upper))
			if m, err := NewMMC(rate, mu, need-1); err == nil {
				tell += "; Erlang C " + metrics.Cell(m.Wq())
			}
			row = append(row, tell+")")
		}
		t.Add(row...)
	}
	t.Note("Decided with 95%% intervals over %d runs: simulated servers is the fewest swept whose whole interval lies under the target; \"one server fewer\" says whether its interval lies wholly above it (misses) or holds it (cannot tell). Erlang C mean wait is theory's at the simulated count.", res.Spec.Reps)
	if undecided > 0 {
		t.Note("At %d of %d rates the runs cannot tell whether one server fewer would do: its mean wait is within chance of the target. More runs narrow the intervals.", undecided, len(rates))
	}
	fig := viz.XY(viz.Options{Title: fmt.Sprintf("Servers needed for a mean wait ≤ %v", base.TargetWait), XLabel: "arrival rate (req/s)", YLabel: "servers",
		Name: "queueing-servers-needed"}, theory, sim, load)
	return t, fig, nil
}
