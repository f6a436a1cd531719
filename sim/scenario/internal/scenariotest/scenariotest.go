// Package scenariotest holds the checks every scenario's tests make in
// the same way: bad knobs refused by Validate and Run alike, a preset run,
// a sweep that refuses bad knobs or stops when cancelled, a sweep's table
// whatever its workers, the descriptor's report, and an exercise
// checker's verdicts on right and wrong answers. (A run whatever
// GOMAXPROCS is sim/internal/simtest's, as the components' tests check it
// too.) Each scenario's tests give it their own cases. It is internal
// and for tests only, so its type parameters never reach a script.
package scenariotest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"dsim/sim/scenario"
	"dsim/sim/sweep"
)

// Preset is the configuration of the preset called name, C being the
// scenario's Config.
func Preset[C any](t testing.TB, s scenario.Scenario, name string) C {
	t.Helper()
	cfg, err := s.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.(C)
}

// Runner returns a function that runs the preset called name with seed
// and returns its result, R being the scenario's *Result.
func Runner[R any](s scenario.Scenario) func(t testing.TB, name string, seed uint64) R {
	return func(t testing.TB, name string, seed uint64) R {
		t.Helper()
		return run[R](t, s, name, seed)
	}
}

func run[R any](t testing.TB, s scenario.Scenario, name string, seed uint64) R {
	t.Helper()
	cfg, err := s.Preset(name)
	if err == nil {
		cfg, err = s.Copy(cfg)
	}
	if err == nil {
		err = s.Seed(cfg, seed)
	}
	var rep *scenario.Report
	if err == nil {
		rep, err = s.Run(context.Background(), reflect.ValueOf(cfg).Elem().Interface())
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep.Result.(R)
}

// Descriptor checks that the descriptor is called name and lists every
// one of the package's presets.
func Descriptor(t testing.TB, s scenario.Scenario, name string, presets int) {
	t.Helper()
	if s.Name != name || len(s.Presets) != presets {
		t.Fatalf("descriptor %s with %d presets, want %s with %d", s.Name, len(s.Presets), name, presets)
	}
}

// Report runs cfg through the descriptor and checks its report: the
// outcome, a summary, a verdict, the number of figures and the sweep
// metrics; and that an unknown preset is refused with the known ones.
func Report(t testing.TB, s scenario.Scenario, cfg any, outcome string, figures int) *scenario.Report {
	t.Helper()
	rep, err := s.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != outcome || rep.Summary == nil || rep.Verdict.String() == "" || len(rep.Figures()) != figures || rep.Metrics == nil {
		t.Errorf("report: outcome %q (want %q), verdict %v, %d figures (want %d)", rep.Outcome, outcome, rep.Verdict, len(rep.Figures()), figures)
	}
	want := scenario.UnknownPreset(s.Name, "nope", s.PresetNames()).Error()
	if _, err := s.Preset("nope"); err == nil || err.Error() != want {
		t.Errorf("unknown preset: %v, want %s", err, want)
	}
	return rep
}

// Refusal is a sweep knob a scenario refuses and what its error says.
type Refusal struct {
	Knob sweep.Knob
	Want string
}

// SweepRefuses sweeps base over each refused knob alone (one run a point,
// should one be accepted) and checks the error says what it should.
func SweepRefuses[C any](t testing.TB, sweepFn func(C, sweep.Spec) (*sweep.Result, error), base C, cases []Refusal) {
	t.Helper()
	for _, c := range cases {
		_, err := sweepFn(base, sweep.Spec{Reps: 1, Knobs: []sweep.Knob{c.Knob}})
		if err == nil || !strings.Contains(err.Error(), c.Want) {
			t.Errorf("%+v: got %v, want %q", c.Knob, err, c.Want)
		}
	}
}

// SweepStops checks that a sweep over knob with a cancelled context stops
// with the context's error.
func SweepStops[C any](t testing.TB, sweepContext func(context.Context, C, sweep.Spec) (*sweep.Result, error), base C, knob sweep.Knob) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sweepContext(ctx, base, sweep.Spec{Knobs: []sweep.Knob{knob}}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want a cancelled sweep", err)
	}
}

// SameOnAnyWorkers sweeps base over spec on one worker and on two, checks
// the tables are the same, and returns the first sweep.
func SameOnAnyWorkers[C any](t testing.TB, sweepFn func(C, sweep.Spec) (*sweep.Result, error), base C, spec sweep.Spec) *sweep.Result {
	t.Helper()
	var res [2]*sweep.Result
	for i := range res {
		spec.Workers = i + 1
		r, err := sweepFn(base, spec)
		if err != nil {
			t.Fatal(err)
		}
		res[i] = r
	}
	if a, b := res[0].Table().Text(), res[1].Table().Text(); a != b {
		t.Fatalf("one worker:\n%s\ntwo workers:\n%s", a, b)
	}
	return res[0]
}

// FirstColumn checks the first column of a sweep's table: the first
// knob, with the unit the scenario's knob table gives it.
func FirstColumn(t testing.TB, res *sweep.Result, want string) {
	t.Helper()
	if got := res.Table().Columns[0]; got != want {
		t.Errorf("first column %q, want %q: the knob's unit should come from the scenario", got, want)
	}
}
