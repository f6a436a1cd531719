package queueing_test

import (
	"strings"
	"testing"
	"time"

	"dsim/sim/dist"
	"dsim/sim/scenario/queueing"
	"dsim/sim/sweep"
)

func mmc() queueing.Config {
	c := queueing.Default()
	c.Dependencies = 0
	c.Duration = 30 * time.Minute
	c.TargetWait = 100 * time.Millisecond
	return c
}

// The lesson: servers for a target wait, found by sweeping and decided
// with the intervals, against Erlang C. Where one server fewer misses the
// target beyond chance, the simulation's answer is theory's; where the
// runs cannot tell, theory's wait at one server fewer is itself within a
// few percent of the target. Ten runs of 30 minutes leave two such rates.
func TestServersNeededMatchesErlangC(t *testing.T) {
	base := mmc()
	rates := []float64{2, 4, 6, 8, 10, 12, 14, 16}
	res, err := queueing.Sweep(base, sweep.Spec{Name: "servers", Seed: 1, Reps: 10, Knobs: []sweep.Knob{
		{Name: "ArrivalRate", Values: rates},
		{Name: "Servers", Values: []float64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}}})
	if err != nil {
		t.Fatal(err)
	}
	tb, fig, err := queueing.ServersNeededTable(base, res)
	if err != nil {
		t.Fatal(err)
	}
	if fig == nil || len(tb.Rows) != len(rates) {
		t.Fatalf("got %d rows", len(tb.Rows))
	}
	undecided := 0
	for i, row := range tb.Rows {
		theory, simulated, fewer := row[2].(int), row[3].(int), row[6].(string)
		switch {
		case strings.HasPrefix(fewer, "misses"):
			if simulated != theory {
				t.Errorf("%v req/s: simulated %d servers, theory %d, though one fewer misses beyond chance", rates[i], simulated, theory)
			}
		case strings.HasPrefix(fewer, "cannot tell"):
			undecided++
			m, err := queueing.NewMMC(rates[i], 2, simulated-1)
			if err != nil {
				t.Fatal(err)
			}
			if w := m.Wq(); simulated != theory+1 && simulated != theory || w < 90*time.Millisecond || w > 110*time.Millisecond {
				t.Errorf("%v req/s: cannot tell at %d servers, where theory's wait is %v and its answer %d", rates[i], simulated-1, w, theory)
			}
		default:
			t.Errorf("%v req/s: one server fewer: %q", rates[i], fewer)
		}
	}
	if undecided > 2 {
		t.Errorf("%d of %d rates undecided:\n%v", undecided, len(rates), tb)
	}
	one := res.Spec
	one.Reps = 1
	single, err := queueing.Sweep(base, one)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := queueing.ServersNeededTable(base, single); err == nil || !strings.Contains(err.Error(), "Reps=1") {
		t.Errorf("one run per point: %v", err)
	}
}

