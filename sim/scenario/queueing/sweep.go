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
	return describe.New("capacity planning: how many servers for a load, and what waiting costs, against Erlang C",
		knobs, Presets, Default, Config.Validate, RunContext)
}

// Report is what the front ends show of the run: summary, verdict,
// figures, and what it reports to a sweep.
func (r *Result) Report() *scenario.Report { return describe.Report(r, r.sweepMetrics()) }

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

// ErlangCTable reads a sweep of base over ArrivalRate alone, with at least
// two runs per point: for each rate, Erlang C's probability of waiting and
// mean wait beside the simulation's, as the mean over the point's runs
// with its 95% confidence interval (Student's t), the range of its single
// runs, and whether theory lies inside the interval. The figure is the
// mean wait against utilisation: theory's curve, and the simulation's
// means with their intervals as a band. Theory is M/M/c's: exact for
// exponential holding times with a constant load and an unbounded queue,
// a reference otherwise.
func ErlangCTable(base Config, res *sweep.Result) (*metrics.Table, *viz.Figure, error) {
	base = base.withDefaults()
	if err := base.Validate(); err != nil {
		return nil, nil, err
	}
	if len(res.Points) == 0 || !slices.Equal(res.Points[0].Names, []string{"ArrivalRate"}) {
		var names []string
		if len(res.Points) > 0 {
			names = res.Points[0].Names
		}
		return nil, nil, fmt.Errorf("queueing: ErlangCTable needs a sweep over ArrivalRate only, got %v", names)
	}
	if res.Spec.Reps < 2 {
		return nil, nil, fmt.Errorf("queueing: ErlangCTable needs Reps of at least 2 for an interval, got Reps=%d", res.Spec.Reps)
	}
	mu, c := 1/base.meanHolding(), base.Servers
	t := metrics.NewTable(fmt.Sprintf("M/M/%d: Erlang C against %d runs per point (mean holding %v)", c, res.Spec.Reps, seconds(1/mu)),
		"utilisation ρ", "P(wait) Erlang C", "P(wait) simulated", "± 95%", "Wq Erlang C", "Wq simulated", "± 95%", "single runs from", "to", "Erlang C inside the interval")
	band := viz.BandCurve{Name: fmt.Sprintf("simulated: mean of %d runs, 95%% interval", res.Spec.Reps)}
	inside := 0
	for _, p := range res.Points {
		rate := p.Values[0]
		m, err := NewMMC(rate, mu, c)
		if err != nil {
			return nil, nil, fmt.Errorf("queueing: ErlangCTable: ArrivalRate=%v: %w", rate, err)
		}
		runs := res.Values(p.Index, "mean wait (s)")
		if len(runs) < 2 {
			return nil, nil, fmt.Errorf("queueing: ErlangCTable: ArrivalRate=%v has %d runs here, want at least 2 (a shard of the sweep?)", rate, len(runs))
		}
		waited, wait := res.Stat(p.Index, "waited (%)"), res.Stat(p.Index, "mean wait (s)")
		in := wait.Lower <= m.wq() && m.wq() <= wait.Upper
		if in {
			inside++
		}
		t.Add(metrics.Pct(m.Rho()), metrics.Pct(m.ErlangC()), metrics.Pct(waited.Mean/100), metrics.Pct(waited.HalfWidth()/100),
			m.Wq(), seconds(wait.Mean), seconds(wait.HalfWidth()), seconds(slices.Min(runs)), seconds(slices.Max(runs)), yesNo(in))
		band.X, band.Y = append(band.X, m.Rho()), append(band.Y, wait.Mean)
		band.Lower, band.Upper = append(band.Lower, wait.Lower), append(band.Upper, wait.Upper)
	}
	t.Note("Simulated: the mean over %d runs of %v, each with its own seed; ± 95%% is half the width of the 95%% confidence interval of that mean: intervals made this way contain the true mean 19 times in 20.", res.Spec.Reps, base.Duration)
	t.Note("Erlang C's mean wait lies inside %d of the %d intervals.", inside, len(res.Points))
	return t, erlangCFigure(c, mu, band), nil
}

// erlangCFigure draws theory's mean wait against utilisation, over the
// band's range, with the band.
func erlangCFigure(c int, mu float64, band viz.BandCurve) *viz.Figure {
	theory := viz.BandCurve{Name: fmt.Sprintf("Erlang C (M/M/%d)", c)}
	lo, hi := slices.Min(band.X), slices.Max(band.X)
	for i := 0; i <= 100; i++ {
		rho := lo + (hi-lo)*float64(i)/100
		m, err := NewMMC(rho*float64(c)*mu, mu, c)
		if err != nil {
			continue
		}
		// A line is a band of no width.
		theory.X, theory.Y = append(theory.X, rho), append(theory.Y, m.wq())
		theory.Lower, theory.Upper = append(theory.Lower, m.wq()), append(theory.Upper, m.wq())
	}
	return viz.BandLines(viz.Options{Title: fmt.Sprintf("Mean wait against utilisation, M/M/%d", c), XLabel: "utilisation ρ", YLabel: "mean wait in queue (s)",
		Name: "queueing-erlang-c"}, theory, band)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