func TestSweepTextKnob(t *testing.T) {
	base := mmc()
	base.Duration = 10 * time.Minute
	res, err := queueing.Sweep(base, sweep.Spec{Seed: 2, Reps: 2, Knobs: []sweep.Knob{
		{Name: "ServiceTime", Labels: []string{"exp(500ms)", "const(500ms)"}},
		{Name: "ArrivalRate", Values: []float64{8}},
		{Name: "Servers", Values: []float64{5}}}})
	if err != nil {
		t.Fatal(err)
	}
	exp, det := res.Stat(0, "mean wait (s)").Mean, res.Stat(1, "mean wait (s)").Mean
	if !(det < 0.7*exp) {
		t.Errorf("constant service should wait about half as long as exponential: %v vs %v", det, exp)
	}
	c := base
	c.Seed = sweep.RunSeed(2, res.Points[1].Values, 0)
	c.ServiceTime = dist.MustParse("const(500ms)")
	c.ArrivalRate, c.Servers = 8, 5
	r, err := queueing.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Values(1, "mean wait (s)")[0]; got != r.Wait.Mean().Seconds() {
		t.Errorf("the sweep's run %v differs from the plain run %v", got, r.Wait.Mean().Seconds())
	}
	for _, tc := range []struct {
		knob sweep.Knob
		want string
	}{
		{sweep.Knob{Name: "ServiceTime", Labels: []string{"exp(-1s)"}}, `Knobs[0].Labels[0]="exp(-1s)"`},
		{sweep.Knob{Name: "ServiceTime", Labels: []string{"normal(5, 1)"}}, "give a distribution of durations"},
		{sweep.Knob{Name: "Servers", Values: []float64{0}}, "Knobs[0].Values[0]=0: Servers=0: must be between 1 and 100000 servers"},
		{sweep.Knob{Name: "Servrs", Values: []float64{3}}, `unknown knob; queueing knows Preset, Duration, ArrivalRate`},
	} {
		_, err := queueing.Sweep(base, sweep.Spec{Knobs: []sweep.Knob{tc.knob}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.knob, err, tc.want)
		}
	}
	if _, _, err := queueing.ServersNeededTable(base, res); err == nil || !strings.Contains(err.Error(), "ArrivalRate and Servers only") {
		t.Errorf("a sweep over other knobs: %v", err)
	}
}

// Erlang C against the mean of several runs, as lesson 01 sweeps it
// (M/M/4, ρ from 0.5 to 0.9, ten runs of two hours each): theory lies
// inside the 95% intervals, and the intervals are wider, for their mean,
// near saturation, where single runs disagree most.
func TestErlangCTable(t *testing.T) {
	base := mmc()
	base.Servers = 4
	base.Duration = 2 * time.Hour
	rates := []float64{4, 4.8, 5.6, 6.4, 6.8, 7.2} // ρ = 0.5 ... 0.9
	res, err := queueing.Sweep(base, sweep.Spec{Seed: 1, Reps: 10, Knobs: []sweep.Knob{{Name: "ArrivalRate", Values: rates}}})
	if err != nil {
		t.Fatal(err)
	}
	tb, fig, err := queueing.ErlangCTable(base, res)
	if err != nil {
		t.Fatal(err)
	}
	if fig == nil || len(tb.Rows) != len(rates) {
		t.Fatalf("%d rows, figure %v", len(tb.Rows), fig)
	}
	for _, row := range tb.Rows {
		if row[len(row)-1] != "yes" {
			t.Errorf("ρ=%v: Erlang C outside the interval:\n%v", row[0], tb)
		}
	}
	low, high := res.Stat(0, "mean wait (s)"), res.Stat(len(rates)-1, "mean wait (s)")
	if high.HalfWidth()/high.Mean <= low.HalfWidth()/low.Mean {
		t.Errorf("relative half-width %.3f at ρ=0.9, not above %.3f at 0.5", high.HalfWidth()/high.Mean, low.HalfWidth()/low.Mean)
	}
	if !strings.Contains(tb.String(), "inside 6 of the 6 intervals") {
		t.Errorf("the note does not count the intervals:\n%v", tb)
	}
	for _, tc := range []struct {
		spec sweep.Spec
		want string
	}{
		{sweep.Spec{Reps: 2, Knobs: []sweep.Knob{{Name: "Servers", Values: []float64{4}}}}, "ArrivalRate only, got [Servers]"},
		{sweep.Spec{Reps: 1, Knobs: []sweep.Knob{{Name: "ArrivalRate", Values: []float64{4}}}}, "Reps of at least 2"},
		{sweep.Spec{Reps: 2, Knobs: []sweep.Knob{{Name: "ArrivalRate", Values: []float64{9}}}}, "ArrivalRate=9"},
	} {
		r, err := queueing.Sweep(base, tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := queueing.ErlangCTable(base, r); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.spec.Knobs, err, tc.want)
		}
	}
}
